"""API v1 search: bookmarks and topics the viewer may see, ranked, with marked snippets."""

from django.utils.html import escape
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics

from bookmarks.api import query_data
from groups.models import Topic
from groups.selectors import get_readable_group
from search import selectors as search_selectors
from search.serializers import SearchQuerySerializer, SearchResultSerializer


def as_result(item):
    """One search hit (a Bookmark or a Topic from search_items) in the API's shape."""
    if isinstance(item, Topic):
        return {
            "type": "topic",
            "id": item.pk,
            "title": item.title,
            "url": None,
            "group": item.group.slug,
            "author": item.author.username if item.author else None,
            "tags": [],
            "snippet": getattr(item, "snippet", None) or escape(item.body[:200]),
            "created_at": item.created_at,
        }
    return {
        "type": "bookmark",
        "id": item.pk,
        "title": item.display_title,
        "url": item.page.url,
        "group": item.group.slug if item.group_id else None,
        "author": item.owner.username,
        "tags": item.tags,
        "snippet": getattr(item, "snippet", None) or escape(item.description[:200]),
        "created_at": item.created_at,
    }


class SearchView(generics.GenericAPIView):
    serializer_class = SearchResultSerializer

    @extend_schema(
        summary="Search bookmarks and topics",
        parameters=[
            OpenApiParameter("q", str, description='Words, "phrases", -word, tag:x, user:x …'),
            OpenApiParameter("group", str, description="Only this group (slug)."),
            OpenApiParameter("sort", str, enum=["relevance", "date"]),
            OpenApiParameter("type", str, enum=["all", "bookmark", "topic"]),
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
        items = search_selectors.search_items(
            request.user,
            p.get("q", ""),
            group=group,
            sort=p["sort"],
            type=None if p["type"] == "all" else p["type"],
        )
        page = self.paginate_queryset(items)
        return self.get_paginated_response(
            SearchResultSerializer([as_result(i) for i in page], many=True).data
        )
