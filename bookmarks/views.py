"""HTML views of bookmarks: the group library, a user's library, saving, detail, tags."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from groups import permissions
from groups.models import Group, Membership
from groups.selectors import get_readable_group, membership_of, postable_groups

from . import selectors, services
from .forms import (
    ME,
    PER_PAGE_CHOICES,
    CopyForm,
    EditForm,
    RenameTagForm,
    SaveForm,
    library_params,
)

TAG_SIDEBAR = 40


def _choices():
    return {
        "kind_choices": [("all", _("All")), ("bookmarks", _("Bookmarks")), ("topics", _("Topics"))],
        "view_choices": [("simple", _("Simple")), ("middle", _("Middle")), ("full", _("Full"))],
        "per_page_choices": PER_PAGE_CHOICES,
    }


def _url_or_none(name, *args):
    """A URL another app may not have built yet: None keeps its button out of the page."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _attach_annotations(items, viewer, view):
    from annotations.selectors import attach_annotations

    bookmarks = [item for item in items if item.item_kind == "bookmark"]
    attach_annotations(bookmarks, viewer, view)
    for item in items:
        if item.item_kind == "topic":
            item.url = _url_or_none("annotations:topic", item.group.slug, item.pk)


def _group_actions(group, membership):
    """Join / request / leave button for the header (B's URLs, when they exist)."""
    slug = group.slug
    if membership is not None:
        if membership.role == Membership.Role.OWNER:
            # an owner goes through the leave page, which says whether they are the last one
            # (groups.services.leave_group decides); a co-owner may still leave
            return {
                "url": _url_or_none("groups:leave", slug),
                "label": _("Leave group"),
                "post": False,
            }
        return {
            "url": _url_or_none("groups:leave", slug),
            "label": _("Leave group"),
            "post": True,
            "confirm": _("Leave this group?"),
        }
    if group.join_policy == Group.JoinPolicy.OPEN:
        return {"url": _url_or_none("groups:join", slug), "label": _("Join group"), "post": True}
    if group.join_policy == Group.JoinPolicy.REQUEST:
        url = _url_or_none("groups:request", slug) or _url_or_none("groups:request_to_join", slug)
        return {"url": url, "label": _("Ask to join"), "post": False}
    return None


