"""HTML views of groups: parse the request, ask a selector or call a service, render.

Private groups: a view names the permission it needs with groups.decorators.group_permission,
which resolves the group and the viewer's role once, so a non-member gets 404 before any
permission question is asked.
"""

import copy
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .decorators import group_permission
from .forms import (
    DecisionForm,
    GroupForm,
    GroupSettingsForm,
    InvitationForm,
    JoinRequestForm,
    RoleForm,
)
from .permissions import assignable_roles, can

DIRECTORY_PAGE_SIZE = 20
MEMBERS_PAGE_SIZE = 50


def answer_refusals(view):
    """A service's PermissionDenied becomes a 403 page that says why."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            message = str(exc) or _("You are not allowed to do that.")
            return render(request, "groups/refused.html", {"message": message}, status=403)

    return wrapper


def _flash_errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def _apply_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def directory(request):
    q = request.GET.get("q", "")[:100]
    page = Paginator(selectors.directory(q), DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "groups/directory.html", {"page": page, "q": q})


@login_required
@answer_refusals
def create(request):
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Group created. You are its owner."))
            return redirect(group)
    return render(request, "groups/create.html", {"form": form})


@group_permission()
def members(request, slug):
    group = request.group
    role = request.group_role
    page = Paginator(selectors.group_members(group), MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    memberships = list(page.object_list)
    for membership in memberships:
        membership.assignable = (
            assignable_roles(role, membership.role) if membership.user_id != request.user.pk else []
        )
    return render(
        request,
        "groups/members.html",
        {
            "group": group,
            "role": role,
            "memberships": memberships,
            "page": page,
            "can_manage": can(role, "manage_members", group),
            # the last owner cannot leave: no link to a page that can only refuse
            "can_leave": role is not None
            and not (role == "owner" and selectors.owner_count(group) == 1),
            "pending_count": (
                selectors.pending_requests(group).count()
                if can(role, "manage_members", group)
                else 0
            ),
        },
    )


@login_required
@answer_refusals
@group_permission("edit_settings")
def settings(request, slug):
    group, role = request.group, request.group_role
    # The form validates into a copy; the service does the saving.
    form = GroupSettingsForm(request.POST or None, instance=copy.copy(group))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_group(request.user, group, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("groups:settings", group.slug)
    return render(
        request,
        "groups/settings.html",
        {
            "group": group,
            "role": role,
            "form": form,
            "can_delete": can(role, "delete_group", group),
        },
    )


@login_required
@answer_refusals
@group_permission("delete_group")
def delete(request, slug):
    group, role = request.group, request.group_role
    if request.method == "POST":
        name = group.name
        services.delete_group(request.user, group)
        messages.success(request, _("The group “%(name)s” has been deleted.") % {"name": name})
        return redirect("home")
    return render(request, "groups/delete.html", {"group": group, "role": role})


@require_http_methods(["GET", "POST"])
@login_required
@answer_refusals
@group_permission()
def join(request, slug):
    group = request.group
    if request.method == "GET":
        # Back from the login page (next=…/join/): show the group, where the button is.
        return redirect(group)
    try:
        services.join_group(request.user, group)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Welcome to %(name)s!") % {"name": group.name})
    return redirect(group)


@login_required
@answer_refusals
@group_permission()
def request_to_join(request, slug):
    group = request.group
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_to_join(request.user, group, message=form.cleaned_data["message"])
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Your request has been sent to the group's admins."))
        return redirect(group)
    return render(
        request,
        "groups/request.html",
        {
            "group": group,
            "form": form,
            "role": request.group_role,
            "pending": selectors.has_pending_request(request.user, group),
        },
    )


@login_required
@answer_refusals
@group_permission("leave")
def leave(request, slug):
    group, role = request.group, request.group_role
    if request.method == "POST":
        try:
            services.leave_group(request.user, group)
        except ValidationError as exc:
            _flash_errors(request, exc)
            return redirect("groups:leave", group.slug)
        messages.success(request, _("You have left %(name)s.") % {"name": group.name})
        return redirect("home")
    last_owner = role == "owner" and selectors.owner_count(group) == 1
    return render(
        request, "groups/leave.html", {"group": group, "role": role, "last_owner": last_owner}
    )


@login_required
@answer_refusals
@group_permission("manage_members")
def requests(request, slug):
    group, role = request.group, request.group_role
    return render(
        request,
        "groups/requests.html",
        {"group": group, "role": role, "requests": selectors.pending_requests(group)},
    )


@require_POST
@login_required
@answer_refusals
@group_permission()
def decide(request, slug, pk):
    group = request.group
    join_request = selectors.get_join_request(group, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or deny."))
        return redirect("groups:requests", group.slug)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.decide_request(request.user, join_request, approve=approve)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        name = join_request.user.name
        messages.success(
            request,
            (_("%(name)s is now a member.") if approve else _("%(name)s's request was denied."))
            % {"name": name},
        )
    return redirect("groups:requests", group.slug)


@login_required
@answer_refusals
@group_permission("manage_members")
def invitations(request, slug):
    group, role = request.group, request.group_role
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.create_invitation(request.user, group, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if invitation.sent_to:
                messages.success(
                    request, _("Invitation sent to %(to)s.") % {"to": invitation.sent_to}
                )
            else:
                messages.success(
                    request, _("Invitation link created: copy it from the list below.")
                )
            return redirect("groups:invitations", group.slug)
    invitation_list = list(selectors.group_invitations(group))
    for invitation in invitation_list:
        invitation.problem = services.invitation_problem(invitation)
        invitation.link = request.build_absolute_uri(
            reverse("groups:accept_invitation", args=[group.slug, invitation.token])
        )
    return render(
        request,
        "groups/invitations.html",
        {"group": group, "role": role, "form": form, "invitations": invitation_list},
    )


@require_POST
@login_required
@answer_refusals
@group_permission()
def revoke(request, slug, pk):
    group = request.group
    invitation = get_object_or_404(selectors.group_invitations(group), pk=pk)
    services.revoke_invitation(request.user, invitation)
    messages.success(request, _("The invitation link no longer works."))
    return redirect("groups:invitations", group.slug)


@require_http_methods(["GET", "POST"])
@answer_refusals
def accept_invitation(request, slug, token):
    # Holding a valid token is the one way to learn a private group's name as a non-member.
    invitation = selectors.get_invitation(slug, token)
    group = invitation.group
    problem = services.invitation_problem(invitation)
    if request.method == "POST" and not problem:
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        try:
            services.accept_invitation(request.user, invitation)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(request, _("Welcome to %(name)s!") % {"name": group.name})
            return redirect(group)
    is_member = selectors.role_of(request.user, group) is not None
    return render(
        request,
        "groups/invitation.html",
        {"invitation": invitation, "group": group, "problem": problem, "is_member": is_member},
        status=410 if problem and not is_member else 200,
    )


def _user(username):
    return get_object_or_404(get_user_model(), username=username)


@require_POST
@login_required
@answer_refusals
@group_permission()
def set_role(request, slug, username):
    group = request.group
    target = _user(username)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("groups:members", group.slug)
    try:
        services.set_role(request.user, group, target, form.cleaned_data["role"])
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("%(name)s's role has been changed.") % {"name": target.name})
    return redirect("groups:members", group.slug)


@require_http_methods(["GET", "POST"])
@login_required
@answer_refusals
@group_permission("manage_members")
def remove(request, slug, username):
    """GET asks "Remove X from the group?" (a page, so it works without JS); POST removes."""
    group = request.group
    target = _user(username)
    if request.method == "GET":
        membership = get_object_or_404(selectors.group_members(group), user=target)
        return render(
            request,
            "groups/remove_member.html",
            {"group": group, "role": request.group_role, "membership": membership},
        )
    try:
        services.remove_member(request.user, group, target)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("%(name)s has been removed.") % {"name": target.name})
    return redirect("groups:members", group.slug)
