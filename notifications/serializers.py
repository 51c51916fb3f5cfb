"""API presenters of notifications and mail settings."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Digest, Kind, Notification
from .texts import absolute_url, describe


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(Kind.choices, read_only=True)
    read = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    group = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "created_at", "read", "actor", "group", "url", "text"]
        read_only_fields = fields

    def get_read(self, obj) -> bool:
        return obj.read_at is not None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, obj):
        """The username of who did it (null: nobody, or a deleted account)."""
        return obj.actor.username if obj.actor_id else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_group(self, obj):
        return obj.group.slug if obj.group_id else None

    @extend_schema_field(serializers.URLField())
    def get_url(self, obj):
        return absolute_url(obj.url)

    def get_text(self, obj) -> str:
        return describe(obj)


class GroupDigestSerializer(serializers.Serializer):
    group = serializers.SlugField(max_length=120, help_text="The slug of a group you are in.")
    following = serializers.BooleanField(required=False)
    digest = serializers.ChoiceField(Digest.choices, required=False)


class MailSettingsSerializer(serializers.Serializer):
    no_mail = serializers.BooleanField(required=False)
    mail_kinds = serializers.ListField(
        child=serializers.ChoiceField(Kind.choices),
        required=False,
        help_text="The kinds of notification you get by mail (the others are off).",
    )
    people_digest = serializers.ChoiceField(Digest.choices, required=False)
    language = serializers.ChoiceField(settings.LANGUAGES, required=False)
    groups = GroupDigestSerializer(many=True, required=False)
