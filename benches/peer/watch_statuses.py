"""Whether I watch each of the given spaces. Usage: watch_statuses.py KEY [KEY...]"""

import sys

from common import site

confluence = site()
for key in sys.argv[1:]:
    status = confluence.get(f"rest/api/user/watch/space/{key}")
    print(key, "watching" if status["watching"] else "not watching")
