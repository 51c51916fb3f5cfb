"""The library pages: a group's and a person's library, the save page and a bookmark's page.

Each composes the layers below: bookmarks, their annotations and the search engine.
"""

import time

import httpx
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from annotations.selectors import attach_annotations
from bookmarks import selectors as bookmark_selectors
from bookmarks import services as bookmark_services
from bookmarks.extract import extract
from bookmarks.fetcher import FetchError, fetch
from bookmarks.forms import ME
from bookmarks.models import Page
from bookmarks.netguard import guarded_client
from bookmarks.urlnorm import InvalidURL, normalize_url, url_key
from bookmarks.views import add_form_errors
from config.errors import RateLimited
from groups import permissions
from groups.decorators import group_permission
from groups.models import Group, Membership
from groups.selectors import membership_of, postable_groups

from . import selectors, services
from .forms import PER_PAGE_CHOICES, SaveForm, library_params

TAG_SIDEBAR = selectors.TAG_SIDEBAR


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
    """Join / request / leave button for the group header; for someone whose request waits,
    no button but the state of their request. `group` carries the header's counts
    (group_permission(header=True))."""
    slug = group.slug
    if role is not None:
        # the last owner cannot leave (groups.services.leave_group refuses): no button that
        # can only fail. Everyone else goes through the leave page, which asks first (no JS).
        if role == Membership.Role.OWNER and group.owner_count == 1:
            return None
        return {"url": reverse("groups:leave", args=[slug]), "label": _("Leave group")}
    if group.join_policy == Group.JoinPolicy.OPEN:
        return {"url": reverse("groups:join", args=[slug]), "label": _("Join group"), "post": True}
    if group.viewer_pending:
        return {"url": "", "label": _("Request sent, waiting for an admin"), "waiting": True}
    if group.join_policy == Group.JoinPolicy.REQUEST:
        url = reverse("groups:request", args=[slug])
        return {"url": url, "label": _("Ask to join"), "post": False}
    return None


@group_permission(header=True)
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
            "member_count": group.member_count,
            "role_label": Membership.Role(role).label if role else "",
            "can_post": permissions.can(role, "post", group),
            "can_manage_tags": permissions.can(role, "manage_tags", group),
            "group_action": action if action and (action["url"] or action.get("waiting")) else None,
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
    # "Everything I saved": my group saves beside my personal ones (a keyword searches personal)
    everything = is_owner and request.GET.get("saved") == "all" and not filters.q
    listing = selectors.user_library(owner, request.user, filters, everything=everything)
    page = listing.page(params["page"], params["per_page"])
    _attach_annotations(page.items, request.user, params["view"])
    return render(
        request,
        "library/user_library.html",
        {
            "owner": owner,
            "is_owner": is_owner,
            "everything": everything,
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
    by_slug = {g.slug: g for g in groups}
    by_pk = {str(g.pk): g for g in groups}
    chosen = [by_slug.get(v) or by_pk.get(v) for v in query.getlist("group")]
    initial["destination"] = [str(g.pk) for g in chosen if g] or [ME]
    return initial


def _saved_message(saved):
    names = ", ".join(services.destination_name(s.group) for s in saved)
    if all(s.created for s in saved):
        return _("Saved in %(places)s.") % {"places": names}
    updated = ", ".join(services.destination_name(s.group) for s in saved if not s.created)
    return _("Saved in %(places)s (already saved in %(updated)s: that bookmark was updated).") % {
        "places": names,
        "updated": updated,
    }


@login_required
@require_http_methods(["GET", "POST"])
def save(request):
    """Save a page into one or more destinations; GET parameters (from a link or the
    bookmarklet, which hands the selection over by postMessage) fill the form in."""
    groups = list(postable_groups(request.user))
    if request.method == "POST":
        form = SaveForm(request.POST, groups=groups)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.save_page_to_destinations(
                    request.user,
                    data["url"],
                    destinations=data["destination"],
                    title=data["title"],
                    description=data["description"],
                    tags=data["tags"],
                    private=data["private"],
                    unread=data["unread"],
                    quote=data["quote"],
                    prefix=data["prefix"],
                    suffix=data["suffix"],
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _saved_message(saved))
                return redirect(saved[0].bookmark)
    else:
        form = SaveForm(initial=_initial_from_query(request.GET, groups), groups=groups)
    response = render(
        request,
        "library/save.html",
        {
            "form": form,
            "quote": form["quote"].value() if form.is_bound else form.initial.get("quote"),
        },
    )
    # The bookmarklet opens this page from another site and hands the selection over by
    # postMessage: a same-origin opener policy would cut the popup from its opener.
    response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response


def _destinations_from(query, groups):
    by_pk = {str(g.pk): g for g in groups}
    values = query.getlist("destination") or [ME]
    return ([None] if ME in values else []) + [by_pk[v] for v in by_pk if v in values]


def _page_of(url):
    try:
        return Page.objects.filter(url_hash=url_key(normalize_url(url))).first()
    except InvalidURL:
        return None


@login_required
@require_GET
def save_check(request):
    """The save form asks, as the URL is typed: is it already saved where I am saving it?

    JSON: the fields of my existing bookmark there (to load into the form) and a notice that
    says when I saved it and who else in each group did (only saves I may see)."""
    groups = list(postable_groups(request.user))
    page = _page_of(request.GET.get("url", "")[:2048])
    if page is None:
        return JsonResponse({"existing": None, "notice": ""})
    saves = selectors.saves_of_url(
        request.user, page=page, destinations=_destinations_from(request.GET, groups)
    )
    mine = next((s.mine for s in saves if s.mine is not None), None)
    existing = None
    if mine is not None:
        existing = {
            "title": mine.title,
            "description": mine.description,
            "tags": ", ".join(mine.tags),
        }
    notice = render_to_string("library/_save_check.html", {"saves": saves}, request=request)
    return JsonResponse({"existing": existing, "notice": notice.strip()})


def _check_preview_rate(user):
    """At most SAVE_PREVIEW_PER_MINUTE previews a minute per user (each may fetch a page)."""
    now = int(time.time())
    key = f"library:preview-rate:{user.pk}:{now // 60}"
    cache.add(key, 0, timeout=65)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=65)
        count = 1
    if count > settings.SAVE_PREVIEW_PER_MINUTE:
        raise RateLimited(retry_after=60 - now % 60)


def _preview_of(url):
    """Title and description of `url`: the stored page's when it was fetched, else a short
    fetch through the guarded fetcher (never internal addresses)."""
    page = _page_of(url)
    if page is not None and page.fetch_status == Page.FetchStatus.OK:
        return {"title": page.title, "description": page.description}
    key = f"library:preview:{url_key(normalize_url(url))}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    timeout = settings.SAVE_PREVIEW_TIMEOUT
    with guarded_client(timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0))) as client:
        result = fetch(url, client=client, deadline=timeout)
    data = extract(
        result.body, url=result.url, content_type=result.content_type, charset=result.charset
    )
    preview = {"title": data.title[:500], "description": data.description[:10000]}
    cache.set(key, preview, timeout=600)
    return preview


@login_required
@require_GET
def save_preview(request):
    """The save form's live title and description for the URL being typed (JSON)."""
    url = request.GET.get("url", "").strip()
    try:
        normalize_url(url[:2048])
    except InvalidURL as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    try:
        _check_preview_rate(request.user)
        return JsonResponse(_preview_of(url))
    except RateLimited as exc:
        response = JsonResponse({"error": str(exc)}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except FetchError as exc:
        return JsonResponse({"error": _("Could not read that page (%s).") % exc.reason})


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
