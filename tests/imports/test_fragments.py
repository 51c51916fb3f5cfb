"""Imported addresses keep a single-page app's route and drop a place on the page."""

from bookmarks.models import Bookmark
from transfer import importers
from transfer.services import import_items

NETSCAPE = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<DL><p>
<DT><A HREF="https://app.example.org/#/item/1">Item 1</A>
<DT><A HREF="https://app.example.org/#/item/2">Item 2</A>
<DT><A HREF="https://doc.example.org/guide#install">Install</A>
<DT><A HREF="https://doc.example.org/guide#usage">Usage</A>
</DL><p>
"""


def test_two_routes_stay_two_bookmarks_and_two_sections_are_one(user):
    outcome = import_items(user, importers.parse(NETSCAPE.encode()).items)
    assert (outcome.created, outcome.merged) == (3, 1)
    assert sorted(Bookmark.objects.filter(owner=user).values_list("page__url", flat=True)) == [
        "https://app.example.org/#/item/1",
        "https://app.example.org/#/item/2",
        "https://doc.example.org/guide",
    ]
