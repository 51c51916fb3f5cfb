"""HTML views of highlights, comments, topics, flags and moderation: parse → service → page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from bookmarks.selectors import visible_bookmarks
from groups.decorators import group_permission

from . import moderation, selectors, services
from .forms import (
    BanForm,
    CommentEditForm,
    CommentForm,
    FlagForm,
    HighlightEditForm,
    HighlightForm,
    TopicForm,
)
from .models import Status
from .ratelimit import RateLimited


def answers_rate_limit(view):
    """A user posting too fast gets a clear message and 429, whatever the page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except RateLimited as exc:
            if request.htmx:
                response = HttpResponse(str(exc), status=429, content_type="text/plain")
            else:
                response = render(
                    request, "annotations/rate_limited.html", {"message": str(exc)}, status=429
                )
            response["Retry-After"] = str(exc.retry_after)
            return response

    return wrapper


def _apply_errors(form, exc):
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _held_message(request, item):
    if item.status == Status.HELD:
        messages.warning(
            request,
            _(
                "Your post is held for review: a moderator will look at it soon. "
                "Until then only you see it."
            ),
        )


def _bookmark(request, pk):
    return get_object_or_404(visible_bookmarks(request.user), pk=pk)


# --- highlights --------------------------------------------------------------------------
@login_required
@answers_rate_limit
@require_http_methods(["GET", "POST"])
def highlight_create(request, pk):
    bookmark = _bookmark(request, pk)
    form = HighlightForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            highlight = services.create_highlight(request.user, bookmark, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Highlight added."))
            _held_message(request, highlight)
            return redirect(f"{bookmark.get_absolute_url()}#highlight-{highlight.pk}")
    return render(
        request,
        "annotations/highlight_form.html",
        {"form": form, "bookmark": bookmark},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def highlight_edit(request, pk):
    highlight = selectors.get_visible_highlight(request.user, pk)
    form = HighlightEditForm(
        request.POST or None, initial={"color": highlight.color, "note": highlight.note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_highlight(request.user, highlight, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Highlight saved."))
            return redirect(f"{highlight.bookmark.get_absolute_url()}#highlight-{highlight.pk}")
    return render(
        request,
        "annotations/highlight_form.html",
        {"form": form, "bookmark": highlight.bookmark, "highlight": highlight},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def highlight_delete(request, pk):
    highlight = selectors.get_visible_highlight(request.user, pk)
    if request.method == "POST":
        services.delete_highlight(request.user, highlight)
        messages.success(request, _("Highlight deleted."))
        return redirect(highlight.bookmark.get_absolute_url())
    return render(
        request,
        "annotations/confirm_delete.html",
        {"what": _("this highlight"), "excerpt": highlight.exact, "cancel": highlight.bookmark},
    )


# --- comments ----------------------------------------------------------------------------
def _comment_parent_and_highlight(request, form):
    parent_id = form.cleaned_data.get("parent")
    highlight_id = form.cleaned_data.get("highlight")
    parent = selectors.get_visible_comment(request.user, parent_id) if parent_id else None
    highlight = (
        selectors.get_visible_highlight(request.user, highlight_id) if highlight_id else None
    )
    return parent, highlight


@login_required
@answers_rate_limit
@require_http_methods(["GET", "POST"])
def comment_create(request, pk):
    bookmark = _bookmark(request, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        parent, highlight = _comment_parent_and_highlight(request, form)
        if (parent and parent.bookmark_id != bookmark.pk) or (
            highlight and highlight.bookmark_id != bookmark.pk
        ):
            return HttpResponse(_("That comment is not on this item."), status=400)
        try:
            comment = services.post_comment(
                request.user,
                body=form.cleaned_data["body"],
                bookmark=None if (parent or highlight) else bookmark,
                highlight=highlight,
                parent=parent,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Comment posted."))
            _held_message(request, comment)
            return redirect(f"{bookmark.get_absolute_url()}#comment-{comment.pk}")
    return render(
        request,
        "annotations/comment_form.html",
        {"form": form, "bookmark": bookmark, "action": request.path},
        status=400 if form.errors else 200,
    )


def _reply_form(request, *, label, post, **extra):
    """GET: the reply form (inline for htmx, a page otherwise). POST: `post(body)` → redirect."""
    form = CommentEditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment = post(form.cleaned_data["body"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Comment posted."))
            _held_message(request, comment)
            return redirect(f"{_comment_home(comment)}#comment-{comment.pk}")
    template = "annotations/_reply_form.html" if request.htmx else "annotations/comment_form.html"
    context = {"form": form, "action": request.path, "label": label, **extra}
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@answers_rate_limit
@require_http_methods(["GET", "POST"])
def comment_reply(request, pk):
    parent = selectors.get_visible_comment(request.user, pk)
    return _reply_form(
        request,
        label=_("Reply to %(name)s") % {"name": parent.author.name if parent.author else ""},
        post=lambda body: services.post_comment(request.user, body=body, parent=parent),
        parent=parent,
        bookmark=parent.bookmark,
        topic=parent.topic,
    )


@login_required
@answers_rate_limit
@require_http_methods(["GET", "POST"])
def highlight_note(request, pk):
    highlight = selectors.get_visible_highlight(request.user, pk)
    return _reply_form(
        request,
        label=_("Note on this highlight"),
        post=lambda body: services.post_comment(request.user, body=body, highlight=highlight),
        highlight=highlight,
        bookmark=highlight.bookmark,
    )


def _comment_home(comment):
    if comment.topic_id:
        return comment.topic.get_absolute_url()
    return comment.bookmark.get_absolute_url()


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, pk):
    comment = selectors.get_visible_comment(request.user, pk)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.edit_comment(request.user, comment, form.cleaned_data["body"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Comment saved."))
            _held_message(request, comment)
            return redirect(f"{_comment_home(comment)}#comment-{comment.pk}")
    return render(
        request,
        "annotations/comment_form.html",
        {"form": form, "comment": comment, "action": request.path},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request, pk):
    comment = selectors.get_visible_comment(request.user, pk)
    home = _comment_home(comment)
    if request.method == "POST":
        services.delete_comment(request.user, comment)
        messages.success(request, _("Comment deleted."))
        return redirect(home)
    return render(
        request,
        "annotations/confirm_delete.html",
        {"what": _("this comment"), "excerpt": comment.body, "cancel_url": home},
    )


@login_required
@require_POST
def comment_moderate(request, pk, action):
    """The owner of a personal item approves or removes a comment held on it."""
    comment = selectors.get_visible_comment(request.user, pk)
    try:
        moderation.moderate(request.user, comment, action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ACTION_DONE.get(action, _("Done.")))
    return redirect(f"{comment.bookmark.get_absolute_url()}#comments")


@require_GET
def item_annotations(request, pk):
    """Every annotation of one library item: what "...N more annotations..." expands to."""
    bookmark = _bookmark(request, pk)
    selectors.item_annotations(request.user, bookmark)
    # `expanded`: the new list takes the focus the vanished link had (htmx honours autofocus).
    return render(
        request,
        "annotations/_item_annotations_list.html",
        {"bookmark": bookmark, "expanded": True},
    )


# --- flags -------------------------------------------------------------------------------
def _flag_target(request, kind, pk):
    if kind == "comment":
        return selectors.get_visible_comment(request.user, pk)
    if kind == "highlight":
        return selectors.get_visible_highlight(request.user, pk)
    if kind == "topic":
        return selectors.get_visible_topic(request.user, pk)
    if kind == "bookmark":
        return _bookmark(request, pk)
    from django.http import Http404

    raise Http404("Nothing of that kind can be flagged.")


@login_required
@require_http_methods(["GET", "POST"])
def flag(request, kind, pk):
    target = _flag_target(request, kind, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_item(request.user, **form.cleaned_data, **{kind: target})
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the moderators will look at it."))
            home = target.get_absolute_url() if kind in ("topic", "bookmark") else None
            if kind == "comment":
                home = _comment_home(target)
            elif kind == "highlight":
                home = target.bookmark.get_absolute_url()
            return redirect(home)
    return render(
        request,
        "annotations/flag_form.html",
        {"form": form, "kind": kind, "target": target},
        status=400 if form.errors else 200,
    )


# --- topics ------------------------------------------------------------------------------
@require_GET
@group_permission()
def topic_list(request, slug):
    group = request.group
    page = Paginator(selectors.visible_topics(request.user, group), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "annotations/topic_list.html", {"group": group, "page": page})


@login_required
@answers_rate_limit
@require_http_methods(["GET", "POST"])
@group_permission()
def topic_create(request, slug):
    group = request.group
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.create_topic(request.user, group, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Topic started."))
            _held_message(request, topic)
            return redirect(topic.get_absolute_url())
    return render(
        request,
        "annotations/topic_form.html",
        {"form": form, "group": group},
        status=400 if form.errors else 200,
    )


@require_GET
@group_permission()
def topic_detail(request, slug, pk):
    group = request.group
    context = selectors.topic_page(request.user, group, pk)
    context.update(group=group, panel=dict(context))
    return render(request, "annotations/topic_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@group_permission()
def topic_edit(request, slug, pk):
    group = request.group
    topic = selectors.get_visible_topic(request.user, pk, group=group)
    form = TopicForm(request.POST or None, initial={"title": topic.title, "body": topic.body})
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.edit_topic(request.user, topic, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Topic saved."))
            _held_message(request, topic)
            return redirect(topic.get_absolute_url())
    return render(
        request,
        "annotations/topic_form.html",
        {"form": form, "group": group, "topic": topic},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@group_permission()
def topic_delete(request, slug, pk):
    group = request.group
    topic = selectors.get_visible_topic(request.user, pk, group=group)
    if request.method == "POST":
        services.delete_topic(request.user, topic)
        messages.success(request, _("Topic deleted."))
        return redirect(reverse("annotations:topic_list", args=[group.slug]))
    return render(
        request,
        "annotations/confirm_delete.html",
        {"what": _("this topic"), "excerpt": topic.title, "cancel": topic},
    )


@login_required
@answers_rate_limit
@require_http_methods(["GET", "POST"])
@group_permission()
def topic_comment(request, slug, pk):
    group = request.group
    topic = selectors.get_visible_topic(request.user, pk, group=group)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        parent, _highlight = _comment_parent_and_highlight(request, form)
        if parent and parent.topic_id != topic.pk:
            return HttpResponse(_("That comment is not in this topic."), status=400)
        try:
            comment = services.post_comment(
                request.user,
                body=form.cleaned_data["body"],
                topic=None if parent else topic,
                parent=parent,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Reply posted."))
            _held_message(request, comment)
            return redirect(f"{topic.get_absolute_url()}#comment-{comment.pk}")
    return render(
        request,
        "annotations/comment_form.html",
        {"form": form, "topic": topic, "action": request.path},
        status=400 if form.errors else 200,
    )


# --- moderation --------------------------------------------------------------------------
@login_required
@require_GET
@group_permission("moderate")
def moderation_queue(request, slug):
    group = request.group
    items = selectors.moderation_queue(request.user, group, role=request.group_role)
    hidden = selectors.hidden_items(request.user, group, role=request.group_role)
    return render(
        request,
        "annotations/moderation_queue.html",
        {"group": group, "items": items, "hidden": hidden},
    )


@login_required
@require_GET
@group_permission("moderate")
def moderation_log(request, slug):
    group = request.group
    page = Paginator(
        selectors.moderation_log(request.user, group, role=request.group_role), 50
    ).get_page(request.GET.get("page"))
    entries = selectors.describe_log_entries(request.user, group, page.object_list)
    return render(
        request,
        "annotations/moderation_log.html",
        {"group": group, "page": page, "entries": entries},
    )


ACTION_DONE = {
    "approve": _("Approved: everyone sees it now."),
    "unhide": _("Visible again."),
    "not_spam": _("Marked as not spam: everyone sees it now."),
    "hide": _("Hidden."),
    "spam": _("Marked as spam and hidden."),
    "delete": _("Deleted."),
    "dismiss": _("Flags dismissed."),
}


@login_required
@require_POST
@group_permission("moderate")
def moderation_action(request, slug, kind, pk, action):
    group = request.group
    item = selectors.get_moderatable_item(group, kind, pk)
    try:
        moderation.moderate(request.user, item, action, request.POST.get("detail", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ACTION_DONE.get(action, _("Done.")))
    # Back to the page the button was on (an item page's held comment), never off-site.
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("annotations:moderation_queue", args=[group.slug])
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
@group_permission("moderate")
def ban(request, slug, user_id):
    group = request.group
    target = get_object_or_404(User, pk=user_id)
    form = BanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.ban_member(request.user, group, target, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was removed and banned.") % {"name": target.name})
            return redirect(reverse("annotations:moderation_queue", args=[group.slug]))
    return render(
        request,
        "annotations/ban_form.html",
        {"form": form, "group": group, "target": target},
        status=400 if form.errors else 200,
    )