def group_library(request, slug):
    """The group home: its shared library, filtered, sorted and paged from the query string."""
    group = get_readable_group(request.user, slug)
    params = library_params(request.GET)
    filters = params["filters"]
    listing = selectors.group_library(group, request.user, filters)
    page = listing.page(params["page"], params["per_page"])
    _attach_annotations(page.items, request.user, params["view"])
    membership = membership_of(request.user, group)
    role = membership.role if membership else None
    action = _group_actions(group, membership)
    return render(
        request,
        "bookmarks/group_library.html",
        {
            "group": group,
            "member_count": group.memberships.count(),
            "membership": membership,
            "can_post": permissions.can(role, "post", group),
            "can_manage_tags": permissions.can(role, "manage_tags", group),
            "group_action": action if action and action["url"] else None,
            "page": page,
            "filters": filters,
            "view": params["view"],
            **_choices(),
            # with a keyword, the tags of the results (click to refine); else the group's
            "tag_cloud": selectors.cloud(
                listing.facets(TAG_SIDEBAR)
                if filters.q
                else selectors.top_tags(group=group, limit=TAG_SIDEBAR)
            ),
            "members_url": _url_or_none("groups:members", slug),
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
        "bookmarks/user_library.html",
        {
            "owner": owner,
            "is_owner": is_owner,
            "page": page,
            "filters": filters,
            "view": params["view"],
            **_choices(),
            "tag_cloud": selectors.cloud(
                listing.facets(TAG_SIDEBAR)
                if filters.q
                else selectors.top_tags(owner=owner, viewer=request.user, limit=TAG_SIDEBAR)
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
                bookmark, created = services.save_bookmark(
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
                _add_errors(form, exc)
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
        "bookmarks/save.html",
        {
            "form": form,
            "quote": form["quote"].value() if form.is_bound else form.initial.get("quote"),
        },
    )


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def detail(request, pk):
    """One bookmark, with its annotations; counts as a view (once a day per reader)."""
    bookmark = selectors.get_visible_bookmark(request.user, pk)
    services.record_view(bookmark, services.viewer_key_for(request), viewer=request.user)
    role = membership_of(request.user, bookmark.group) if bookmark.group_id else None
    role = role.role if role else None
    return render(
        request,
        "bookmarks/detail.html",
        {
            "bookmark": bookmark,
            "savers": selectors.savers_count(request.user, bookmark.page),
            "can_edit": services.can_edit_bookmark(request.user, bookmark),
            "can_delete": services.can_delete_bookmark(request.user, bookmark, role=role),
            "can_copy": request.user.is_authenticated,
        },
    )


@require_GET
def go(request, pk):
    """The title's link: count the click-through, then send the reader to the page."""
    bookmark = selectors.get_visible_bookmark(request.user, pk)
    services.record_view(bookmark, services.viewer_key_for(request), viewer=request.user)
    return HttpResponseRedirect(bookmark.page.url)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    bookmark = selectors.get_visible_bookmark(request.user, pk)
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                services.update_bookmark(request.user, bookmark, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Bookmark updated."))
                return redirect(bookmark)
    else:
        if not services.can_edit_bookmark(request.user, bookmark):
            raise PermissionDenied
        form = EditForm(
            initial={
                "title": bookmark.title,
                "description": bookmark.description,
                "tags": ", ".join(bookmark.tags),
                "private": bookmark.private,
                "unread": bookmark.unread,
            }
        )
    return render(request, "bookmarks/edit.html", {"bookmark": bookmark, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    """GET asks for confirmation; POST deletes."""
    bookmark = selectors.get_visible_bookmark(request.user, pk)
    if request.method == "POST":
        services.delete_bookmark(request.user, bookmark)
        messages.success(request, _("Bookmark deleted."))
        if bookmark.group_id:
            return redirect("groups:detail", bookmark.group.slug)
        return redirect("accounts:profile", request.user.username)
    if not services.can_delete_bookmark(request.user, bookmark):
        raise PermissionDenied
    return render(request, "bookmarks/delete.html", {"bookmark": bookmark})


@login_required
@require_http_methods(["GET", "POST"])
def copy(request, pk):
    """Copy a bookmark into another of my groups (merging with my save there, if any)."""
    bookmark = selectors.get_visible_bookmark(request.user, pk)
    groups = [
        g
        for g in postable_groups(request.user)
        if not (g.pk == bookmark.group_id and bookmark.owner_id == request.user.pk)
    ]
    form = CopyForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            copied, created = services.copy_bookmark(
                request.user, bookmark, form.cleaned_data["group"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("group", exc.messages if hasattr(exc, "messages") else str(exc))
        else:
            if created:
                messages.success(request, _("Copied into %(group)s.") % {"group": copied.group})
            else:
                messages.info(
                    request,
                    _("You had already saved this page in %(group)s: it was updated.")
                    % {"group": copied.group},
                )
            return redirect(copied)
    return render(
        request, "bookmarks/copy.html", {"bookmark": bookmark, "form": form, "groups": groups}
    )


@require_GET
def tag_suggest(request):
    """htmx: the destination's tags starting with what is being typed, with their counts."""
    text = request.GET.get("tags", "")
    pieces = text.split(",") if "," in text else [text]
    prefix = pieces[-1].strip()
    counts = []
    if request.user.is_authenticated and prefix:
        destination = request.GET.get("destination", ME)
        if destination == ME:
            counts = selectors.tag_counts(owner=request.user, viewer=request.user)
        else:
            group = next(
                (g for g in postable_groups(request.user) if str(g.pk) == destination), None
            )
            if group is not None:
                counts = selectors.tag_counts(group=group)
    typed = {p.strip().lower() for p in pieces[:-1]}
    suggestions = [
        (t, n) for t, n in selectors.tag_suggestions(counts, prefix, 15) if t not in typed
    ][:10]
    return render(
        request, "bookmarks/_tag_suggestions.html", {"suggestions": suggestions, "prefix": prefix}
    )


def _rename(request, group=None):
    form = RenameTagForm(request.POST)
    if form.is_valid():
        try:
            changed = services.rename_tag(
                request.user, form.cleaned_data["old"], form.cleaned_data["new"], group=group
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Tag renamed on %(n)s bookmarks.") % {"n": changed},
            )
            return None
    return form


@login_required
@require_http_methods(["GET", "POST"])
def my_tags(request):
    """My personal library's tags with counts; rename or merge them."""
    form = RenameTagForm(initial={"old": request.GET.get("tag", "")})
    if request.method == "POST":
        form = _rename(request)
        if form is None:
            return redirect("bookmarks:my_tags")
    counts = selectors.tag_counts(owner=request.user, viewer=request.user)
    return render(
        request,
        "bookmarks/tags.html",
        {
            "counts": counts,
            "cloud": selectors.cloud(counts, 200),
            "form": form,
            "can_rename": True,
            "library_url": reverse("accounts:profile", args=[request.user.username]),
            "title": _("My tags"),
        },
    )


@require_http_methods(["GET", "POST"])
def group_tags(request, slug):
    """A group's tag cloud; moderators and up rename and merge tags across the group."""
    group = get_readable_group(request.user, slug)
    membership = membership_of(request.user, group)
    can_rename = permissions.can(membership.role if membership else None, "manage_tags", group)
    form = RenameTagForm(initial={"old": request.GET.get("tag", "")}) if can_rename else None
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise PermissionDenied
        form = _rename(request, group=group)
        if form is None:
            return redirect("bookmarks:group_tags", group.slug)
    counts = selectors.tag_counts(group=group)
    return render(
        request,
        "bookmarks/tags.html",
        {
            "group": group,
            "counts": counts,
            "cloud": selectors.cloud(counts, 200),
            "form": form,
            "can_rename": can_rename,
            "library_url": group.get_absolute_url(),
            "title": _("Tags of %(group)s") % {"group": group.name},
        },
    )
