"""API presenters for people: the current user and token exchange."""

from rest_framework import serializers

from accounts.models import User


class MyGroupSerializer(serializers.Serializer):
    slug = serializers.SlugField(source="group.slug")
    name = serializers.CharField(source="group.name")
    visibility = serializers.CharField(source="group.visibility")
    role = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    groups = MyGroupSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "date_joined", "groups"]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class ExtensionClaimSerializer(serializers.Serializer):
    verifier = serializers.RegexField(r"^[A-Za-z0-9_-]{43,128}\Z", max_length=128)
