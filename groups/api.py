"""API v1 for groups, their members and their topics: the same selectors and services as HTML."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from groups import services as group_services
from groups.models import Group, Membership
from groups.selectors import get_readable_group, readable_groups
from groups.serializers import (
    GroupSerializer,
    GroupSettingsSerializer,
    GroupWriteSerializer,
    JoinResultSerializer,
    MemberAddSerializer,
    MemberRoleSerializer,
    MemberSerializer,
)

User = get_user_model()
NOT_FOUND = OpenApiResponse(description="No such group (or a private group you are not in).")


def _with_counts(groups, viewer):
    """member_count and the viewer's role, computed in the same query as the groups."""
    uid = viewer.pk if viewer.is_authenticated else None
    return groups.annotate(
        member_count=Count("memberships", distinct=True),
        viewer_role=Subquery(
            Membership.objects.filter(group=OuterRef("pk"), user_id=uid).values("role")[:1]
        ),
    )


def readable_group_with_counts(viewer, slug):
    get_readable_group(viewer, slug)  # 404 for what the viewer may not see
    return _with_counts(readable_groups(viewer), viewer).get(slug=slug)


class GroupListView(generics.GenericAPIView):
    serializer_class = GroupSerializer

    @extend_schema(
        summary="Groups you can read: public ones and your own",
        responses=GroupSerializer(many=True),
    )
    def get(self, request):
        groups = _with_counts(readable_groups(request.user), request.user).order_by("name", "pk")
        page = self.paginate_queryset(groups)
        return self.get_paginated_response(GroupSerializer(page, many=True).data)

    @extend_schema(
        summary="Create a group (you become its owner)",
        request=GroupWriteSerializer,
        responses={201: GroupSerializer},
    )
    def post(self, request):
        data = GroupWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        group = group_services.create_group(request.user, **data.validated_data)
        group = readable_group_with_counts(request.user, group.slug)
        return Response(GroupSerializer(group).data, status=status.HTTP_201_CREATED)


class GroupDetailView(generics.GenericAPIView):
    serializer_class = GroupSerializer

    @extend_schema(summary="A group", responses={200: GroupSerializer, 404: NOT_FOUND})
    def get(self, request, slug):
        return Response(GroupSerializer(readable_group_with_counts(request.user, slug)).data)

    @extend_schema(
        summary="Change a group's settings (admins)",
        request=GroupSettingsSerializer(partial=True),
        responses={200: GroupSerializer, 404: NOT_FOUND},
    )
    def patch(self, request, slug):
        group = get_readable_group(request.user, slug)
        data = GroupSettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        group_services.update_group(request.user, group, **data.validated_data)
        return Response(GroupSerializer(readable_group_with_counts(request.user, slug)).data)

    @extend_schema(summary="Delete a group (owners)", responses={204: None, 404: NOT_FOUND})
    def delete(self, request, slug):
        group = get_readable_group(request.user, slug)
        group_services.delete_group(request.user, group)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupJoinView(generics.GenericAPIView):
    serializer_class = JoinResultSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Join an open group, or ask to join a group that takes requests",
        request=None,
        responses={200: JoinResultSerializer, 404: NOT_FOUND},
    )
    def post(self, request, slug):
        group = get_readable_group(request.user, slug)
        if group.join_policy == Group.JoinPolicy.REQUEST:
            group_services.request_to_join(request.user, group)
            return Response({"status": "requested", "role": None})
        membership = group_services.join_group(request.user, group)
        return Response({"status": "joined", "role": membership.role})


class GroupLeaveView(generics.GenericAPIView):
    serializer_class = serializers.Serializer  # no body; OPTIONS describes an empty form
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Leave a group", request=None, responses={204: None, 404: NOT_FOUND})
    def post(self, request, slug):
        group = get_readable_group(request.user, slug)
        group_services.leave_group(request.user, group)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberListView(generics.GenericAPIView):
    serializer_class = MemberSerializer

    @extend_schema(
        summary="Members of a group, owners first",
        responses={200: MemberSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, slug):
        group = get_readable_group(request.user, slug)
        members = (
            Membership.objects.filter(group=group)
            .select_related("user")
            .order_by("joined_at", "pk")
        )
        page = self.paginate_queryset(members)
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    @extend_schema(
        summary="Add a member (admins)",
        request=MemberAddSerializer,
        responses={201: MemberSerializer, 404: NOT_FOUND},
    )
    def post(self, request, slug):
        group = get_readable_group(request.user, slug)
        data = MemberAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = User.objects.filter(username=data.validated_data["username"]).first()
        if user is None:
            raise ValidationError({"username": ["No such user."]})
        membership = group_services.add_member(
            request.user, group, user, role=data.validated_data["role"]
        )
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberDetailView(generics.GenericAPIView):
    serializer_class = MemberSerializer

    def _member(self, request, slug, username):
        group = get_readable_group(request.user, slug)
        membership = get_object_or_404(
            Membership.objects.select_related("user"), group=group, user__username=username
        )
        return group, membership

    @extend_schema(
        summary="Change a member's role (admins; owners for admins and owners)",
        request=MemberRoleSerializer,
        responses={200: MemberSerializer, 404: NOT_FOUND},
    )
    def patch(self, request, slug, username):
        group, membership = self._member(request, slug, username)
        data = MemberRoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = group_services.set_role(
            request.user, group, membership.user, data.validated_data["role"]
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(
        summary="Remove a member (admins), or leave when it is you",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request, slug, username):
        group, membership = self._member(request, slug, username)
        if membership.user_id == request.user.pk:
            group_services.leave_group(request.user, group)
        else:
            group_services.remove_member(request.user, group, membership.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
