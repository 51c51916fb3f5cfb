"""HTML of import (upload, progress polled by htmx) and export downloads."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.selectors import get_readable_group, groups_of, postable_groups
from library.feeds import feed_url

from . import exporters, importers
from .models import ImportJob
from .services import (
    PreviewGone,
    cancel_import,
    confirm_import,
    job_progress,
    own_preview,
    preview_upload,
)

RECENT_JOBS = 10


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bookmark file"),
        help_text=_(
            "Netscape bookmark HTML (from a browser, Pinboard, linkding or Diigo), Diigo CSV, "
            "Pinboard JSON, Raindrop CSV, Pocket HTML or CSV, Hypothesis, wallabag, Karakeep "
            "or Linkwarden JSON; the format is recognized from the content. Up to 50 MB and "
            "100,000 bookmarks."
        ),
    )
    destination = forms.ChoiceField(label=_("Import into"), required=False)
    folders_as_tags = forms.BooleanField(
        label=_("Use folder names as tags (bookmark HTML files)"), required=False, initial=True
    )
    private = forms.BooleanField(
        label=_("Import as private"),
        required=False,
        help_text=_(
            "Every imported bookmark is private: only you see it. For your own library only "
            "(Diigo's CSV does not say which bookmarks were private)."
        ),
    )
    strict = forms.BooleanField(
        label=_("Strict (all or nothing)"),
        required=False,
        help_text=_(
            "If any line of the file cannot be read, import nothing and list every problem. "
            "Otherwise the readable lines are imported and the others are listed with their "
            "reason."
        ),
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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("private") and cleaned.get("destination"):
            self.add_error("private", _("Only bookmarks in your own library can be private."))
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["destination"]
        group = get_readable_group(request.user, slug) if slug else None
        upload = form.cleaned_data["file"]
        try:
            # nothing is written yet: the next page shows what the import will do, to confirm
            job = preview_upload(
                request.user,
                filename=upload.name,
                data=upload.read(),
                group=group,
                folders_as_tags=form.cleaned_data["folders_as_tags"],
                strict=form.cleaned_data["strict"],
                private=form.cleaned_data["private"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("transfer:import_preview", pk=job.pk)
    jobs = ImportJob.objects.filter(owner=request.user).select_related("group").defer("data")
    return render(
        request,
        "transfer/import.html",
        {"form": form, "jobs": jobs.order_by("-created_at")[:RECENT_JOBS]},
    )


def _preview_gone(request):
    # expired, cancelled or someone else's: one answer, so it says nothing of other accounts
    return render(
        request, "transfer/import_preview_gone.html", {"message": PreviewGone.message}, status=404
    )


@login_required
@require_GET
def import_preview(request, pk):
    try:
        job = own_preview(request.user, pk)
    except PreviewGone:
        if ImportJob.objects.filter(pk=pk, owner=request.user).exists():
            return redirect("transfer:import_job", pk=pk)  # already confirmed
        return _preview_gone(request)
    return render(
        request,
        "transfer/import_preview.html",
        {
            "job": job,
            "preview": job.report.get("preview", {}),
            "options": job.report.get("options", {}),
            "format_label": importers.FORMAT_LABELS.get(job.file_format, job.file_format),
        },
    )


@login_required
@require_POST
def import_confirm(request, pk):
    try:
        job = confirm_import(request.user, pk)
    except PreviewGone:
        return _preview_gone(request)
    return redirect("transfer:import_job", pk=job.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    cancel_import(request.user, pk)
    return redirect("transfer:import")


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
    job = _own_job(request, pk)
    if job.status == ImportJob.Status.PREVIEW:
        return redirect("transfer:import_preview", pk=job.pk)
    return render(request, "transfer/import_job.html", _progress_context(job))


@login_required
@require_GET
def import_progress(request, pk):
    return render(
        request, "transfer/_import_progress.html", _progress_context(_own_job(request, pk))
    )


@login_required
@require_GET
def export_page(request):
    return render(request, "transfer/export.html", _export_context(request))


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
        return render(request, "transfer/export.html", context, status=400)
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
