"""The library listings: a group's or a person's items, filtered, sorted and paged.

They compose the layers below: bookmarks and topics (with their annotation counts) in date
order, and the search engine when the page has a keyword.
"""

import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q, QuerySet, Value

from accounts.models import User
from accounts.types import Viewer
from annotations.selectors import visible_topics, with_counts
from bookmarks.models import Bookmark, Page
from bookmarks.selectors import (
    count_cache_key,
    group_bookmarks,
    listed_rows,
    visible_bookmarks,
    with_text_sizes,
)
from groups.models import Group, Membership, Topic
from groups.selectors import readable_group_ids_subquery
from search.query import parse
from search.selectors import facets, search_items

SORTS = ("date", "relevance")
KINDS = ("all", "bookmarks", "topics")
COUNT_CACHE_SECONDS = 120
TAG_SIDEBAR = 40  # the tags of a library page's side bar


@dataclass(frozen=True)
class LibraryFilters:
    """What a library page shows; every field comes from (and goes back to) the query string."""

    q: str = ""
    tags: tuple = ()
    saved_by: str = ""
    kind: str = "all"
    sort: str = "date"
    unread: bool = False

    @property
    def relevance(self):
        """Relevance needs a keyword; without one the page is in date order."""
        return self.sort == "relevance" and bool(self.q)


@dataclass
class LibraryPage:
    items: list
    number: int
    per_page: int
    total: int
    num_pages: int
    start: int = 0
    end: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def total_shown(self):
        """The total as the pager says it: "1000+" when a keyword search stopped counting."""
        return f"{self.total}+" if self.extra.get("capped") else self.total

    @property
    def has_next(self):
        return self.number < self.num_pages


class Listing:
    """A library's items (bookmarks, optionally mixed with topics) in one order, paged.

    Pages are read as a page of (kind, id) first, then the rows of those ids, so a deep page
    never drags joins across skipped rows; a page past the middle is read from the other end
    (the last page of 100,000 items costs what the first one does).
    """

    def __init__(
        self,
        bookmarks: QuerySet | None,
        topics: QuerySet | None = None,
        *,
        count_key: str | None = None,
    ):
        self.bookmarks = bookmarks
        self.topics = topics
        self.count_key = count_key
        self._count = None

    def _bookmark_count(self):
        if self.bookmarks is None:
            return 0
        if self.count_key is None:
            return self.bookmarks.order_by().count()
        # The unfiltered count of a big group is the one costly number of the page (it reads
        # every index entry); it is cached and cleared by every write to the group.
        total = cache.get(self.count_key)
        if total is None:
            total = self.bookmarks.order_by().count()
            cache.set(self.count_key, total, COUNT_CACHE_SECONDS)
        return total

    def count(self):
        if self._count is None:
            total = self._bookmark_count()
            if self.topics is not None:
                total += self.topics.order_by().count()
            self._count = total
        return self._count

    def page(self, number: int, per_page: int) -> "LibraryPage":
        total = self.count()
        num_pages = max(1, math.ceil(total / per_page))
        number = min(max(1, number), num_pages)
        offset = (number - 1) * per_page
        limit = max(0, min(per_page, total - offset))
        items = self._items(offset, limit, total) if limit else []
        return LibraryPage(
            items=items,
            number=number,
            per_page=per_page,
            total=total,
            num_pages=num_pages,
            start=offset + 1 if limit else 0,
            end=offset + limit,
        )

    def _items(self, offset, limit, total):
        backwards = offset > total // 2
        if backwards:
            offset = total - offset - limit
        order = ("created_at", "id") if backwards else ("-created_at", "-id")
        parts = []
        for kind, qs in ((0, self.bookmarks), (1, self.topics)):
            if qs is not None:
                parts.append(
                    qs.annotate(kind=Value(kind))
                    .order_by(*order)
                    .values_list("kind", "id", "created_at")[: offset + limit]
                )
        if len(parts) == 1:
            keys = list(parts[0][offset : offset + limit])
        else:
            keys = list(
                parts[0].union(parts[1], all=True).order_by(*order)[offset : offset + limit]
            )
        if backwards:
            keys.reverse()
        return self._fetch(keys)

    def _fetch(self, keys):
        bookmark_ids = [pk for kind, pk, _ in keys if kind == 0]
        topic_ids = [pk for kind, pk, _ in keys if kind == 1]
        found = {}
        # The ids come from the visibility-filtered queries above, so the rows are read by id
        # alone: compiling the visibility and filter conditions again is most of a page's CPU.
        # .order_by(): the rows are put in the keys' order below, not by Meta.ordering
        if bookmark_ids:
            rows = Bookmark.objects.filter(pk__in=bookmark_ids).order_by()
            for b in with_text_sizes(with_counts(listed_rows(rows))):
                found[(0, b.pk)] = _as_item(b, "bookmark")
        if topic_ids:
            rows = (
                Topic.objects.filter(pk__in=topic_ids).select_related("author", "group").order_by()
            )
            found.update({(1, t.pk): _as_item(t, "topic") for t in rows})
        return [found[(kind, pk)] for kind, pk, _ in keys if (kind, pk) in found]


