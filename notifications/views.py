"""HTML views of notifications: the list, reading, mail settings, follows, one-click
unsubscribe and the @mention suggestions of a group's text boxes."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.decorators import group_permission
from groups.models import Group, Membership

from . import buttons, selectors, services
from .forms import GroupFollowForm, MailSettingsForm, TagFollowForm
from .models import Kind
from .texts import describe
from .tokens import read_unsubscribe_token

PAGE_SIZE = 50
SUGGESTIONS = 8


def _back(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@login_required
def notification_list(request):
    """Newest first, grouped by day in the template."""
    services.remember_language(request.user, request.LANGUAGE_CODE)
    unread_only = request.GET.get("unread") == "1"
    paginator = Paginator(selectors.notifications_for(request.user, unread=unread_only), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    for notification in page.object_list:
        notification.text = describe(notification)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only},
    )


@login_required
@require_GET
def notification_open(request, pk):
    """Follow a notification to its item (the exact comment), marking it read."""
    notification = selectors.get_notification(request.user, pk)
    if notification is None:
        raise Http404("No such notification.")
    services.mark_read(request.user, notification)
    return redirect(notification.url)


@login_required
@require_POST
def notification_read(request, pk):
    notification = selectors.get_notification(request.user, pk)
    if notification is None:
        raise Http404("No such notification.")
    services.mark_read(request.user, notification)
    return _back(request, "notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    services.mark_all_read(request.user)
    messages.success(request, _("Every notification is marked read."))
    return _back(request, "notifications:list")


def _group_rows(user, data=None):
    rows = []
    for group, follow in selectors.group_follows(user):
        initial = {"following": follow.following, "digest": follow.digest}
        form = GroupFollowForm(data, prefix=f"g{group.pk}", initial=initial)
        rows.append({"group": group, "form": form, "tags": []})
    by_group = {row["group"].pk: row for row in rows}
    for tag in selectors.followed_tags(user):
        if tag.group_id in by_group:
            by_group[tag.group_id]["tags"].append(tag.tag)
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def mail_settings(request):
    user = request.user
    services.remember_language(user, request.LANGUAGE_CODE)
    prefs = selectors.mail_settings_of(user)
    initial = {
        "no_mail": prefs.no_mail,
        "mail_kinds": [k for k in Kind.values if k not in prefs.muted_kinds],
        "people_digest": prefs.people_digest,
    }
    data = request.POST if request.method == "POST" else None
    form = MailSettingsForm(data, initial=initial)
    rows = _group_rows(user, data)
    if data is not None and form.is_valid() and all(r["form"].is_valid() for r in rows):
        chosen = form.cleaned_data
        services.update_mail_settings(
            user,
            no_mail=chosen["no_mail"],
            muted_kinds=[k for k in Kind.values if k not in chosen["mail_kinds"]],
            people_digest=chosen["people_digest"],
            language=request.LANGUAGE_CODE,
        )
        for row in rows:
            services.set_group_follow(user, row["group"], **row["form"].cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    status = 400 if data is not None else 200
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "rows": rows,
            "people": selectors.followed_people(user),
            "tag_form": TagFollowForm(),
        },
        status=status,
    )


def _answer(request, template, context, default):
    """htmx swaps in the button alone; without JavaScript, back to the page."""
    if request.htmx:
        return render(request, template, context)
    return _back(request, default)


@login_required
@require_POST
@group_permission()
def follow_tag(request, slug):
    form = TagFollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Name a tag."))
    tag = form.cleaned_data["tag"].strip().lower()
    try:
        if request.POST.get("unfollow"):
            services.unfollow_tag(request.user, request.group, tag)
        else:
            services.follow_tag(request.user, request.group, tag)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _answer(
        request,
        "notifications/_follow_tag_button.html",
        buttons.tag_button(request.user, request.group, request.group_role, tag),
        "notifications:settings",
    )


@login_required
@require_POST
@group_permission()
def follow_group(request, slug):
    try:
        services.set_group_follow(
            request.user, request.group, following=request.POST.get("following") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _answer(
        request,
        "notifications/_follow_group_button.html",
        buttons.group_button(request.user, request.group, request.group_role),
        reverse("library:group", args=[slug]),
    )


@login_required
@require_POST
def follow_user(request, username):
    followed = get_object_or_404(get_user_model(), username=username, is_active=True)
    try:
        if request.POST.get("unfollow"):
            services.unfollow_user(request.user, followed)
        else:
            services.follow_user(request.user, followed)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _answer(
        request,
        "notifications/_follow_button.html",
        buttons.user_button(request.user, followed),
        reverse("library:user", args=[username]),
    )


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", with no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows one button (link scanners open links: only a POST unsubscribes); a POST, from
    that button or from the mail client, unsubscribes without logging in."""
    found = read_unsubscribe_token(token)
    if found is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    user_id, scope = found
    if request.method == "POST":
        if not services.unsubscribe(user_id, scope):
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "notifications/unsubscribe.html", {"done": True, "scope": scope})
    group, kind = None, ""
    if scope.startswith("group:") and scope[6:].isdigit():
        group = Group.objects.filter(pk=int(scope[6:])).first()
    if scope.startswith("kind:") and scope[5:] in Kind.values:
        kind = Kind(scope[5:]).label
    return render(
        request,
        "notifications/unsubscribe.html",
        {"scope": scope, "group": group, "kind": kind},
    )


@login_required
@require_GET
@group_permission()
def mention_suggestions(request, slug):
    """Members of the group whose name starts like the @word being typed (the last one of
    the text box, sent as `q` or as the box's own field)."""
    group = request.group
    text = request.GET.get("q")
    if text is None:
        text = next((v for k, v in request.GET.items() if k in ("body", "note")), "")
    word = text.rsplit(None, 1)[-1] if text.strip() and not text[-1:].isspace() else ""
    members = []
    if word.startswith("@") and len(word) >= 2:
        prefix = word[1:]
        members = list(
            Membership.objects.filter(group=group, user__username__istartswith=prefix)
            .select_related("user")
            .order_by("user__username")[:SUGGESTIONS]
        )
    return render(
        request,
        "notifications/_mention_suggestions.html",
        {"members": members, "prefix": word[1:]},
    )
