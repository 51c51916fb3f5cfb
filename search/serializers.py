"""API presenters for search results (bookmarks and topics, each with a marked snippet)."""

from rest_framework import serializers


class SearchQuerySerializer(serializers.Serializer):
    # as much as the search page's box takes; the parser reads the first 500 characters
    q = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    group = serializers.SlugField(max_length=120, required=False)
    scope = serializers.ChoiceField(
        ["all", "mine"],
        required=False,
        default="all",
        help_text="all: everything you may see; mine: your own personal library.",
    )
    sort = serializers.ChoiceField(["relevance", "date"], required=False, default="relevance")
    type = serializers.ChoiceField(
        ["all", "bookmark", "topic", "bookmarks", "topics"], required=False, default="all"
    )

    def validate_type(self, value):
        return value.rstrip("s") if value != "all" else value  # "bookmarks" = "bookmark"

    page = serializers.IntegerField(min_value=1, max_value=10_000, required=False, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=100, required=False, default=20)


class SearchResultSerializer(serializers.Serializer):
    type = serializers.ChoiceField(["bookmark", "topic"])
    id = serializers.IntegerField()
    title = serializers.CharField()
    title_marked = serializers.CharField(help_text="HTML: the title, matched words in <mark>.")
    url = serializers.CharField(allow_null=True, help_text="The page's URL (bookmarks).")
    group = serializers.CharField(allow_null=True, help_text="Group slug, null = personal.")
    author = serializers.CharField(allow_null=True, help_text="Saver or topic author.")
    tags = serializers.ListField(child=serializers.CharField())
    snippet = serializers.CharField(
        help_text="HTML: escaped text in which the matched words are wrapped in <mark>."
    )
    created_at = serializers.DateTimeField()
