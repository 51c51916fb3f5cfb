"""API v1 search: bookmarks and topics the viewer may see, ranked, with marked snippets."""

import hashlib

from django.utils.html import escape
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ParseError
from rest_framework.response import Response

from annotations import api as annotations_api
from annotations.selectors import visible_topics
from bookmarks.urlnorm import title_from_url
from config import positions
from config.api import query_data
from config.pagination import BAD_CURSOR, page_links, read_cursor
from groups.selectors import get_readable_group
from groups.serializers import TopicSerializer
from search.selectors import search_items
from search.serializers import SearchQuerySerializer, SearchResultSerializer


def engine_page(request, q, *, sort, page, per_page, present, **search):
    """One page of search_items() as an API list: {"count", "count_exact", "next",
    "previous", "results"}, `next` a cursor after the page's last item (its rank, date and
    id), so a deep page is read from that key on instead of after an offset. The count is
    the engine's capped count, carried by the cursor (a later page does not count again)."""
    # a cursor resumes the query it came from, and only that one
    asked = positions.list_params(request)
    kind = "search:" + hashlib.sha256(repr(asked).encode()).hexdigest()[:16]
    raw_cursor = request.query_params.get("cursor")
    after, depth = None, (page - 1) * per_page
    if raw_cursor:
        state = read_cursor(raw_cursor, kind=kind)
        after, depth, per_page = state["k"], state["d"], state["s"]
        if not isinstance(after, list) or len(after) not in (3, 4) or not 1 <= per_page <= 100:
            raise ParseError(BAD_CURSOR)
    else:  # a page number: read from its key when this viewer's pages before told it
        state, version = positions.recall(request, kind, depth, per_page)
        if state is not None:
            after = state["k"]
    found = search_items(
        request.user, q, sort=sort, page=page, per_page=per_page, after=after, depth=depth, **search
    )
    count, exact = found.count, not found.count_capped
    if state is not None:
        count, exact = state["n"], bool(state.get("x"))
    if not exact and not found.more:  # the last page: now the count is known
        count, exact = depth + len(found.items), True
    if not raw_cursor:
        position = {"s": per_page, "n": count, "x": exact}
        positions.remember(
            request,
            kind,
            version,
            [
                {**position, "k": found.key_before, "d": depth} if after is None else None,
                {**position, "k": found.last_key, "d": depth + per_page} if found.more else None,
            ],
        )
    next_url, previous_url = page_links(
        request,
        depth=depth,
        size=per_page,
        count=count,
        exact=exact,
        keys=found.last_key,
        more=found.more,
        kind=kind,
    )
    return Response(
        {
            "count": count,
            "count_exact": exact,
            "next": next_url,
            "previous": previous_url,
            "results": present(found.items),
        }
    )


_DATETIME = serializers.DateTimeField()


BOOKMARK_COLUMNS = (
    "id",
    "title",
    "page__title",
    "page__url",
    "group__slug",
    "owner__username",
    "tags",
    "description",
    "created_at",
)


def marked_results(queryset):
    """The page's bookmarks (marks annotated, search_items(load_marked=)) in the API's shape,
    read as values: building the models (bookmark, page, owner, group) of a 100-item page
    was half of a search's Python time (cProfile, bench/api.py)."""
    marked = "title_marked" in queryset.query.annotations
    columns = BOOKMARK_COLUMNS + (("title_marked", "snippet") if marked else ())
    results = []
    for row in queryset.values_list(*columns):
        values = dict(zip(columns, row, strict=True))
        # Bookmark.display_title, from the values
        title = values["title"] or values["page__title"] or title_from_url(values["page__url"])
        results.append(
            {
                "type": "bookmark",
                "id": values["id"],
                "title": title,
                "title_marked": values.get("title_marked") or escape(title),
                "url": values["page__url"],
                "group": values["group__slug"],
                "author": values["owner__username"],
                "tags": values["tags"],
                "snippet": values.get("snippet") or escape(values["description"][:200]),
                "created_at": _DATETIME.to_representation(values["created_at"]),
            }
        )
    return results


