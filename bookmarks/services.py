"""Every write to pages and bookmarks goes through a function here, inside a transaction."""

import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.types import Viewer
from config import positions
from config.outbox import enqueue_durably
from config.queue import enqueue
from groups import permissions
from groups.models import Group
from groups.selectors import role_of
from notifications.services import withdraw

from .extract import extract
from .fetcher import FetchError, FetchResult
from .models import Bookmark, Page
from .selectors import count_cache_key, tag_cache_key
from .tags import normalize_tag, parse_tags
from .urlnorm import InvalidURL, normalize_url, url_key

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = {
    "title",
    "description",
    "tags",
    "private",
    "unread",
    "comments_enabled",
    "created_at",
}


def get_or_create_page(url: str):
    """The one Page of this URL; (page, created). A new page is queued for fetching on commit,
    through the outbox: a broker down at that moment delays the fetch, it does not lose it."""
    try:
        normalized = normalize_url(url)
    except InvalidURL as exc:
        raise ValidationError({"url": str(exc)}) from None
    page, created = Page.objects.get_or_create(
        url_hash=url_key(normalized), defaults={"url": normalized}
    )
    if created:
        enqueue_durably("bookmarks.tasks.fetch_page", page.pk)
    return page, created


def queue_fetch(page_id: int) -> None:
    """Hand the page to the fetch worker; a missing broker must not break saving (the page
    stays "pending" and a periodic job queues it again)."""
    enqueue("bookmarks.tasks.fetch_page", page_id)


def retry_fetch(page_id: int) -> None:
    """Try a failed page again: it shows "fetching…" until the worker has an answer."""
    Page.objects.filter(pk=page_id, fetch_status=Page.FetchStatus.FAILED).update(
        fetch_status=Page.FetchStatus.PENDING, fetch_error="", fetched_at=None
    )
    queue_fetch(page_id)


def forget_tag_counts(bookmark: Bookmark = None, *, group: Group | None = None, owner: User = None):
    """Drop the cached tag and item counts the change touches, once the transaction commits."""
    if bookmark is not None:
        group, owner = bookmark.group_id, bookmark.owner_id
    keys = []
    if group is not None:
        keys += [tag_cache_key(group=group), count_cache_key(group)]
    if owner is not None:
        keys += [tag_cache_key(owner=owner, private=p) for p in (True, False)]
    keys += [f"{key}:top" for key in keys if ":tags:" in key]
    positions.bump()  # bulk writes come here too: page positions are stale

    def _forget():
        try:
            cache.delete_many(keys)
        except Exception:
            logger.warning("could not clear tag cache %s", keys)

    # Now (so this transaction reads fresh numbers) and after commit (so a reader that cached
    # the old numbers in between does not keep them).
    _forget()
    transaction.on_commit(_forget)


def check_can_post(user: User, group: Group | None):
    if group is None:
        return
    if not permissions.can(role_of(user, group), "post", group):
        raise PermissionDenied(_("You cannot post to this group."))


def can_edit_bookmark(user: User, bookmark: Bookmark):
    """Only the saver edits a bookmark's own words and tags; in a group, only while they may
    still post there (a ban removes the membership and freezes what they saved)."""
    if user is None or not user.is_authenticated or bookmark.owner_id != user.pk:
        return False
    return bookmark.group_id is None or permissions.can(
        role_of(user, bookmark.group), "post", bookmark.group
    )


def can_delete_bookmark(user: User, bookmark: Bookmark, role: str | None = None):
    """The saver, or a group moderator (and up) for group items. `role` spares a query."""
    if can_edit_bookmark(user, bookmark):
        return True
    if bookmark.group_id is None or user is None or not user.is_authenticated:
        return False
    if role is None:
        role = role_of(user, bookmark.group)
    return permissions.can(role, "moderate", bookmark.group)


def _clean(bookmark):
    bookmark.full_clean(exclude=["page", "owner", "group", "search_vector", "created_at"])


@transaction.atomic
def save_bookmark(
    user: User,
    url: str,
    *,
    title: str = "",
    description: str = "",
    tags: list[str] | str | None = None,
    group: Group | None = None,
    private: bool = False,
    unread: bool = False,
    created_at: datetime | None = None,
):
    """Save `url` for `user` into `group` (None = personal library).

    Saving the same URL to the same destination again updates that bookmark instead of adding
    a row: the tags merge (as import and copy do) and an empty title or description keeps the
    one already there. A private bookmark lives only in the saver's own library, so `private`
    with a group is refused rather than quietly published in the group.
    Returns (bookmark, created).
    """
    if private and group is not None:
        raise ValidationError(
            {
                "private": _(
                    "A private bookmark can only be saved in your own library: untick "
                    "Private or choose My library."
                )
            }
        )
    check_can_post(user, group)
    page, _created = get_or_create_page(url)
    tag_list = parse_tags(tags)
    existing = (
        Bookmark.objects.select_for_update().filter(owner=user, group=group, page=page).first()
    )
    if existing is not None:
        if title:
            existing.title = title
        if description:
            existing.description = description
        existing.tags = parse_tags(existing.tags + tag_list)
        existing.private = private
        existing.unread = unread
        _clean(existing)
        existing.save()
        bookmark, created = existing, False
    else:
        bookmark = Bookmark(
            page=page,
            owner=user,
            group=group,
            title=title or "",
            description=description or "",
            tags=tag_list,
            private=private,
            unread=unread,
            created_at=created_at or timezone.now(),
        )
        _clean(bookmark)
        bookmark.save()
        created = True
    return bookmark, created


