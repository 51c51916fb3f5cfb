"""API v1 search: bookmarks and topics the viewer may see, ranked, with marked snippets."""

from django.utils.html import escape
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from config.api import query_data
from groups.selectors import get_readable_group
from search.selectors import search_items
from search.serializers import SearchQuerySerializer, SearchResultSerializer


def as_result(result):
    """One search_items() hit (a Bookmark or a Topic) in the API's shape."""
    item = result.item
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
            "created_at": item.created_at,
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
        "created_at": item.created_at,
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
            "Anything else is read as plain words. `count` stops at 1000. An empty query "
            "finds nothing."
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
        found = search_items(
            request.user,
            p.get("q", ""),
            group=group,
            scope=p["scope"],
            sort=p["sort"],
            type=None if p["type"] == "all" else p["type"],
            page=p["page"],
            per_page=p["page_size"],
        )
        url = request.build_absolute_uri()
        next_url = replace_query_param(url, "page", found.page + 1) if found.has_next else None
        previous_url = None
        if found.has_previous:
            previous_url = (
                remove_query_param(url, "page")
                if found.page == 2
                else replace_query_param(url, "page", found.page - 1)
            )
        return Response(
            {
                "count": found.count,
                "next": next_url,
                "previous": previous_url,
                "results": SearchResultSerializer(
                    [as_result(r) for r in found.items], many=True
                ).data,
            }
        )
