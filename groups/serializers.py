"""API presenters for groups, their members and their topics."""

from rest_framework import serializers

from config.api import RefuseUnknownFields
from groups.models import Group, Membership, Topic


class GroupSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)
    role = serializers.ChoiceField(
        source="viewer_role",
        choices=Membership.Role.choices,
        read_only=True,
        allow_null=True,
        help_text="The requesting user's role in the group, null when not a member.",
    )

    class Meta:
        model = Group
        fields = [
            "slug",
            "name",
            "description",
            "visibility",
            "join_policy",
            "hold_first_posts",
            "spam_sensitivity",
            "member_count",
            "created_at",
            "role",
        ]
        read_only_fields = fields


class GroupWriteSerializer(RefuseUnknownFields, serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(Group.Visibility.choices, required=False)
    join_policy = serializers.ChoiceField(Group.JoinPolicy.choices, required=False)


SPAM_SENSITIVITY_HELP = "stricter holds more posts that look like spam, looser only clear spam."


class GroupSettingsSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    """What groups.forms.GroupSettingsForm changes, validated from the same model fields
    (tests/api/test_group_settings.py keeps the two lists equal)."""

    class Meta:
        model = Group
        fields = [
            "name",
            "description",
            "visibility",
            "join_policy",
            "hold_first_posts",
            "spam_sensitivity",
        ]
        extra_kwargs = {"spam_sensitivity": {"help_text": SPAM_SENSITIVITY_HELP}}


class JoinResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        ["joined", "requested"],
        help_text="joined: you are a member now; requested: an admin must approve.",
    )
    role = serializers.ChoiceField(Membership.Role.choices, allow_null=True)


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["username", "display_name", "role", "joined_at"]
        read_only_fields = fields


class MemberAddSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(Membership.Role.choices, default=Membership.Role.MEMBER)


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(Membership.Role.choices)


class TopicSerializer(serializers.ModelSerializer):
    group = serializers.SlugField(source="group.slug", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True)
    comment_count = serializers.IntegerField(source="reply_count", read_only=True, default=0)

    class Meta:
        model = Topic
        fields = [
            "id",
            "group",
            "author",
            "title",
            "body",
            "body_html",
            "status",
            "comment_count",
            "created_at",
            "updated_at",
            "edited_at",
        ]
        read_only_fields = fields


class TopicWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    body = serializers.CharField(max_length=20000, required=False, allow_blank=True)
