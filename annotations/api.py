"""API v1 for highlights, comments, topics and flags, plus the W3C Web Annotation views.

Reads go through annotations.selectors (what the viewer may see), writes through
annotations.services (which check permissions and score spam): no rule is repeated here.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, renderers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from annotations import jsonld
from annotations import selectors as annotation_selectors
from annotations import services as annotation_services
from annotations.serializers import (
    AnnotationFilterSerializer,
    AnnotationSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    CommentUpdateSerializer,
    FlagCreateSerializer,
    FlagSerializer,
    HighlightCreateSerializer,
    HighlightSerializer,
    HighlightUpdateSerializer,
)
from bookmarks.selectors import get_visible_bookmark
from bookmarks.urlnorm import InvalidURL
from config.api import CommentPostThrottle, JSONLDRenderer, query_data
from groups.selectors import get_readable_group
from groups.serializers import TopicSerializer, TopicWriteSerializer

NOT_FOUND = OpenApiResponse(description="Not found (or not visible to you).")


# --- lookups through the selectors ------------------------------------------------------

get_visible_highlight = annotation_selectors.get_visible_highlight
get_visible_comment = annotation_selectors.get_visible_comment


def get_visible_topic_with_counts(viewer, pk):
    """The topic with its reply_count, through the same selectors as the topic page."""
    topic = annotation_selectors.get_visible_topic(viewer, pk)
    return annotation_selectors.visible_topics(viewer, topic.group).get(pk=topic.pk)


# --- the annotations of a page, for the in-page annotator ----------------------------------


class PageAnnotationListView(generics.GenericAPIView):
    serializer_class = AnnotationSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Every highlight and note you may see on a page (your library and your groups)",
        description=(
            "`uri` is normalized as when saving (tracking parameters, fragment, case), so the "
            "address in the browser's bar finds the page. In page order."
        ),
        parameters=[
            OpenApiParameter("uri", str, required=True, description="The page's address."),
            OpenApiParameter("group", str, description="Only this group's (slug)."),
        ],
        responses={200: AnnotationSerializer(many=True)},
    )
    def get(self, request):
        filters = AnnotationFilterSerializer(data=query_data(request))
        filters.is_valid(raise_exception=True)
        try:
            found = annotation_selectors.page_annotations(
                request.user, filters.validated_data["uri"]
            )
        except InvalidURL as exc:
            raise ValidationError({"uri": [str(exc)]}) from None
        if filters.validated_data.get("group"):
            found = found.filter(bookmark__group__slug=filters.validated_data["group"])
        page = self.paginate_queryset(found)
        data = AnnotationSerializer(page, many=True, context={"viewer": request.user}).data
        return self.get_paginated_response(data)


# --- highlights ---------------------------------------------------------------------------


class BookmarkHighlightListView(generics.GenericAPIView):
    serializer_class = HighlightSerializer

    @extend_schema(
        summary="A bookmark's highlights, in page order",
        responses={200: HighlightSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        bookmark = get_visible_bookmark(request.user, pk)
        highlights = annotation_selectors.visible_highlights(request.user, bookmark)
        page = self.paginate_queryset(highlights.select_related("author"))
        return self.get_paginated_response(HighlightSerializer(page, many=True).data)

    @extend_schema(
        summary="Highlight a passage of the bookmarked page",
        request=HighlightCreateSerializer,
        responses={201: HighlightSerializer, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        bookmark = get_visible_bookmark(request.user, pk)
        data = HighlightCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        highlight = annotation_services.create_highlight(
            request.user, bookmark, **data.validated_data
        )
        return Response(HighlightSerializer(highlight).data, status=status.HTTP_201_CREATED)


class HighlightDetailView(generics.GenericAPIView):
    serializer_class = HighlightSerializer

    @extend_schema(summary="A highlight", responses={200: HighlightSerializer, 404: NOT_FOUND})
    def get(self, request, pk):
        return Response(HighlightSerializer(get_visible_highlight(request.user, pk)).data)

    @extend_schema(
        summary="Change a highlight's colour or note",
        request=HighlightUpdateSerializer,
        responses={200: HighlightSerializer, 404: NOT_FOUND},
    )
    def patch(self, request, pk):
        highlight = get_visible_highlight(request.user, pk)
        data = HighlightUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        highlight = annotation_services.update_highlight(
            request.user, highlight, **data.validated_data
        )
        return Response(HighlightSerializer(get_visible_highlight(request.user, pk)).data)

    @extend_schema(summary="Delete a highlight", responses={204: None, 404: NOT_FOUND})
    def delete(self, request, pk):
        highlight = get_visible_highlight(request.user, pk)
        annotation_services.delete_highlight(request.user, highlight)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- comments -----------------------------------------------------------------------------


class CommentThreadView(generics.GenericAPIView):
    """GET a thread / POST to it; posting is throttled by the "comments" rate."""

    serializer_class = CommentSerializer
    throttle_scope = "comments"
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, CommentPostThrottle]

    def subject(self, request, pk):
        """{"bookmark": b} or {"topic": t}: what the thread hangs on."""
        raise NotImplementedError

    def get(self, request, pk):
        comments = annotation_selectors.visible_comments(request.user, **self.subject(request, pk))
        page = self.paginate_queryset(comments.select_related("author"))
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    def post(self, request, pk):
        subject = self.subject(request, pk)
        data = CommentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {"body": data.validated_data["body"], **subject}
        parent_id = data.validated_data.get("parent")
        if parent_id:
            parent = (
                annotation_selectors.visible_comments(request.user, **subject)
                .filter(pk=parent_id)
                .first()
            )
            if parent is None:
                raise ValidationError({"parent": ["No such comment in this thread."]})
            fields["parent"] = parent
        highlight_id = data.validated_data.get("highlight")
        if highlight_id:
            if "bookmark" not in subject:
                raise ValidationError({"highlight": ["Topics have no highlights."]})
            highlight = (
                annotation_selectors.visible_highlights(request.user, subject["bookmark"])
                .filter(pk=highlight_id)
                .first()
            )
            if highlight is None:
                raise ValidationError({"highlight": ["No such highlight on this bookmark."]})
            fields["highlight"] = highlight
        comment = annotation_services.post_comment(request.user, **fields)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


COMMENT_POST_DOC = (
    'Spam-scored: a comment may come back with status "held" (only you and the moderators '
    "see it until a moderator lets it through). Throttled by the comments rate (429)."
)


class BookmarkCommentListView(CommentThreadView):
    def subject(self, request, pk):
        return {"bookmark": get_visible_bookmark(request.user, pk)}

    @extend_schema(
        summary="A bookmark's comments, oldest first",
        responses={200: CommentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return super().get(request, pk)

    @extend_schema(
        summary="Comment on a bookmark (or on one of its highlights, or reply)",
        description=COMMENT_POST_DOC,
        request=CommentCreateSerializer,
        responses={201: CommentSerializer, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        return super().post(request, pk)


class TopicCommentListView(CommentThreadView):
    def subject(self, request, pk):
        return {"topic": annotation_selectors.get_visible_topic(request.user, pk)}

    @extend_schema(
        summary="A topic's replies, oldest first",
        responses={200: CommentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return super().get(request, pk)

    @extend_schema(
        summary="Reply to a topic",
        description=COMMENT_POST_DOC,
        request=CommentCreateSerializer,
        responses={201: CommentSerializer, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        return super().post(request, pk)


class CommentDetailView(generics.GenericAPIView):
    serializer_class = CommentSerializer

    @extend_schema(summary="A comment", responses={200: CommentSerializer, 404: NOT_FOUND})
    def get(self, request, pk):
        return Response(CommentSerializer(get_visible_comment(request.user, pk)).data)

    @extend_schema(
        summary="Edit your comment",
        request=CommentUpdateSerializer,
        responses={200: CommentSerializer, 404: NOT_FOUND},
    )
    def patch(self, request, pk):
        comment = get_visible_comment(request.user, pk)
        data = CommentUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        annotation_services.edit_comment(request.user, comment, data.validated_data["body"])
        return Response(CommentSerializer(get_visible_comment(request.user, pk)).data)

    @extend_schema(
        summary="Delete a comment (its author, or a moderator)",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request, pk):
        comment = get_visible_comment(request.user, pk)
        annotation_services.delete_comment(request.user, comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentFlagView(generics.GenericAPIView):
    serializer_class = FlagSerializer

    @extend_schema(
        summary="Report a comment to the group's moderators",
        request=FlagCreateSerializer,
        responses={201: FlagSerializer, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        comment = get_visible_comment(request.user, pk)
        data = FlagCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        flag = annotation_services.flag_item(request.user, comment=comment, **data.validated_data)
        return Response(FlagSerializer(flag).data, status=status.HTTP_201_CREATED)


# --- topics -------------------------------------------------------------------------------


class GroupTopicListView(generics.GenericAPIView):
    serializer_class = TopicSerializer

    @extend_schema(
        summary="A group's discussion topics, newest first",
        responses={200: TopicSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, slug):
        group = get_readable_group(request.user, slug)
        topics = annotation_selectors.visible_topics(request.user, group)
        page = self.paginate_queryset(topics)
        return self.get_paginated_response(TopicSerializer(page, many=True).data)

    @extend_schema(
        summary="Start a topic",
        request=TopicWriteSerializer,
        responses={201: TopicSerializer, 404: NOT_FOUND},
    )
    def post(self, request, slug):
        group = get_readable_group(request.user, slug)
        data = TopicWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        topic = annotation_services.create_topic(
            request.user,
            group,
            title=data.validated_data["title"],
            body=data.validated_data.get("body", ""),
        )
        topic = get_visible_topic_with_counts(request.user, topic.pk)
        return Response(TopicSerializer(topic).data, status=status.HTTP_201_CREATED)


class TopicDetailView(generics.GenericAPIView):
    serializer_class = TopicSerializer

    @extend_schema(summary="A topic", responses={200: TopicSerializer, 404: NOT_FOUND})
    def get(self, request, pk):
        return Response(TopicSerializer(get_visible_topic_with_counts(request.user, pk)).data)

    @extend_schema(
        summary="Edit your topic",
        request=TopicWriteSerializer(partial=True),
        responses={200: TopicSerializer, 404: NOT_FOUND},
    )
    def patch(self, request, pk):
        topic = annotation_selectors.get_visible_topic(request.user, pk)
        data = TopicWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        annotation_services.edit_topic(request.user, topic, **data.validated_data)
        return Response(TopicSerializer(get_visible_topic_with_counts(request.user, pk)).data)

    @extend_schema(
        summary="Delete a topic (its author, or a moderator)",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request, pk):
        topic = annotation_selectors.get_visible_topic(request.user, pk)
        annotation_services.delete_topic(request.user, topic)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- W3C Web Annotation ---------------------------------------------------------------------

_AGENT = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "type": {"type": "string"},
        "name": {"type": "string"},
        "nickname": {"type": "string"},
    },
    "required": ["id", "type"],
}
ANNOTATION_SCHEMA = {
    "type": "object",
    "description": "A W3C Web Annotation (https://www.w3.org/TR/annotation-model/).",
    "properties": {
        "@context": {"type": "string"},
        "id": {"type": "string"},
        "type": {"type": "string", "enum": ["Annotation"]},
        "motivation": {"type": "string", "enum": ["highlighting", "commenting"]},
        "created": {"type": "string", "format": "date-time"},
        "modified": {"type": "string", "format": "date-time"},
        "creator": _AGENT,
        "generator": _AGENT,
        "body": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["TextualBody"]},
                    "value": {"type": "string"},
                    "format": {"type": "string"},
                    "purpose": {"type": "string", "enum": ["commenting", "tagging"]},
                },
                "required": ["type", "value", "purpose"],
            },
        },
        "target": {
            "type": "object",
            "properties": {
                "type": {"type": "string"},
                "source": {"type": "string"},
                "selector": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "type": {
                                "type": "string",
                                "enum": ["TextQuoteSelector", "TextPositionSelector"],
                            },
                            "exact": {"type": "string"},
                            "prefix": {"type": "string"},
                            "suffix": {"type": "string"},
                            "start": {"type": "integer", "minimum": 0},
                            "end": {"type": "integer", "minimum": 0},
                        },
                        "required": ["type"],
                    },
                },
            },
            "required": ["source", "selector"],
        },
    },
    "required": ["@context", "id", "type", "target"],
}
COLLECTION_SCHEMA = {
    "type": "object",
    "description": "A W3C AnnotationCollection with its one page of annotations embedded.",
    "properties": {
        "@context": {"type": "string"},
        "id": {"type": "string"},
        "type": {"type": "string", "enum": ["AnnotationCollection"]},
        "label": {"type": "string"},
        "total": {"type": "integer", "minimum": 0},
        "generator": _AGENT,
        "first": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "type": {"type": "string", "enum": ["AnnotationPage"]},
                "startIndex": {"type": "integer"},
                # inside a collection the annotations inherit its @context
                "items": {
                    "type": "array",
                    "items": {**ANNOTATION_SCHEMA, "required": ["id", "type", "target"]},
                },
            },
            "required": ["type", "items"],
        },
        "last": {"type": "string"},
    },
    "required": ["@context", "id", "type", "total"],
}


class JSONLDView(generics.GenericAPIView):
    renderer_classes = [JSONLDRenderer, renderers.JSONRenderer]
    pagination_class = None


class HighlightAnnotationView(JSONLDView):
    @extend_schema(
        summary="A highlight as a W3C Web Annotation (JSON-LD)",
        responses={200: OpenApiResponse(ANNOTATION_SCHEMA), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(jsonld.annotation(get_visible_highlight(request.user, pk)))


class BookmarkAnnotationCollectionView(JSONLDView):
    @extend_schema(
        summary="A bookmark's highlights as a W3C AnnotationCollection (JSON-LD)",
        responses={200: OpenApiResponse(COLLECTION_SCHEMA), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        bookmark = get_visible_bookmark(request.user, pk)
        highlights = annotation_selectors.visible_highlights(request.user, bookmark)
        highlights = list(highlights.select_related("author"))
        for highlight in highlights:
            highlight.bookmark = bookmark
        return Response(jsonld.annotation_collection(bookmark, highlights))