@transaction.atomic
def update_bookmark(user: User, bookmark: Bookmark, **fields):
    """Change the saver's title, description, tags, private, read-later flags, or the save
    date (the API; the caller clamps a date from the future, bookmarks.dates)."""
    if not can_edit_bookmark(user, bookmark):
        raise PermissionDenied(_("Only the person who saved this can edit it."))
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    bookmark = Bookmark.objects.select_for_update().get(pk=bookmark.pk)
    for name, value in fields.items():
        if name == "tags":
            value = parse_tags(value)
        elif name in {"title", "description"}:
            value = (value or "").strip()
        setattr(bookmark, name, value)
    if bookmark.group_id is not None:
        bookmark.private = False
    _clean(bookmark)
    bookmark.save()
    return bookmark


@transaction.atomic
def delete_bookmark(user: User, bookmark: Bookmark):
    if not can_delete_bookmark(user, bookmark):
        raise PermissionDenied(_("You cannot delete this bookmark."))
    withdraw("bookmark", [bookmark.pk])
    bookmark.delete()


def copy_bookmark(user: User, bookmark: Bookmark, group: Group | None):
    """Save the same page, words and tags into another of the user's groups (or merge there)."""
    if group is not None and bookmark.group_id == group.pk and bookmark.owner_id == user.pk:
        raise ValidationError(_("This bookmark is already in that group."))
    return save_bookmark(
        user,
        bookmark.page.url,
        title=bookmark.title,
        description=bookmark.description,
        tags=bookmark.tags,
        group=group,
        private=False if group is not None else bookmark.private,
    )


# Replace `old` by `new` in the array and drop the duplicates a merge creates, keeping order.
_RENAME_SQL = """
UPDATE bookmarks_bookmark
SET tags = ARRAY(
        SELECT t FROM unnest(array_replace(tags, %(old)s, %(new)s)) WITH ORDINALITY AS u(t, i)
        GROUP BY t ORDER BY min(i)
    ),
    updated_at = now()
WHERE tags @> ARRAY[%(old)s]::varchar(100)[] AND {scope}
"""


@transaction.atomic
def rename_tag(user: User, old: str, new: str, group: Group | None = None):
    """Rename `old` to `new` in the user's personal library or, for moderators, in a group.

    When `new` already exists on a bookmark the two merge. Returns the number of bookmarks
    changed.
    """
    old, new = normalize_tag(old), normalize_tag(new)
    if not old or not new:
        raise ValidationError(_("Both the tag and its new name are needed."))
    if old == new:
        return 0
    if group is None:
        scope, params = "group_id IS NULL AND owner_id = %(owner)s", {"owner": user.pk}
    else:
        if not permissions.can(role_of(user, group), "manage_tags", group):
            raise PermissionDenied(_("Only moderators can rename tags in this group."))
        scope, params = "group_id = %(group)s", {"group": group.pk}
    with connection.cursor() as cursor:
        cursor.execute(_RENAME_SQL.format(scope=scope), {"old": old, "new": new, **params})
        changed = cursor.rowcount
    forget_tag_counts(group=group, owner=user if group is None else None)
    return changed


_RECORD_VIEW_SQL = """
INSERT INTO bookmarks_bookmarkview (bookmark_id, viewer_key, day)
VALUES (%s, %s, %s)
ON CONFLICT ON CONSTRAINT one_view_per_viewer_per_day DO NOTHING
RETURNING id
"""


def viewer_key_for(request: HttpRequest):
    """Who is viewing: the user id, or the session of an anonymous reader (created if needed)."""
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
    return f"s:{request.session.session_key}"


@transaction.atomic
def record_view(bookmark: Bookmark, viewer_key: str, *, viewer: Viewer = None):
    """Count one view per viewer per bookmark per day, never the saver's own. True if counted."""
    if viewer is not None and viewer.is_authenticated and viewer.pk == bookmark.owner_id:
        return False
    if viewer_key == f"u:{bookmark.owner_id}":
        return False
    with connection.cursor() as cursor:
        cursor.execute(_RECORD_VIEW_SQL, [bookmark.pk, viewer_key[:64], timezone.localdate()])
        inserted = cursor.fetchone() is not None
    if inserted:
        Bookmark.objects.filter(pk=bookmark.pk).update(view_count=F("view_count") + 1)
    return inserted


# --- storing a fetch's outcome on the Page ---------------------------------------------------


