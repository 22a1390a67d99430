"""People whose name matches a word (the first page of 25). Usage: name_search.py WORD"""

import sys

from common import site

found = site().get(
    "rest/api/search/user", params={"cql": f'user.fullname~"{sys.argv[1]}"', "limit": 25}
)
for hit in found["results"]:
    print(hit["user"]["displayName"])