def as_result(result):
    """One search_items() hit (a Bookmark or a Topic, or a bookmark marked_results gave)
    in the API's shape."""
    item = result.item
    if isinstance(item, dict):
        return item
    if result.kind == "topic":
        return {
            "type": "topic",
            "id": item.pk,
            "title": item.title,
            "title_marked": result.title_marked or escape(item.title),
            "url": None,
            "group": item.group.slug,
            "author": item.author.username if item.author else None,
            "tags": [],
            "snippet": result.snippet or escape(item.body[:200]),
            "created_at": _DATETIME.to_representation(item.created_at),
        }
    return {
        "type": "bookmark",
        "id": item.pk,
        "title": item.display_title,
        "title_marked": result.title_marked or escape(item.display_title),
        "url": item.page.url,
        "group": item.group.slug if item.group_id else None,
        "author": item.owner.username,
        "tags": item.tags,
        "snippet": result.snippet or escape(item.description[:200]),
        "created_at": _DATETIME.to_representation(item.created_at),
    }


class SearchView(generics.GenericAPIView):
    serializer_class = SearchResultSerializer

    @extend_schema(
        summary="Search bookmarks and topics",
        description=(
            "The search query language: words, all required (accent-insensitive, and from "
            'three letters also prefixes: travail finds travailleurs), "phrases", -excluded, '
            "a OR b, tag:x, user:x, site:x (and its subdomains), type:bookmark|topic, "
            "is:unread, has:highlights, has:comments, before:YYYY-MM-DD, after:YYYY-MM-DD. "
            "Anything else is read as plain words. `count` stops at 1000 (`count_exact` is then "
            "false); follow `next` (a cursor) for the pages after. An empty query finds nothing."
        ),
        parameters=[
            OpenApiParameter("q", str, description="The query."),
            OpenApiParameter("group", str, description="Only this group (slug)."),
            OpenApiParameter(
                "scope", str, enum=["all", "mine"], description="mine: your personal library."
            ),
            OpenApiParameter("sort", str, enum=["relevance", "date"]),
            OpenApiParameter("type", str, enum=["all", "bookmark", "topic", "bookmarks", "topics"]),
        ],
        responses={
            200: SearchResultSerializer(many=True),
            404: OpenApiResponse(description="No such group."),
        },
    )
    def get(self, request):
        params = SearchQuerySerializer(data=query_data(request))
        params.is_valid(raise_exception=True)
        p = params.validated_data
        group = get_readable_group(request.user, p["group"]) if p.get("group") else None
        return engine_page(
            request,
            p.get("q", ""),
            group=group,
            scope=p["scope"],
            sort=p["sort"],
            type=None if p["type"] == "all" else p["type"],
            page=p["page"],
            per_page=p["page_size"],
            # plain dicts of SearchResultSerializer's shape (the schema): running the
            # serializer over a 100-item page cost more than building them
            load_marked=marked_results,
            present=lambda items: [as_result(r) for r in items],
        )


class GroupTopicListView(annotations_api.GroupTopicListView):
    """A group's topics; with a keyword `q`, through the search engine (ranked, capped
    count), the reply counts read for the page's topics only."""

    @extend_schema(
        summary="A group's discussion topics, newest first (with q: matching ones, ranked)",
        parameters=[
            OpenApiParameter("q", str, description="Search query (as /api/v1/search/)."),
            OpenApiParameter("sort", str, enum=["relevance", "date"]),
        ],
        responses={200: TopicSerializer(many=True), 404: annotations_api.NOT_FOUND},
    )
    def get(self, request, slug):
        params = SearchQuerySerializer(data=query_data(request))
        params.is_valid(raise_exception=True)
        p = params.validated_data
        q = (p.get("q") or "").strip()
        if not q:
            return super().get(request, slug)
        group = get_readable_group(request.user, slug)

        def present(items):
            ids = [r.item.pk for r in items]
            found = {t.pk: t for t in visible_topics(request.user, group).filter(pk__in=ids)}
            return TopicSerializer([found[pk] for pk in ids if pk in found], many=True).data

        return engine_page(
            request,
            q,
            group=group,
            sort=p["sort"],
            type="topic",
            page=p["page"],
            per_page=p["page_size"],
            marks=False,
            present=present,
        )
