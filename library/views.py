"""The library pages: a group's and a person's library, the save page and a bookmark's page.

Each composes the layers below: bookmarks, their annotations and the search engine.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from annotations.selectors import attach_annotations
from bookmarks import selectors as bookmark_selectors
from bookmarks import services as bookmark_services
from bookmarks.forms import ME
from bookmarks.views import add_form_errors
from groups import permissions
from groups.decorators import group_permission
from groups.models import Group, Membership
from groups.selectors import membership_of, postable_groups

from . import selectors, services
from .forms import PER_PAGE_CHOICES, SaveForm, library_params

TAG_SIDEBAR = 40


def _choices():
    return {
        "kind_choices": [("all", _("All")), ("bookmarks", _("Bookmarks")), ("topics", _("Topics"))],
        "view_choices": [("simple", _("Simple")), ("middle", _("Middle")), ("full", _("Full"))],
        "per_page_choices": PER_PAGE_CHOICES,
    }


def _attach_annotations(items, viewer, view):
    bookmarks = [item for item in items if item.item_kind == "bookmark"]
    attach_annotations(bookmarks, viewer, view)
    for item in items:
        if item.item_kind == "topic":
            item.url = reverse("annotations:topic", args=[item.group.slug, item.pk])


def _group_actions(group, role):
    """Join / request / leave button for the group header."""
    slug = group.slug
    if role is not None:
        if role == Membership.Role.OWNER:
            # an owner goes through the leave page, which says whether they are the last one
            # (groups.services.leave_group decides); a co-owner may still leave
            return {
                "url": reverse("groups:leave", args=[slug]),
                "label": _("Leave group"),
                "post": False,
            }
        return {
            "url": reverse("groups:leave", args=[slug]),
            "label": _("Leave group"),
            "post": True,
            "confirm": _("Leave this group?"),
        }
    if group.join_policy == Group.JoinPolicy.OPEN:
        return {"url": reverse("groups:join", args=[slug]), "label": _("Join group"), "post": True}
    if group.join_policy == Group.JoinPolicy.REQUEST:
        url = reverse("groups:request", args=[slug])
        return {"url": url, "label": _("Ask to join"), "post": False}
    return None


@group_permission()
def group_library(request, slug):
    """The group home: its shared library, filtered, sorted and paged from the query string."""
    group, role = request.group, request.group_role
    params = library_params(request.GET)
    filters = params["filters"]
    listing = selectors.group_library(group, request.user, filters)
    page = listing.page(params["page"], params["per_page"])
    _attach_annotations(page.items, request.user, params["view"])
    action = _group_actions(group, role)
    return render(
        request,
        "library/group_library.html",
        {
            "group": group,
            "member_count": group.memberships.count(),
            "role_label": Membership.Role(role).label if role else "",
            "can_post": permissions.can(role, "post", group),
            "can_manage_tags": permissions.can(role, "manage_tags", group),
            "group_action": action if action and action["url"] else None,
            "page": page,
            "filters": filters,
            "view": params["view"],
            **_choices(),
            # with a keyword, the tags of the results (click to refine); else the group's
            "tag_cloud": bookmark_selectors.cloud(
                listing.facets(TAG_SIDEBAR)
                if filters.q
                else bookmark_selectors.top_tags(group=group, limit=TAG_SIDEBAR)
            ),
            "members_url": reverse("groups:members", args=[slug]),
            "viewer_role": role,
        },
    )


def user_library(request, username):
    """A person's profile: their personal library (public items; everything for themselves)."""
    owner = get_object_or_404(get_user_model(), username=username, is_active=True)
    is_owner = request.user.is_authenticated and request.user.pk == owner.pk
    params = library_params(request.GET, allow_unread=is_owner)
    filters = params["filters"]
    listing = selectors.user_library(owner, request.user, filters)
    page = listing.page(params["page"], params["per_page"])
    _attach_annotations(page.items, request.user, params["view"])
    return render(
        request,
        "library/user_library.html",
        {
            "owner": owner,
            "is_owner": is_owner,
            "page": page,
            "filters": filters,
            "view": params["view"],
            **_choices(),
            "tag_cloud": bookmark_selectors.cloud(
                listing.facets(TAG_SIDEBAR)
                if filters.q
                else bookmark_selectors.top_tags(
                    owner=owner, viewer=request.user, limit=TAG_SIDEBAR
                )
            ),
        },
    )


def _initial_from_query(query, groups):
    initial = {key: query.get(key, "") for key in ("url", "title", "description", "tags")}
    initial.update({key: query.get(key, "") for key in ("quote", "prefix", "suffix")})
    group_value = query.get("group", "")
    by_slug = {g.slug: g for g in groups}
    by_pk = {str(g.pk): g for g in groups}
    group = by_slug.get(group_value) or by_pk.get(group_value)
    initial["destination"] = str(group.pk) if group else ME
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def save(request):
    """Save a page; GET parameters (from the bookmarklet or a link) fill the form in."""
    groups = list(postable_groups(request.user))
    if request.method == "POST":
        form = SaveForm(request.POST, groups=groups)
        if form.is_valid():
            data = form.cleaned_data
            try:
                bookmark, created = services.save_page(
                    request.user,
                    data["url"],
                    title=data["title"],
                    description=data["description"],
                    tags=data["tags"],
                    group=data["destination"],
                    private=data["private"],
                    unread=data["unread"],
                    quote=data["quote"],
                    prefix=data["prefix"],
                    suffix=data["suffix"],
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("destination", str(exc))
            else:
                if created:
                    messages.success(request, _("Saved."))
                else:
                    messages.info(
                        request,
                        _("You had already saved this page there: your bookmark was updated."),
                    )
                return redirect(bookmark)
    else:
        form = SaveForm(initial=_initial_from_query(request.GET, groups), groups=groups)
    return render(
        request,
        "library/save.html",
        {
            "form": form,
            "quote": form["quote"].value() if form.is_bound else form.initial.get("quote"),
        },
    )


def detail(request, pk):
    """One bookmark, with its annotations; counts as a view (once a day per reader)."""
    bookmark = bookmark_selectors.get_visible_bookmark(request.user, pk)
    bookmark_services.record_view(
        bookmark, bookmark_services.viewer_key_for(request), viewer=request.user
    )
    role = membership_of(request.user, bookmark.group) if bookmark.group_id else None
    role = role.role if role else None
    return render(
        request,
        "library/detail.html",
        {
            "bookmark": bookmark,
            "savers": bookmark_selectors.savers_count(request.user, bookmark.page),
            "can_edit": bookmark_services.can_edit_bookmark(request.user, bookmark),
            "can_delete": bookmark_services.can_delete_bookmark(request.user, bookmark, role=role),
            "can_copy": request.user.is_authenticated,
        },
    )
