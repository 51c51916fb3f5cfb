"""API v1 for bookmarks and tags: the same selectors and services as the HTML pages."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from annotations.models import Comment, Highlight, Status
from bookmarks import services as bookmark_services
from bookmarks.models import Bookmark
from bookmarks.selectors import tag_counts, visible_bookmarks
from bookmarks.serializers import (
    BookmarkCreateSerializer,
    BookmarkFilterSerializer,
    BookmarkSavedSerializer,
    BookmarkSerializer,
    BookmarkUpdateSerializer,
    TagCountSerializer,
    TagFilterSerializer,
)
from bookmarks.urlnorm import InvalidURL, normalize_url, url_key
from config.api import query_data
from groups.selectors import get_readable_group, readable_groups
from search.api import engine_page
from search.query import parse

from .services import save_page

User = get_user_model()
NOT_FOUND = OpenApiResponse(description="No such bookmark (or one you may not see).")


def _count_of(model, **filters):
    rows = (
        model.objects.filter(bookmark=OuterRef("pk"), **filters)
        .order_by()
        .values("bookmark")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def counts():
    """highlight_count and comment_count (visible ones only), as annotations."""
    return {
        "highlight_count": _count_of(Highlight, status=Status.VISIBLE),
        "comment_count": _count_of(
            Comment, status=Status.VISIBLE, thread_status=Status.VISIBLE, is_deleted=False
        ),
    }


def with_counts(bookmarks):
    """highlight_count and comment_count (visible ones only) inside the same query."""
    return bookmarks.annotate(**counts())


# BookmarkSerializer's fields, read as plain values: (output name, column)
LIST_COLUMNS = [
    ("id", "id"),
    ("url", "page__url"),
    ("title", "title"),
    ("description", "description"),
    ("tags", "tags"),
    ("group", "group__slug"),
    ("owner", "owner__username"),
    ("private", "private"),
    ("unread", "unread"),
    ("view_count", "view_count"),
    ("highlight_count", "highlight_count"),
    ("comment_count", "comment_count"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
]
PAGE_COLUMNS = [("url", "page__url")] + [
    (name, f"page__{name}") for name in ("title", "site_name", "language", "fetch_status")
]
_DATETIME = serializers.DateTimeField()


def present_bookmarks(ids):
    """The wide rows of a page for its ids, in that order, as BookmarkSerializer's JSON.

    Read after the page's keys are chosen, so no skipped row is joined or counted; and read
    as values, not models: for a 100-item page, building model instances (bookmark, page,
    owner, group) and running the serializer over them cost about 20 times the queries'
    time (cProfile, bench/api.py). BookmarkSerializer stays the schema and the detail view;
    tests/api/test_search_api_engine.py checks both give the same JSON.
    """
    columns = list(dict.fromkeys(c for _, c in LIST_COLUMNS + PAGE_COLUMNS))
    rows = with_counts(Bookmark.objects.filter(pk__in=ids).order_by()).values_list(*columns)
    found = {}
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        item = {name: values[column] for name, column in LIST_COLUMNS}
        item["created_at"] = _DATETIME.to_representation(item["created_at"])
        item["updated_at"] = _DATETIME.to_representation(item["updated_at"])
        item["page"] = {name: values[column] for name, column in PAGE_COLUMNS}
        found[item["id"]] = item
    return [found[pk] for pk in ids if pk in found]


def get_visible_bookmark_with_counts(viewer, pk):
    return get_object_or_404(with_counts(visible_bookmarks(viewer)), pk=pk)


BOOKMARK_FILTERS = [
    OpenApiParameter("group", str, description="Only this group's bookmarks (slug)."),
    OpenApiParameter("user", str, description="Only bookmarks saved by this username."),
    OpenApiParameter(
        "tag",
        {"type": "array", "items": {"type": "string"}},
        explode=True,
        description="Repeatable: items carrying every one of these tags.",
    ),
    OpenApiParameter("q", str, description='Search query (words, "phrases", -word, tag:x …).'),
    OpenApiParameter(
        "sort",
        str,
        enum=["relevance", "date"],
        description="Default: relevance with a keyword q, else date.",
    ),
    OpenApiParameter("unread", bool, description="Only items marked read-later (or not)."),
    OpenApiParameter("url", str, description="Only saves of this page's address."),
]


class BookmarkListView(generics.GenericAPIView):
    serializer_class = BookmarkSerializer

    def conditions(self, f):
        """The list's filters other than the keyword, as one condition on bookmarks."""
        where = Q()
        if f.get("user"):
            where &= Q(owner__username=f["user"])
        if f.get("tag"):
            where &= Q(tags__contains=[t.strip().lower() for t in f["tag"]])
        if f.get("unread") is not None:
            where &= Q(unread=f["unread"])
        if f.get("url"):
            try:
                where &= Q(page__url_hash=url_key(normalize_url(f["url"])))
            except InvalidURL as exc:
                raise ValidationError({"url": [str(exc)]}) from None
        return where

    def keyword_page(self, request, f, q, group):
        """With a keyword: the search engine of the pages (capped count, its plans), bookmarks
        only, the other filters joined to it; tags join the parsed query (the engine's
        estimates read them)."""
        parsed = parse(q)
        if f.get("tag"):
            tags = [t.strip().lower() for t in f["tag"]]
            parsed.tags = list(dict.fromkeys([*parsed.tags, *tags]))
        page_size = self.paginator.get_page_size(request)
        return engine_page(
            request,
            parsed,
            group=group,
            sort=f.get("sort") or "relevance",
            type="bookmark",
            page=self.paginator.page_number(request),
            per_page=page_size,
            only=self.conditions({**f, "tag": None}),
            marks=False,
            load_bookmarks=present_bookmarks,
            present=lambda items: [r.item for r in items],
        )

    @extend_schema(
        summary="Bookmarks you may see, newest first",
        parameters=BOOKMARK_FILTERS,
        responses={
            200: BookmarkSerializer(many=True),
            404: OpenApiResponse(description="No such group."),
        },
    )
    def get(self, request):
        filters = BookmarkFilterSerializer(data=query_data(request, "tag"))
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        group = get_readable_group(request.user, f["group"]) if f.get("group") else None
        q = (f.get("q") or "").strip()
        if q:
            return self.keyword_page(request, f, q, group)
        qs = visible_bookmarks(request.user).filter(self.conditions(f))
        if group is not None:
            qs = qs.filter(group=group)
        # the page's keys by a narrow query, then its wide rows by id (present_bookmarks)
        qs = qs.order_by("-created_at", "-id")
        page = self.paginator.paginate_queryset(qs, request, self, load=present_bookmarks)
        return self.get_paginated_response(page)

    @extend_schema(
        summary="Save a page (the same URL again in the same place updates that bookmark)",
        request=BookmarkCreateSerializer,
        responses={
            201: BookmarkSavedSerializer,
            200: OpenApiResponse(
                BookmarkSavedSerializer, description="Already saved there: updated."
            ),
        },
    )
    def post(self, request):
        data = BookmarkCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        slug = fields.pop("group", None)
        group = None
        if slug:
            # A private group the saver is not in is "no such group", exactly like a missing one.
            group = readable_groups(request.user).filter(slug=slug).first()
            if group is None:
                raise ValidationError({"group": ["No such group."]})
        bookmark, created = save_page(request.user, fields.pop("url"), group=group, **fields)
        bookmark = get_visible_bookmark_with_counts(request.user, bookmark.pk)
        bookmark.notes = data.notes
        return Response(
            BookmarkSavedSerializer(bookmark).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class BookmarkDetailView(generics.GenericAPIView):
    serializer_class = BookmarkSerializer

    @extend_schema(summary="A bookmark", responses={200: BookmarkSerializer, 404: NOT_FOUND})
    def get(self, request, pk):
        return Response(BookmarkSerializer(get_visible_bookmark_with_counts(request.user, pk)).data)

    @extend_schema(
        summary="Edit your bookmark",
        request=BookmarkUpdateSerializer,
        responses={200: BookmarkSavedSerializer, 404: NOT_FOUND},
    )
    def patch(self, request, pk):
        bookmark = get_visible_bookmark_with_counts(request.user, pk)
        data = BookmarkUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        bookmark_services.update_bookmark(request.user, bookmark, **data.validated_data)
        bookmark = get_visible_bookmark_with_counts(request.user, pk)
        bookmark.notes = data.notes
        return Response(BookmarkSavedSerializer(bookmark).data)

    @extend_schema(
        summary="Delete a bookmark (its saver, or a group moderator)",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request, pk):
        bookmark = get_visible_bookmark_with_counts(request.user, pk)
        bookmark_services.delete_bookmark(request.user, bookmark)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TagListView(generics.GenericAPIView):
    serializer_class = TagCountSerializer
    pagination_class = None

    @extend_schema(
        summary="Tags with their counts, most used first",
        description=(
            "Of a group (`group`), of a person's personal library (`user`), or of every "
            "bookmark you may see. `prefix` keeps the tags starting with it."
        ),
        parameters=[
            OpenApiParameter("group", str),
            OpenApiParameter("user", str),
            OpenApiParameter("prefix", str),
            OpenApiParameter("limit", int, description="At most this many (default 200)."),
        ],
        responses={
            200: TagCountSerializer(many=True),
            404: OpenApiResponse(description="No such group or user."),
        },
    )
    def get(self, request):
        filters = TagFilterSerializer(data=query_data(request))
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        if f.get("group"):
            group = get_readable_group(request.user, f["group"])
            if f.get("user"):
                counts = tag_counts(
                    visible_bookmarks(request.user).filter(group=group, owner__username=f["user"])
                )
            else:
                counts = tag_counts(group=group)
        elif f.get("user"):
            owner = get_object_or_404(User, username=f["user"])
            counts = tag_counts(owner=owner, viewer=request.user)
        else:
            counts = tag_counts(visible_bookmarks(request.user))
        prefix = (f.get("prefix") or "").strip().lower()
        if prefix:
            counts = [(t, n) for t, n in counts if t.startswith(prefix)]
        return Response([{"name": t, "count": n} for t, n in counts[: f["limit"]]])