def _as_item(obj, kind):
    obj.item_kind = kind
    return obj


def _filter_bookmarks(qs, filters):
    """The filters of a library page without a keyword (with one: KeywordListing)."""
    if filters.tags:
        qs = qs.filter(tags__contains=list(filters.tags))
    if filters.saved_by:
        qs = qs.filter(owner__username=filters.saved_by)
    return qs


def _filter_topics(qs, filters):
    if filters.saved_by:
        qs = qs.filter(author__username=filters.saved_by)
    return qs


class KeywordListing:
    """A library page with a keyword: the /search/ engine (search.selectors.search_items),
    scoped to the library, so the page gets its plans (a big group's own index, the date
    walk for common words, GIN for rare ones), its capped count ("1000+") and its relevance.
    The library's own filters (tags, saved by, kind, unread) join the parsed query."""

    def __init__(
        self,
        viewer: Viewer,
        filters: LibraryFilters,
        *,
        group: Group | None = None,
        owner: User | None = None,
        unread: bool = False,
    ):
        self.viewer, self.group, self.owner = viewer, group, owner
        self.sort = "relevance" if filters.relevance else "date"
        self.parsed = parse(filters.q)
        self.parsed.tags = list(dict.fromkeys([*self.parsed.tags, *filters.tags]))
        if filters.saved_by:
            self.parsed.users = [*self.parsed.users, filters.saved_by]
        self.parsed.is_unread = self.parsed.is_unread or unread
        self.type = {"bookmarks": "bookmark", "topics": "topic"}.get(filters.kind)
        if owner is not None:  # a personal library holds no topics
            self.type = "bookmark"
        self._facets = None

    def _search(self, number, per_page):
        return search_items(
            self.viewer,
            self.parsed,
            group=self.group,
            owner=self.owner,
            sort=self.sort,
            type=self.type,
            page=number,
            per_page=per_page,
            # the side bar's tags, from the query the search built (not built a second time)
            with_facets=True,
            facet_limit=TAG_SIDEBAR,
        )

    def facets(self, limit: int) -> list[tuple[str, int]]:
        """The most frequent tags among the results: [(tag, count)]; a page already read
        brought the first TAG_SIDEBAR of them."""
        if self._facets is not None and limit <= TAG_SIDEBAR:
            return self._facets[:limit]
        return facets(self.viewer, self.parsed, group=self.group, owner=self.owner, limit=limit)

    def page(self, number: int, per_page: int) -> "LibraryPage":
        number = max(1, number)
        results = self._search(number, per_page)
        num_pages = max(1, math.ceil(results.count / per_page))
        if number > num_pages:  # out of range: the last page, as without a keyword
            number = num_pages
            results = self._search(number, per_page)
        self._facets = results.facets
        items = [_as_item(r.item, r.kind) for r in results.items]  # bookmarks with their counts
        offset = (number - 1) * per_page
        return LibraryPage(
            items=items,
            number=number,
            per_page=per_page,
            total=results.count,
            num_pages=num_pages,
            start=offset + 1 if items else 0,
            end=offset + len(items),
            extra={"capped": results.count_capped},
        )


