"""API presenters for bookmarks, their pages and tag counts."""

from django.utils import timezone
from rest_framework import serializers

from bookmarks.dates import clamp_future
from bookmarks.models import Bookmark, Page
from bookmarks.tags import MAX_TAG_LENGTH, MAX_TAGS


class PageSerializer(serializers.ModelSerializer):
    # An IRI: hosts idna cannot encode are kept as written, so not always an ASCII "uri".
    url = serializers.CharField(read_only=True)

    class Meta:
        model = Page
        fields = ["url", "title", "site_name", "language", "fetch_status"]
        read_only_fields = fields


class BookmarkSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="page.url", read_only=True)
    group = serializers.SlugField(source="group.slug", read_only=True, allow_null=True)
    owner = serializers.CharField(source="owner.username", read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    highlight_count = serializers.IntegerField(read_only=True, default=0)
    comment_count = serializers.IntegerField(read_only=True, default=0)
    page = PageSerializer(read_only=True)

    class Meta:
        model = Bookmark
        fields = [
            "id",
            "url",
            "title",
            "description",
            "tags",
            "group",
            "owner",
            "private",
            "unread",
            "view_count",
            "highlight_count",
            "comment_count",
            "created_at",
            "updated_at",
            "page",
        ]
        read_only_fields = fields


class NoteSerializer(serializers.Serializer):
    where = serializers.CharField(help_text="The field the note is about.")
    message = serializers.CharField()


class BookmarkSavedSerializer(BookmarkSerializer):
    """The bookmark as saved, and what was adjusted on the way (the import report's notes)."""

    notes = NoteSerializer(many=True, read_only=True, default=list)

    class Meta(BookmarkSerializer.Meta):
        fields = [*BookmarkSerializer.Meta.fields, "notes"]
        read_only_fields = fields


CREATED_AT_HELP = (
    "When it was saved (default: now). A date later than now (plus a few minutes of clock "
    "skew) is set to now, and a note in the answer says so."
)


class DatedWrite(serializers.Serializer):
    """created_at as an import takes it: a date from the future is clamped (bookmarks.dates),
    and `notes` says so."""

    created_at = serializers.DateTimeField(required=False, help_text=CREATED_AT_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notes = []

    def validate_created_at(self, value):
        value, note = clamp_future(value, timezone.now())
        if note:
            self.notes.append({"where": "created_at", "message": note})
        return value


def _tag_list(**kwargs):
    return serializers.ListField(
        child=serializers.CharField(max_length=MAX_TAG_LENGTH, allow_blank=True),
        max_length=MAX_TAGS,
        **kwargs,
    )


class BookmarkCreateSerializer(DatedWrite):
    url = serializers.CharField(max_length=2048)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    tags = _tag_list(required=False)
    group = serializers.SlugField(
        max_length=120,
        required=False,
        allow_null=True,
        help_text="Slug of the group to save into; absent or null = your personal library.",
    )
    private = serializers.BooleanField(required=False, default=False)
    unread = serializers.BooleanField(required=False, default=False)


class BookmarkUpdateSerializer(DatedWrite):
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    tags = _tag_list(required=False)
    private = serializers.BooleanField(required=False)
    unread = serializers.BooleanField(required=False)


class BookmarkFilterSerializer(serializers.Serializer):
    """The list's query parameters (validated, so odd input is a 400, never a 500)."""

    group = serializers.SlugField(max_length=120, required=False, help_text="Group slug.")
    user = serializers.RegexField(
        r"^[\w.@+-]+\Z", max_length=150, required=False, help_text="Owner's username."
    )
    tag = serializers.ListField(
        child=serializers.CharField(max_length=MAX_TAG_LENGTH),
        required=False,
        max_length=MAX_TAGS,
        help_text="Repeatable; every tag must be present.",
    )
    q = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Search query language."
    )
    url = serializers.CharField(
        max_length=2048, required=False, help_text="Only saves of this page (normalized)."
    )
    sort = serializers.ChoiceField(["relevance", "date"], required=False)
    unread = serializers.BooleanField(required=False, allow_null=True, default=None)


class TagCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class TagFilterSerializer(serializers.Serializer):
    group = serializers.SlugField(max_length=120, required=False)
    user = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150, required=False)
    prefix = serializers.CharField(max_length=MAX_TAG_LENGTH, required=False, allow_blank=True)
    limit = serializers.IntegerField(min_value=1, max_value=1000, required=False, default=200)
