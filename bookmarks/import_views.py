"""HTML of import (upload, progress polled by htmx), export downloads, and the feed routes."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import re_path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from groups.selectors import get_readable_group, groups_of, postable_groups

from . import exporters, importers
from .feeds import feed_view
from .import_service import job_progress, start_import
from .models import ImportJob

RECENT_JOBS = 10


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bookmark file"),
        help_text=_(
            "Netscape bookmark HTML (from a browser, Pinboard, linkding or Diigo), Diigo CSV or "
            "Pinboard JSON; the format is recognized from the content. Up to 50 MB and "
            "100,000 bookmarks."
        ),
    )
    destination = forms.ChoiceField(label=_("Import into"), required=False)
    folders_as_tags = forms.BooleanField(
        label=_("Use folder names as tags (bookmark HTML files)"), required=False, initial=True
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [("", _("My library"))] + [
            (g.slug, g.name) for g in postable_groups(user)
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importers.max_import_bytes():
            raise ValidationError(importers.too_large_message(upload.size))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["destination"]
        group = get_readable_group(request.user, slug) if slug else None
        upload = form.cleaned_data["file"]
        try:
            job = start_import(
                request.user,
                filename=upload.name,
                data=upload.read(),
                group=group,
                folders_as_tags=form.cleaned_data["folders_as_tags"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("bookmarks:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(owner=request.user).select_related("group").defer("data")
    return render(
        request,
        "bookmarks/import.html",
        {"form": form, "jobs": jobs.order_by("-created_at")[:RECENT_JOBS]},
    )


def _own_job(request, pk):
    # Someone else's job does not exist for you.
    return get_object_or_404(
        ImportJob.objects.select_related("group").defer("data"), pk=pk, owner=request.user
    )


def _progress_context(job):
    done, total = job_progress(job)
    report = job.report if isinstance(job.report, dict) else {}
    return {
        "job": job,
        "done": done,
        "total": total,
        "percent": int(done * 100 / total) if total else 0,
        "finished": job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED),
        "report": report,
        "format_label": importers.FORMAT_LABELS.get(job.file_format, job.file_format),
    }


@login_required
@require_GET
def import_job(request, pk):
    return render(request, "bookmarks/import_job.html", _progress_context(_own_job(request, pk)))


@login_required
@require_GET
def import_progress(request, pk):
    return render(
        request, "bookmarks/_import_progress.html", _progress_context(_own_job(request, pk))
    )


@login_required
@require_GET
def export_page(request):
    return render(request, "bookmarks/export.html", _export_context(request))


def _export_context(request):
    user = request.user
    groups = list(groups_of(user))
    token = user.feed_token

    def links(label, name, private=False, **kwargs):
        token_arg = token if private else None
        return {
            "label": label,
            "private": private,
            "atom": request.build_absolute_uri(feed_url(name, "atom", token_arg, **kwargs)),
            "rss": request.build_absolute_uri(feed_url(name, "rss", token_arg, **kwargs)),
        }

    feeds = [links(_("My public bookmarks"), "feed_user", username=user.username)]
    for group in groups:
        private = not group.is_public
        if private and not token:
            continue
        feeds.append(links(group.name, "feed_group", private, slug=group.slug))
        feeds.append(
            links(
                _("New comments in %(group)s") % {"group": group.name},
                "feed_comments",
                private,
                slug=group.slug,
            )
        )
    return {
        "groups": groups,
        "formats": [(key, label) for key, (label, _ext, _type) in exporters.FORMATS.items()],
        "feeds": feeds,
        "feed_token": token,
        "has_private_groups": any(not g.is_public for g in groups),
    }


@login_required
@require_GET
def export_download(request):
    file_format = request.GET.get("format", "")
    if file_format not in exporters.FORMATS:
        context = {**_export_context(request), "error": _("Choose one of the formats below.")}
        return render(request, "bookmarks/export.html", context, status=400)
    slug = request.GET.get("group", "")
    group = get_readable_group(request.user, slug) if slug else None
    bookmarks = exporters.exportable_bookmarks(request.user, group)
    source = group.name if group is not None else request.user.username
    response = StreamingHttpResponse(
        exporters.write_export(
            file_format, bookmarks, viewer=request.user, source=source, group=group
        ),
        content_type=exporters.FORMATS[file_format][2],
    )
    filename = exporters.export_filename(file_format, owner=request.user, group=group)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- feed routes: public ones, and the same behind /feeds/private/<token>/ ----------------

FEED_ROUTES = [
    # (url name, feed kind, path pattern)
    ("feed_group", "group", r"g/(?P<slug>[-\w]+)"),
    ("feed_group_tag", "group", r"g/(?P<slug>[-\w]+)/tag/(?P<tag>[^/]+)"),
    ("feed_comments", "comments", r"g/(?P<slug>[-\w]+)/comments"),
    ("feed_user", "user", r"u/(?P<username>[\w.@+-]+)"),
    ("feed_search", "search", r"search"),
]


def _feed_dispatch(kind):
    views = {fmt: feed_view(kind, fmt) for fmt in ("atom", "rss")}

    def view(request, fmt, **kwargs):
        return views[fmt](request, **kwargs)

    return view


def feed_url(name, fmt="atom", token=None, **kwargs):
    """reverse() of a feed; with `token`, its private address."""
    if token:
        return reverse(f"bookmarks:private_{name}", kwargs={"token": token, "fmt": fmt, **kwargs})
    return reverse(f"bookmarks:{name}", kwargs={"fmt": fmt, **kwargs})


urlpatterns = [
    re_path(r"^import/$", import_page, name="import"),
    re_path(r"^import/(?P<pk>\d+)/$", import_job, name="import_job"),
    re_path(r"^import/(?P<pk>\d+)/progress$", import_progress, name="import_progress"),
    re_path(r"^export/$", export_page, name="export"),
    re_path(r"^export/download$", export_download, name="export_download"),
]
for _name, _kind, _pattern in FEED_ROUTES:
    _view = _feed_dispatch(_kind)
    urlpatterns += [
        re_path(rf"^feeds/{_pattern}\.(?P<fmt>atom|rss)$", _view, name=_name),
        re_path(
            rf"^feeds/private/(?P<token>[-\w]+)/{_pattern}\.(?P<fmt>atom|rss)$",
            _view,
            name=f"private_{_name}",
        ),
    ]
