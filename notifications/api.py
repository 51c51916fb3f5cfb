"""API v1 of notifications and mail settings: the same selectors and services as HTML."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from groups.models import Membership

from . import selectors, services
from .models import Kind
from .serializers import MailSettingsSerializer, NotificationSerializer

NOT_FOUND = OpenApiResponse(description="No such notification of yours.")


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationListView(generics.GenericAPIView):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Your notifications, newest first",
        parameters=[
            OpenApiParameter("unread", str, enum=["0", "1"], description="1: only the unread ones")
        ],
        responses=NotificationSerializer(many=True),
    )
    def get(self, request):
        unread = request.query_params.get("unread", "0")
        if unread not in ("0", "1", ""):
            raise ValidationError({"unread": ["Use 1 for unread only, or 0."]})
        notifications = selectors.notifications_for(request.user, unread=unread == "1")
        page = self.paginate_queryset(notifications)
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationReadView(generics.GenericAPIView):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Mark one notification read",
        request=None,
        responses={200: NotificationSerializer, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        notification = selectors.get_notification(request.user, pk)
        if notification is None:
            raise NotFound("No such notification.")
        services.mark_read(request.user, notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(generics.GenericAPIView):
    serializer_class = ReadAllSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Mark every notification read", request=None, responses=ReadAllSerializer
    )
    def post(self, request):
        return Response({"marked": services.mark_all_read(request.user)})


def _settings_data(user):
    prefs = selectors.mail_settings_of(user)
    return {
        "no_mail": prefs.no_mail,
        "mail_kinds": [k for k in Kind.values if k not in prefs.muted_kinds],
        "people_digest": prefs.people_digest,
        "language": prefs.language,
        "groups": [
            {"group": group.slug, "following": follow.following, "digest": follow.digest}
            for group, follow in selectors.group_follows(user)
        ],
    }


class NotificationSettingsView(generics.GenericAPIView):
    serializer_class = MailSettingsSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Your mail settings", responses=MailSettingsSerializer)
    def get(self, request):
        return Response(_settings_data(request.user))

    @extend_schema(
        summary="Change your mail settings (only the fields sent)",
        request=MailSettingsSerializer,
        responses=MailSettingsSerializer,
    )
    def patch(self, request):
        # every field is optional already; not "partial", so a group row must name its group
        data = MailSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = data.validated_data
        kinds = chosen.get("mail_kinds")
        groups = {}
        for row in chosen.get("groups", []):
            membership = (
                Membership.objects.filter(group__slug=row["group"], user=request.user)
                .select_related("group")
                .first()
            )
            if membership is None:
                raise ValidationError({"groups": [f"You are not in the group {row['group']}."]})
            groups[row["group"]] = membership.group
        services.update_mail_settings(
            request.user,
            no_mail=chosen.get("no_mail"),
            muted_kinds=None if kinds is None else [k for k in Kind.values if k not in kinds],
            people_digest=chosen.get("people_digest"),
            language=chosen.get("language"),
        )
        for row in chosen.get("groups", []):
            services.set_group_follow(
                request.user,
                groups[row["group"]],
                following=row.get("following"),
                digest=row.get("digest"),
            )
        return Response(_settings_data(request.user))
