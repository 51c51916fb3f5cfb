"""Writes that span the layers: a save whose selected passage becomes the first highlight."""

from django.db import transaction

from accounts.models import User
from annotations.services import create_highlight
from bookmarks.models import Bookmark
from bookmarks.services import save_bookmark
from groups.models import Group


@transaction.atomic
def save_page(
    user: User,
    url: str,
    *,
    quote: str = "",
    prefix: str = "",
    suffix: str = "",
    group: Group | None = None,
    **fields,
) -> tuple[Bookmark, bool]:
    """Save `url` (bookmarks.services.save_bookmark) and keep `quote`, the passage selected
    when saving, as the bookmark's first highlight, in one transaction: (bookmark, created)."""
    bookmark, created = save_bookmark(user, url, group=group, **fields)
    quote = (quote or "").strip()
    if quote:
        create_highlight(user, bookmark, exact=quote, prefix=prefix or "", suffix=suffix or "")
    return bookmark, created
