"""Everything out again: a library or a group as Netscape HTML, Diigo CSV, JSON or Web Annotation.

Each writer is a generator of text chunks over a queryset iterated in chunks, so a
100,000-bookmark library streams without being held in memory. What is exported is chosen by
`exportable_bookmarks` (visibility applied in SQL, members only for a group); the writers only
present it. Our JSON is the one format that carries everything, and the importer reads it back.
"""

import csv
import io
import json
from datetime import UTC
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy

from annotations import jsonld
from annotations.models import Comment, Highlight, Status
from bookmarks.models import Bookmark
from bookmarks.selectors import visibility_q
from groups import permissions
from groups.selectors import role_of

from .importers import (
    DIIGO_COLUMNS,
    DIIGO_DATE_FORMAT,
    DIIGO_EXTRA_COLUMNS,
    DIIGO_NO_TAG,
    FORMULA_START,
)
from .readers.jsonld import COLOR, PRIVATE, TITLE, UNREAD

CHUNK = 2000
FORMATS = {
    # name: (label, file extension, content type)
    "netscape": (gettext_lazy("Netscape bookmark HTML"), "html", "text/html; charset=utf-8"),
    "diigo": (gettext_lazy("Diigo CSV"), "csv", "text/csv; charset=utf-8"),
    "json": (gettext_lazy("JSON (everything)"), "json", "application/json"),
    "jsonld": (gettext_lazy("W3C Web Annotation (JSON-LD)"), "jsonld", jsonld.MEDIA_TYPE),
}


def exportable_bookmarks(viewer, group=None):
    """What `viewer` may export: their own library, or a group's when they are a member.

    Raises PermissionDenied for a non-member of a group (callers looked the group up with
    get_readable_group, so a private group is already a 404 for them).
    """
    if group is None:
        queryset = Bookmark.objects.filter(owner=viewer, group__isnull=True)
    else:
        if not permissions.can(role_of(viewer, group), "view_members_only", group):
            raise PermissionDenied(gettext_lazy("Only members can export a group's library."))
        queryset = Bookmark.objects.filter(group=group)
    shown = shown_to(viewer)
    return (
        queryset.filter(visibility_q(viewer))
        .select_related("page", "owner", "group")
        .prefetch_related(
            Prefetch(
                "highlights",
                queryset=Highlight.objects.filter(shown).select_related("author"),
            ),
            Prefetch(
                "comments",
                queryset=Comment.objects.filter(
                    shown, thread_shown_to(viewer), is_deleted=False
                ).select_related("author"),
            ),
        )
        .order_by("created_at", "id")
    )


def shown_to(viewer):
    """Highlights and comments in an export: visible ones, plus the viewer's own (held)."""
    return Q(status=Status.VISIBLE) | Q(author_id=viewer.pk)


def thread_shown_to(viewer):
    """A comment under a hidden or held comment, highlight or topic stays out of an export
    (unless it is the viewer's own)."""
    return Q(thread_status=Status.VISIBLE) | Q(author_id=viewer.pk)


def export_filename(file_format, *, owner=None, group=None):
    name = group.slug if group is not None else owner.username
    stamp = timezone.now().strftime("%Y%m%d")
    return f"commonplace-{name}-{stamp}.{FORMATS[file_format][1]}"


def write_export(file_format, bookmarks, **kwargs):
    writer = {
        "netscape": write_netscape,
        "diigo": write_diigo_csv,
        "json": write_json,
        "jsonld": write_jsonld,
    }[file_format]
    return writer(bookmarks, **kwargs)


def _each(bookmarks):
    yield from bookmarks.iterator(chunk_size=CHUNK)


def _unix(value):
    return str(int(value.timestamp())) if value else ""


def _title(bookmark):
    # a page that could not be fetched has no title: one made from its URL, never empty link text
    return bookmark.display_title


def write_netscape(bookmarks, **_):
    yield (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"
        "<!-- Exported by Commonplace. Tags are in TAGS, comma-separated; highlights and their "
        "notes follow the description as Highlight: / Sticky notes: lines, as Diigo writes "
        "them. -->\n"
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">\n'
        "<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n"
    )
    for b in _each(bookmarks):
        line = (
            f'<DT><A HREF="{escape(b.page.url)}" ADD_DATE="{_unix(b.created_at)}" '
            f'LAST_MODIFIED="{_unix(b.updated_at)}" PRIVATE="{int(b.private)}" '
            f'TOREAD="{int(b.unread)}" TAGS="{escape(",".join(b.tags))}">'
            f"{escape(_title(b))}</A>\n"
        )
        block = "\n".join(
            part
            for part in (b.description, diigo_annotations(b.highlights.all(), space=" "))
            if part
        )
        if block:
            line += f"<DD>{escape(block)}\n"
        yield line
    yield "</DL><p>\n"


def diigo_annotations(highlights, space=""):
    """Highlights and their notes in Diigo's annotations cell: Highlight: / Sticky notes: lines."""
    lines = []
    for h in highlights:
        lines.append(f"Highlight:{space}{h.exact}")
        if h.note:
            lines.append(f"Sticky notes:{space}{h.note}")
    return "\n".join(lines)


def neutralize_cell(value):
    """A cell starting with = + - @ tab or CR would run as a formula in a spreadsheet (OWASP CSV
    injection): a leading ' makes it text; the importer takes it off again."""
    return f"'{value}" if FORMULA_START.match(value) else value


def diigo_tag_cell(tags):
    """Tags as Diigo writes them: comma-separated, multi-word ones quoted so they stay whole."""
    return ",".join(f'"{t}"' if " " in t else t for t in tags) or DIIGO_NO_TAG


