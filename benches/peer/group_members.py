"""Every member of a group, by group id. Usage: group_members.py GROUP_ID

The library's own `get_all_members` asks for 1,000 a page, which the endpoint does not allow
(at most 200), so this pages by hand at 200, as a user of the library ends up doing."""

import sys

from common import every_page, site

members = every_page(site(), f"rest/api/group/{sys.argv[1]}/membersByGroupId", {}, 200)
for member in members:
    print(member["displayName"], member["accountId"])
