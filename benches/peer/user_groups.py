"""The groups a user belongs to, every page. Usage: user_groups.py ACCOUNT_ID"""

import sys

from common import every_page, site

groups = every_page(site(), "rest/api/user/memberof", {"accountId": sys.argv[1]}, 200)
for group in groups:
    print(group["name"])
