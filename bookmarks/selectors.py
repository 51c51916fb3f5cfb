"""Reads of bookmarks and pages, already filtered by what the viewer may see."""

import math
from collections.abc import Iterable, Iterator

from django.core.cache import cache
from django.db import connection
from django.db.models import Func, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.types import Viewer
from groups.models import Group
from groups.selectors import readable_group_ids_subquery

from .models import Bookmark, Page
from .tags import tag_sort_key

TAG_CACHE_SECONDS = 600
COUNT_CACHE_SECONDS = 120
TOP_TAGS = 200


def visibility_q(viewer: Viewer, prefix: str = "") -> Q:
    """The SQL condition for "the viewer may see this bookmark".

    Group items follow the group's visibility, unless a moderator hid them; personal items are
    public unless private, and the owner always sees their own. `prefix` lets other models
    reuse the rule (e.g. prefix="bookmark__" on Highlight).
    """
    p = prefix
    personal_public = Q(**{f"{p}group__isnull": True, f"{p}private": False})
    # a hidden group item (Bookmark.hidden) is out for everyone, the banned saver included
    in_readable_group = Q(
        **{f"{p}group__in": readable_group_ids_subquery(viewer), f"{p}hidden": False}
    )
    q = personal_public | in_readable_group
    if viewer is not None and viewer.is_authenticated:
        q |= Q(**{f"{p}group__isnull": True, f"{p}owner_id": viewer.pk})
    return q


def visible_bookmarks(viewer: Viewer) -> QuerySet[Bookmark]:
    return Bookmark.objects.filter(visibility_q(viewer)).select_related("page", "owner", "group")


def group_bookmarks(viewer: Viewer, group: Group) -> QuerySet[Bookmark]:
    """The bookmarks of one group, if the viewer may read it.

    Same rule as visibility_q, narrowed to a group: the condition reads group_id and hidden
    only (visibility_q's personal-item branches would make Postgres read every row's
    `private` and `owner_id` too).
    """
    return Bookmark.objects.filter(
        group=group, group_id__in=readable_group_ids_subquery(viewer), hidden=False
    ).select_related("page", "owner", "group")


def listed_rows(bookmarks: QuerySet[Bookmark]) -> QuerySet[Bookmark]:
    """Bookmarks as a listing shows them: with their page, owner and group, without the
    vector and the page's text (it can be long): a row needs to know the page has a text
    (the "Read" link), not the text itself. Its size comes from the TOAST header, so the
    text is never read nor sent; with_text_sizes() hands it to Page.has_text."""
    return (
        bookmarks.select_related("page", "owner", "group")
        .defer("search_vector", "page__text")
        .annotate(page_text_bytes=Func("page__text", function="octet_length"))
    )


def with_text_sizes(bookmarks: Iterable[Bookmark]) -> Iterator[Bookmark]:
    """The bookmarks of listed_rows(), their pages told their text's size."""
    for bookmark in bookmarks:
        bookmark.page.text_bytes = bookmark.page_text_bytes
        yield bookmark


def get_visible_bookmark(viewer: Viewer, pk: int) -> Bookmark:
    """The bookmark, or 404 when it does not exist for this viewer."""
    return get_object_or_404(visible_bookmarks(viewer), pk=pk)


def savers_count(viewer: Viewer, page: Page) -> int:
    """How many people saved this page, among the saves the viewer may see."""
    return (
        Bookmark.objects.filter(visibility_q(viewer), page=page)
        .values("owner_id")
        .distinct()
        .count()
    )


# --- tags -------------------------------------------------------------------------------

_TAG_COUNTS_SQL = """
SELECT t, count(*) AS n FROM ({inner}) AS b, unnest(b.tags) AS t
GROUP BY t ORDER BY n DESC, t
"""


def _tag_counts_of(queryset):
    sql, params = queryset.order_by().values("tags").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_TAG_COUNTS_SQL.format(inner=sql), params)
        return [(tag, n) for tag, n in cursor.fetchall()]


def count_cache_key(group: Group | int) -> str:
    return f"bookmarks:count:g:{getattr(group, 'pk', group)}"


def tag_cache_key(group: Group | None = None, owner: User = None, private: bool = False) -> str:
    if group is not None:
        return f"bookmarks:tags:g:{getattr(group, 'pk', group)}"
    return f"bookmarks:tags:u:{getattr(owner, 'pk', owner)}:{'all' if private else 'public'}"


def tag_counts(
    source: QuerySet[Bookmark] | None = None,
    *,
    group: Group | None = None,
    owner: User | None = None,
    viewer: Viewer = None,
) -> list[tuple[str, int]]:
    """[(tag, count)] most used first: of a queryset, a group (the caller has checked the
    viewer may read it) or a user's personal library (private tags only for the owner).

    Group and user clouds are cached; every write that changes tags clears them.
    """
    if source is not None:
        return _tag_counts_of(source)
    if group is not None:
        key = tag_cache_key(group=group)
        qs = Bookmark.objects.filter(group=group, hidden=False)
    else:
        private = viewer is not None and viewer.is_authenticated and viewer.pk == owner.pk
        key = tag_cache_key(owner=owner, private=private)
        qs = Bookmark.objects.filter(owner=owner, group__isnull=True)
        if not private:
            qs = qs.filter(private=False)
    counts = cache.get(key)
    if counts is None:
        counts = _tag_counts_of(qs)
        cache.set(key, counts, TAG_CACHE_SECONDS)
    return counts


def top_tags(
    *,
    group: Group | None = None,
    owner: User | None = None,
    viewer: Viewer = None,
    limit: int = 40,
) -> list[tuple[str, int]]:
    """The most used tags (a tag cloud's worth), cached apart from the full list so a page
    view does not load every tag of a big group."""
    if group is not None:
        key = tag_cache_key(group=group) + ":top"
    else:
        private = viewer is not None and viewer.is_authenticated and viewer.pk == owner.pk
        key = tag_cache_key(owner=owner, private=private) + ":top"
    top = cache.get(key)
    if top is None or len(top) < limit <= TOP_TAGS:
        top = tag_counts(group=group, owner=owner, viewer=viewer)[:TOP_TAGS]
        cache.set(key, top, TAG_CACHE_SECONDS)
    return top[:limit]


def tag_suggestions(counts: list[tuple[str, int]], prefix: str, limit: int = 10) -> list:
    """The most used tags starting with `prefix` (then containing it), from tag_counts()."""
    prefix = prefix.strip().lower()
    if not prefix:
        return counts[:limit]
    starting = [(t, n) for t, n in counts if t.startswith(prefix)]
    if len(starting) < limit:
        starting += [(t, n) for t, n in counts if prefix in t and not t.startswith(prefix)]
    return starting[:limit]


def cloud(counts: list[tuple[str, int]], limit: int = 60) -> list:
    """Tags with a size step 1..5 for a tag cloud, alphabetical."""
    top = counts[:limit]
    if not top:
        return []
    most = top[0][1]
    least = top[-1][1]
    span = max(1, math.log(most) - math.log(least)) if most > least else 1
    out = []
    for tag, n in top:
        step = 1 + round(4 * (math.log(n) - math.log(least)) / span) if most > least else 3
        out.append({"tag": tag, "count": n, "step": step})
    return sorted(out, key=lambda d: tag_sort_key(d["tag"]))