def record_fetch_success(page_id: int, result: FetchResult) -> dict:
    """Store what was fetched on the Page; fill empty bookmark titles. Returns the fields.

    A bookmark saved without a title takes the fetched one (Bookmark.title is filled, not only
    displayed through the page), so that search, exports and the API see it too; a title the
    saver wrote is never replaced.
    """
    data = extract(
        result.body, url=result.url, content_type=result.content_type, charset=result.charset
    )
    now = timezone.now()
    fields = {
        "title": data.title[:500],
        "description": data.description,
        "site_name": data.site_name[:200] or (urlsplit(result.url).hostname or "")[:200],
        "language": data.language[:20],
        "canonical_url": data.canonical_url[:2048],
        "favicon_url": data.favicon_url[:2048],
        "published_at": data.published_at,
        "content_type": result.content_type[:100],
        "text": data.text,
        "fetch_status": Page.FetchStatus.OK,
        "fetch_error": "",
        "http_status": result.status,
        "final_url": result.url[:2048],
        "fetched_at": now,
        "link_failures": 0,
        "link_checked_at": now,
    }
    # Two UPDATEs in one transaction (the search vectors follow through database triggers).
    with transaction.atomic():
        text_changed = not Page.objects.filter(pk=page_id, text=data.text).exists()
        Page.objects.filter(pk=page_id).update(**fields)
        if fields["title"]:
            Bookmark.objects.filter(page_id=page_id, title="").update(
                title=fields["title"], updated_at=now
            )
    return {**fields, "text_changed": text_changed}


def record_fetch_failure(page_id: int, error: FetchError, *, final: bool) -> None:
    """Remember why the fetch failed; `final` marks the page failed (no more retries).

    A page that was fetched before keeps its status and text (a re-fetch that fails does not
    erase what readers and highlights rely on); the failure counts towards the dead-link badge.
    """
    fields = {"fetch_error": error.reason[:2000], "http_status": error.http_status}
    if final:
        page = Page.objects.filter(pk=page_id).only("fetch_status").first()
        if page is not None and page.fetch_status == Page.FetchStatus.OK:
            fields.update(link_failures=F("link_failures") + 1, link_checked_at=timezone.now())
        else:
            fields.update(fetch_status=Page.FetchStatus.FAILED, fetched_at=timezone.now())
            if error.final_url:
                fields["final_url"] = error.final_url[:2048]
    Page.objects.filter(pk=page_id).update(**fields)


# --- periodic jobs: each claims its pages, so overlapping runs queue nothing twice ----------


def _claim(pages, *, marker: str, order: str, limit: int, now) -> list[int]:
    """Mark up to `limit` of `pages` as queued now and return their ids. Rows another run is
    claiming at this moment are skipped (FOR UPDATE SKIP LOCKED), not waited for."""
    with transaction.atomic():
        ids = list(
            pages.select_for_update(skip_locked=True)
            .order_by(order)
            .values_list("pk", flat=True)[:limit]
        )
        Page.objects.filter(pk__in=ids).update(**{marker: now})
    return ids


def _not_queued_since(marker: str, since) -> Q:
    return Q(**{f"{marker}__isnull": True}) | Q(**{f"{marker}__lt": since})


def claim_pending_pages(*, older_than: timedelta, limit: int) -> list[int]:
    """Pages still pending `older_than` after they were saved and not queued again since."""
    now = timezone.now()
    pages = Page.objects.filter(
        _not_queued_since("fetch_queued_at", now - older_than),
        fetch_status=Page.FetchStatus.PENDING,
        created_at__lt=now - older_than,
    )
    return _claim(pages, marker="fetch_queued_at", order="created_at", limit=limit, now=now)


def claim_stale_pages(*, older_than: timedelta, requeue_after: timedelta, limit: int) -> list[int]:
    """Pages fetched more than `older_than` ago, not queued for a re-fetch since."""
    now = timezone.now()
    pages = Page.objects.filter(
        _not_queued_since("fetch_queued_at", now - requeue_after),
        fetch_status=Page.FetchStatus.OK,
        fetched_at__lt=now - older_than,
    )
    return _claim(pages, marker="fetch_queued_at", order="fetched_at", limit=limit, now=now)


def claim_link_checks(*, older_than: timedelta, requeue_after: timedelta, limit: int) -> list[int]:
    """Fetched pages whose link was not checked for `older_than`, not queued since."""
    now = timezone.now()
    pages = (
        Page.objects.exclude(fetch_status=Page.FetchStatus.PENDING)
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=now - older_than))
        .filter(_not_queued_since("link_check_queued_at", now - requeue_after))
    )
    order = F("link_checked_at").asc(nulls_first=True)
    return _claim(pages, marker="link_check_queued_at", order=order, limit=limit, now=now)


@transaction.atomic
def record_link_check(*, page_id: int, alive: bool, min_interval: timedelta) -> None:
    """A success clears the dead-link count; a failure adds one, unless a check already
    counted within `min_interval` (two runs of the same period count once)."""
    now = timezone.now()
    pages = Page.objects.filter(pk=page_id)
    if alive:
        pages.update(link_failures=0, link_checked_at=now)
        return
    not_counted = Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=now - min_interval)
    pages.filter(not_counted).update(link_failures=F("link_failures") + 1, link_checked_at=now)
