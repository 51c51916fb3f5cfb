"""HTML views of one bookmark (go, edit, delete, copy) and of the tag pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from groups import permissions
from groups.decorators import group_permission
from groups.selectors import postable_groups

from . import selectors, services
from .forms import (
    ME,
    CopyForm,
    EditForm,
    RenameTagForm,
)

TAG_SIDEBAR = 40


def add_form_errors(form, exc):
    """A service's ValidationError shown next to its fields (or at the top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


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
                add_form_errors(form, exc)
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
            return redirect("library:group", bookmark.group.slug)
        return redirect("library:user", request.user.username)
    if not services.can_delete_bookmark(request.user, bookmark):
        raise PermissionDenied
    return render(request, "bookmarks/delete.html", {"bookmark": bookmark})


@login_required
@require_http_methods(["GET", "POST"])
def copy(request, pk):
    """Copy a bookmark into My library or another of my groups (merging with my save there)."""
    bookmark = selectors.get_visible_bookmark(request.user, pk)
    # the group the item is in is no destination: it is already there
    groups = [g for g in postable_groups(request.user) if g.pk != bookmark.group_id]
    personal = not (bookmark.group_id is None and bookmark.owner_id == request.user.pk)
    form = CopyForm(request.POST or None, groups=groups, personal=personal)
    if request.method == "POST" and form.is_valid():
        try:
            copied, created = services.copy_bookmark(
                request.user, bookmark, form.cleaned_data["group"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("group", exc.messages if hasattr(exc, "messages") else str(exc))
        else:
            where = copied.group.name if copied.group else _("My library")
            if created:
                messages.success(request, _("Copied into %(group)s.") % {"group": where})
            else:
                messages.info(
                    request,
                    _("You had already saved this page in %(group)s: it was updated.")
                    % {"group": where},
                )
            return redirect(copied)
    return render(
        request,
        "bookmarks/copy.html",
        {"bookmark": bookmark, "form": form, "groups": groups or personal},
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
            add_form_errors(form, exc)
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
            "library_url": reverse("library:user", args=[request.user.username]),
            "title": _("My tags"),
        },
    )


@require_http_methods(["GET", "POST"])
@group_permission()
def group_tags(request, slug):
    """A group's tag cloud; moderators and up rename and merge tags across the group."""
    group = request.group
    can_rename = permissions.can(request.group_role, "manage_tags", group)
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
