"""Who am I: the current user's name and account id."""

from common import site

me = site().get("rest/api/user/current")
print(me["displayName"], me["accountId"])