def group_library(
    group: Group, viewer: Viewer, filters: LibraryFilters
) -> "Listing | KeywordListing":
    """The items of a group's library the viewer may see, as a Listing (a KeywordListing
    with a keyword). Topics join bookmarks under "All" unless a filter only bookmarks have
    (tags) is on.
    """
    if filters.q:
        return KeywordListing(viewer, filters, group=group)
    bookmarks = topics = None
    if filters.kind in ("all", "bookmarks"):
        bookmarks = _filter_bookmarks(group_bookmarks(viewer, group), filters)
    topics_fit = not filters.tags
    if filters.kind == "topics" or (filters.kind == "all" and topics_fit):
        # the page reads their ids (and the rows of its own by id, _fetch)
        topics = _filter_topics(visible_topics(viewer, group, replies=False), filters)
    if bookmarks is None and topics is None:
        bookmarks = Bookmark.objects.none()
    unfiltered = not (filters.tags or filters.saved_by)
    return Listing(bookmarks, topics, count_key=count_cache_key(group) if unfiltered else None)


def user_library(
    owner: User, viewer: Viewer, filters: LibraryFilters, *, everything: bool = False
) -> "Listing | KeywordListing":
    """A person's personal library: everyone sees the public items, the owner sees all.

    Group saves stay in their groups' pages: the profile lists personal items only, so it
    never has to reason about which of the owner's groups the viewer may read. Only the owner
    may ask for `everything` they saved, their group saves included (those they still see).
    """
    is_owner = viewer is not None and viewer.pk == owner.pk
    own_unread = filters.unread and is_owner
    if filters.q:
        return KeywordListing(viewer, filters, owner=owner, unread=own_unread)
    qs = visible_bookmarks(viewer).filter(owner=owner)
    if not (everything and is_owner):
        qs = qs.filter(group__isnull=True)
    if own_unread:
        qs = qs.filter(unread=True)
    return Listing(_filter_bookmarks(qs, LibraryFilters(tags=filters.tags)))


@dataclass
class DestinationSaves:
    """For the save form: the viewer's own bookmark of a URL in one destination, and who
    else saved it there (among the saves the viewer may see)."""

    group: object  # Group, or None for my library
    mine: Bookmark | None
    others: list


def saves_of_url(viewer: Viewer, *, page: Page, destinations: list) -> list[DestinationSaves]:
    """What already exists for `page` in each destination (None = the viewer's library)."""
    rows = list(
        visible_bookmarks(viewer)
        .filter(page=page)
        .filter(Q(group__isnull=True, owner=viewer) | Q(group__in=[g for g in destinations if g]))
        .order_by("created_at")
    )
    out = []
    for group in destinations:
        here = [b for b in rows if b.group_id == (group.pk if group else None)]
        mine = next((b for b in here if b.owner_id == viewer.pk), None)
        others = [b.owner for b in here if b.owner_id != viewer.pk]
        out.append(DestinationSaves(group=group, mine=mine, others=others))
    return out


HOME_ITEMS = 10


def recent_group_items(
    viewer: Viewer, *, only_mine: bool = False, limit: int = HOME_ITEMS
) -> list[Bookmark]:
    """The latest bookmarks saved in groups, for the home page, with their counts.

    Only what visible_bookmarks lets the viewer see, and only group items (a personal library
    is not "activity"): for a visitor, public groups; with `only_mine`, the viewer's own groups.
    """
    if only_mine and not (viewer is not None and viewer.is_authenticated):
        return []
    groups = (
        Membership.objects.filter(user_id=viewer.pk).values("group_id")
        if only_mine
        else readable_group_ids_subquery(viewer)
    )
    rows = (
        visible_bookmarks(viewer)
        .filter(group_id__in=groups)
        .defer("search_vector", "page__text")
        .order_by("-created_at", "-id")
    )
    return list(with_counts(rows)[:limit])
