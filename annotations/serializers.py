"""API presenters for highlights, comments and flags."""

from rest_framework import serializers

from annotations.models import Comment, Flag, Highlight


class HighlightSerializer(serializers.ModelSerializer):
    bookmark = serializers.IntegerField(source="bookmark_id", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = Highlight
        fields = [
            "id",
            "bookmark",
            "author",
            "exact",
            "prefix",
            "suffix",
            "start",
            "end",
            "color",
            "note",
            "anchor_status",
            "created_at",
        ]
        read_only_fields = fields


class HighlightCreateSerializer(serializers.Serializer):
    exact = serializers.CharField(max_length=5000, trim_whitespace=False)
    prefix = serializers.CharField(
        max_length=500, required=False, allow_blank=True, trim_whitespace=False
    )
    suffix = serializers.CharField(
        max_length=500, required=False, allow_blank=True, trim_whitespace=False
    )
    start = serializers.IntegerField(
        min_value=0, max_value=2_000_000_000, required=False, allow_null=True
    )
    end = serializers.IntegerField(
        min_value=0, max_value=2_000_000_000, required=False, allow_null=True
    )
    color = serializers.ChoiceField(Highlight.Color.choices, required=False)
    note = serializers.CharField(max_length=10000, required=False, allow_blank=True)

    def validate(self, attrs):
        start, end = attrs.get("start"), attrs.get("end")
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError({"end": "end must not be before start."})
        return attrs


class HighlightUpdateSerializer(serializers.Serializer):
    color = serializers.ChoiceField(Highlight.Color.choices, required=False)
    note = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class CommentSerializer(serializers.ModelSerializer):
    bookmark = serializers.IntegerField(source="bookmark_id", read_only=True, allow_null=True)
    highlight = serializers.IntegerField(source="highlight_id", read_only=True, allow_null=True)
    topic = serializers.IntegerField(source="topic_id", read_only=True, allow_null=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "bookmark",
            "highlight",
            "topic",
            "parent",
            "author",
            "body",
            "body_html",
            "status",
            "created_at",
            "edited_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.is_deleted:  # kept only to hold its replies: no text, no author
            data["author"] = None
        return data


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000)
    highlight = serializers.IntegerField(
        min_value=1,
        max_value=2**62,
        required=False,
        allow_null=True,
        help_text="Comment on this highlight of the bookmark (a sticky note thread).",
    )
    parent = serializers.IntegerField(
        min_value=1,
        max_value=2**62,
        required=False,
        allow_null=True,
        help_text="Reply to this comment.",
    )


class CommentUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000)


class FlagCreateSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(Flag.Reason.choices, default=Flag.Reason.SPAM)
    detail = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class FlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Flag
        fields = ["id", "reason", "detail", "created_at"]
        read_only_fields = fields


class AnnotationAuthorSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


class AnnotationGroupSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class AnnotationSerializer(serializers.ModelSerializer):
    """A highlight as the in-page annotator paints it: who, where (W3C selectors), what."""

    bookmark = serializers.IntegerField(source="bookmark_id", read_only=True)
    url = serializers.CharField(source="bookmark.page.url", read_only=True)
    author = AnnotationAuthorSerializer(read_only=True)
    group = AnnotationGroupSerializer(source="bookmark.group", read_only=True, allow_null=True)
    reply_count = serializers.IntegerField(read_only=True)
    mine = serializers.SerializerMethodField()
    selectors = serializers.SerializerMethodField()

    class Meta:
        model = Highlight
        fields = [
            "id",
            "bookmark",
            "url",
            "author",
            "group",
            "exact",
            "color",
            "note",
            "note_html",
            "status",
            "anchor_status",
            "reply_count",
            "mine",
            "selectors",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_mine(self, highlight) -> bool:
        viewer = self.context.get("viewer")
        return viewer is not None and highlight.author_id == viewer.pk

    def get_selectors(self, highlight) -> list[dict]:
        """W3C Web Annotation selectors: the quote, then the position as a hint."""
        found = [
            {
                "type": "TextQuoteSelector",
                "exact": highlight.exact,
                "prefix": highlight.prefix,
                "suffix": highlight.suffix,
            }
        ]
        if highlight.start is not None and highlight.end is not None:
            found.append(
                {"type": "TextPositionSelector", "start": highlight.start, "end": highlight.end}
            )
        return found


class AnnotationFilterSerializer(serializers.Serializer):
    uri = serializers.CharField(max_length=2048, help_text="The page's address.")
    group = serializers.SlugField(
        max_length=120, required=False, help_text="Only this group's annotations (slug)."
    )