def _csv_line(row):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([neutralize_cell(str(c)) for c in row])
    return buffer.getvalue()


def write_diigo_csv(bookmarks, **_):
    yield _csv_line([*DIIGO_COLUMNS, *DIIGO_EXTRA_COLUMNS])
    for b in _each(bookmarks):
        # every comment, replies and those on a highlight too: one line each
        comments = [" ".join(c.body.split()) for c in b.comments.all()]
        highlights = b.highlights.all()
        yield _csv_line(
            [
                _title(b),
                b.page.url,
                diigo_tag_cell(b.tags),
                b.description,
                "\n".join(comments),
                diigo_annotations(highlights),
                b.created_at.astimezone(UTC).strftime(DIIGO_DATE_FORMAT),
                # ours, at the end (Diigo's CSV has none of them): other readers ignore them
                int(b.private),
                int(b.unread),
                b.updated_at.astimezone(UTC).strftime(DIIGO_DATE_FORMAT),
                # one colour per Highlight: line of the annotations cell, in the same order
                ",".join(h.color for h in highlights),
            ]
        )


def _iso(value):
    return value.astimezone(UTC).isoformat() if value else None


def bookmark_as_json(b):
    return {
        "url": b.page.url,
        "title": b.title,
        "description": b.description,
        "tags": b.tags,
        "private": b.private,
        "unread": b.unread,
        "created_at": _iso(b.created_at),
        "updated_at": _iso(b.updated_at),
        "saver": b.owner.username,
        "group": b.group.slug if b.group_id else None,
        "page_title": b.page.title,
        "highlights": [
            {
                "id": h.pk,
                "exact": h.exact,
                "prefix": h.prefix,
                "suffix": h.suffix,
                "start": h.start,
                "end": h.end,
                "color": h.color,
                "note": h.note,
                "author": h.author.username,
                "created_at": _iso(h.created_at),
                "anchor_status": h.anchor_status,
                "selectors": jsonld.selectors(h),
            }
            for h in b.highlights.all()
        ],
        "comments": [
            {
                "id": c.pk,
                "author": c.author.username if c.author else None,
                "body": c.body,
                "created_at": _iso(c.created_at),
                "parent": c.parent_id,
                "highlight": c.highlight_id,
            }
            for c in b.comments.all()
        ],
    }


def write_json(bookmarks, *, source="", **_):
    # "format" first: the importer recognizes our file from its first bytes.
    head = {
        "format": "commonplace",
        "version": 1,
        "exported_at": _iso(timezone.now()),
        "source": source,
    }
    yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "bookmarks": [\n'
    first = True
    for b in _each(bookmarks):
        yield ("" if first else ",\n") + json.dumps(bookmark_as_json(b), ensure_ascii=False)
        first = False
    yield "\n ]\n}\n"


def bookmark_annotation(b, base_url):
    """A bookmark as a Web Annotation with motivation "bookmarking" (tags and description)."""
    bodies = [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in b.tags]
    if b.description:
        bodies.insert(
            0,
            {
                "type": "TextualBody",
                "value": b.description,
                "format": "text/plain",
                "purpose": "describing",
            },
        )
    result = {
        "id": f"{base_url}{b.get_absolute_url()}",
        "type": "Annotation",
        "motivation": "bookmarking",
        "created": jsonld._time(b.created_at),
        "modified": jsonld._time(b.updated_at),
        "creator": jsonld.agent(b.owner, base_url),
        "target": {"type": "SpecificResource", "source": b.page.url},
        # no word for these in the model: our own IRIs, read back by transfer.readers.jsonld
        PRIVATE: b.private,
        UNREAD: b.unread,
    }
    if _title(b):
        result["target"]["label"] = _title(b)
        if not b.title:
            result[TITLE] = ""  # untitled: the label is the page's title, not the bookmark's
    if bodies:
        result["body"] = bodies
    return result


def export_url(file_format, group=None):
    """The address this export downloads from: the id of a JSON-LD collection (W3C: a MUST)."""
    query = {"format": file_format, **({"group": group.slug} if group is not None else {})}
    path = reverse("transfer:export_download")
    return f"{settings.SITE_URL.rstrip('/')}{path}?{urlencode(query)}"


def write_jsonld(bookmarks, *, viewer, source="", group=None, **_):
    base_url = settings.SITE_URL.rstrip("/")
    highlights = Highlight.objects.filter(shown_to(viewer), bookmark__in=bookmarks.values("pk"))
    total = bookmarks.count() + highlights.count()
    collection_id = export_url("jsonld", group)
    head = {
        "@context": jsonld.CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Commonplace export: {source}",
        "total": total,
        "generator": {"id": base_url + "/", "type": "Software", "name": "Commonplace"},
    }
    if not total:
        yield json.dumps(head, ensure_ascii=False, indent=1) + "\n"
        return
    # everything in one embedded page, as annotations.jsonld.annotation_collection does
    page_id = f"{collection_id}&page=1"
    head["first"] = {"id": page_id, "type": "AnnotationPage", "startIndex": 0, "items": []}
    head["last"] = page_id
    text = json.dumps(head, ensure_ascii=False, indent=1)
    opening, closing = text.rsplit('"items": []', 1)
    yield opening + '"items": [\n'
    first = True
    for b in _each(bookmarks):
        annotations = [bookmark_annotation(b, base_url)]
        for h in b.highlights.all():
            item = jsonld.annotation(h, base_url=base_url, tags=b.tags)
            item.pop("@context", None)
            item[COLOR] = h.color
            annotations.append(item)
        for item in annotations:
            yield ("" if first else ",\n") + json.dumps(item, ensure_ascii=False)
            first = False
    yield "\n]" + closing + "\n"
