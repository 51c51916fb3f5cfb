"""Writes that span the layers: a save whose selected passage becomes the first highlight."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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


@dataclass
class Saved:
    group: Group | None
    bookmark: Bookmark
    created: bool


def destination_name(group: Group | None) -> str:
    return group.name if group is not None else _("My library")


@transaction.atomic
def save_page_to_destinations(
    user: User, url: str, *, destinations: list[Group | None], **fields
) -> list[Saved]:
    """One bookmark per destination (None = my library), all or none.

    Every destination is tried, so the error says which ones refused and why; then any refusal
    undoes the whole save (ValidationError whose "destination" messages name each place).
    """
    saved, errors = [], []
    for group in destinations:
        try:
            with transaction.atomic():
                bookmark, created = save_page(user, url, group=group, **fields)
        except PermissionDenied as exc:
            errors.append(f"{destination_name(group)}: {exc}")
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and set(exc.error_dict) - {"destination"}:
                raise  # a field's own error (url, title…): the same for every destination
            errors += [f"{destination_name(group)}: {m}" for m in exc.messages]
        else:
            saved.append(Saved(group=group, bookmark=bookmark, created=created))
    if errors:
        raise ValidationError({"destination": errors})
    return saved
