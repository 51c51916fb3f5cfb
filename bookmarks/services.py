"""Every write to pages and bookmarks goes through a function here, inside a transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from groups import permissions
from groups.selectors import role_of

from .models import Bookmark, Page
from .tags import parse_tags
from .urlnorm import InvalidURL, normalize_url, url_key


def get_or_create_page(url):
    """The one Page of this URL; (page, created). A new page is queued for fetching on commit."""
    try:
        normalized = normalize_url(url)
    except InvalidURL as exc:
        raise ValidationError({"url": str(exc)}) from None
    page, created = Page.objects.get_or_create(
        url_hash=url_key(normalized), defaults={"url": normalized}
    )
    if created:
        transaction.on_commit(lambda: queue_fetch(page.pk))
    return page, created


def queue_fetch(page_id):
    """Hand the page to the fetch worker; a missing broker must not break saving."""
    try:
        from .tasks import fetch_page
    except ImportError:
        return
    try:
        fetch_page.delay(page_id)
    except Exception:  # noqa: BLE001 - the page stays "pending" and a periodic job retries it
        import logging

        logging.getLogger(__name__).warning("could not queue fetch of page %s", page_id)


def check_can_post(user, group):
    if group is None:
        return
    if not permissions.can(role_of(user, group), "post", group):
        raise PermissionDenied("You cannot post to this group.")


@transaction.atomic
def save_bookmark(
    user,
    url,
    *,
    title="",
    description="",
    tags=None,
    group=None,
    private=False,
    unread=False,
    created_at=None,
    merge_tags=False,
):
    """Save `url` for `user` into `group` (None = personal library).

    Saving the same URL to the same destination again updates that bookmark instead of adding
    a row. Returns (bookmark, created).
    """
    check_can_post(user, group)
    page, _ = get_or_create_page(url)
    tag_list = parse_tags(tags)
    existing = (
        Bookmark.objects.select_for_update().filter(owner=user, group=group, page=page).first()
    )
    if existing is not None:
        if title:
            existing.title = title
        if description:
            existing.description = description
        existing.tags = (
            parse_tags(existing.tags + tag_list) if merge_tags else tag_list or existing.tags
        )
        existing.private = private if group is None else False
        existing.unread = unread
        existing.full_clean(exclude=["page", "owner", "group", "search_vector"])
        existing.save()
        return existing, False
    bookmark = Bookmark(
        page=page,
        owner=user,
        group=group,
        title=title or "",
        description=description or "",
        tags=tag_list,
        private=private if group is None else False,
        unread=unread,
        created_at=created_at or timezone.now(),
    )
    bookmark.full_clean(exclude=["page", "owner", "group", "search_vector"])
    bookmark.save()
    return bookmark, True
