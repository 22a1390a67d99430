"""Shared set-up of the peer scripts: the site and account come from the same environment
variables confdir reads, so both tools talk to the same server as the same person."""

import os

from atlassian import Confluence


def site():
    """A Confluence client for CONFLUENCE_BASE_URL (the site's /wiki address)."""
    return Confluence(
        url=os.environ["CONFLUENCE_BASE_URL"],
        username=os.environ["CONFLUENCE_EMAIL"],
        password=os.environ["CONFLUENCE_API_TOKEN"],
        cloud=True,
    )


def every_page(confluence, path, params, limit):
    """Every result of a v1 list, page after page, following `_links.next` until it is absent."""
    results, start = [], 0
    while True:
        page = confluence.get(path, params={**params, "start": start, "limit": limit})
        results.extend(page["results"])
        if "next" not in page.get("_links", {}) or not page["results"]:
            return results
        start += len(page["results"])
