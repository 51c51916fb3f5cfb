"""Reads of groups, already filtered by what the viewer may see."""

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from .models import Group, Membership


def _user_id(viewer):
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def readable_groups(viewer):
    """Groups whose library the viewer may read: public ones and the viewer's own."""
    uid = _user_id(viewer)
    if uid is None:
        return Group.objects.filter(visibility=Group.Visibility.PUBLIC)
    return Group.objects.filter(
        Q(visibility=Group.Visibility.PUBLIC)
        | Exists(Membership.objects.filter(group=OuterRef("pk"), user_id=uid))
    )


def readable_group_ids_subquery(viewer):
    return readable_groups(viewer).values("pk")


def get_readable_group(viewer, slug):
    """The group, or 404 — a private group a non-member asks for does not exist for them."""
    try:
        return readable_groups(viewer).get(slug=slug)
    except Group.DoesNotExist:
        raise Http404("No such group.") from None


def membership_of(viewer, group):
    uid = _user_id(viewer)
    if uid is None:
        return None
    return Membership.objects.filter(group=group, user_id=uid).first()


def role_of(viewer, group):
    membership = membership_of(viewer, group)
    return membership.role if membership else None


def groups_of(viewer):
    """The viewer's own groups, with member counts."""
    uid = _user_id(viewer)
    if uid is None:
        return Group.objects.none()
    return (
        Group.objects.filter(memberships__user_id=uid)
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def postable_groups(viewer):
    """Groups the viewer may save into (every role may post)."""
    return groups_of(viewer)


def public_directory():
    return (
        Group.objects.filter(visibility=Group.Visibility.PUBLIC)
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )
