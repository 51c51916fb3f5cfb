"""Detection of every format, the formats we recognise and refuse by name, and malformed
entries in each new format: skipped and reported with a reason, never an exception."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.imports.readers_support import fixture, fixture_text
from transfer import importers
from transfer.importers import ImportFileError
from transfer.models import ImportJob
from transfer.services import start_import

URL = "https://example.org/entry"


def refusal(text):
    with pytest.raises(ImportFileError) as exc:
        importers.parse(text.encode() if isinstance(text, str) else text)
    return exc.value.errors


@pytest.mark.parametrize(
    ("data", "names"),
    [
        (
            "URL,Title,Selection,Folder,Timestamp\nhttps://a.org,A,,Unread,1500000000\n",
            "Instapaper CSV",
        ),
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST '
            '1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">'
            "<dict/></plist>\n",
            "Safari property list",
        ),
        (b"bplist00\xd4\x01\x02\x03\x04\x05\x06\x07\x0a", "Safari property list"),
        (
            '<?xml version="1.0"?>\n<opml version="2.0"><head><title>Feeds</title></head><body>'
            '<outline text="A" xmlUrl="https://a.org/feed"/></body></opml>\n',
            "OPML",
        ),
    ],
)
def test_formats_we_recognise_but_do_not_read_are_named(data, names):
    [message] = refusal(data)
    assert names in message and "cannot" in message


def test_a_recognised_but_unsupported_file_is_named_on_the_form_in_french(client, user):
    client.force_login(user)
    data = b"URL,Title,Selection,Folder\nhttps://a.org,A,,Unread\n"
    response = client.post(
        reverse("transfer:import"),
        {"file": SimpleUploadedFile("i.csv", data)},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert "Instapaper" in response.text and "ne pouvons pas" in response.text
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        '{"user": "x", "items": [{"link": "https://a.org"}]}',
        '[{"link": "https://a.org", "name": "A"}]',
        '{"bookmarks": []}',
    ],
)
def test_an_unknown_json_lists_the_json_formats_we_read(data):
    [message] = refusal(data)
    assert "Pinboard export is a JSON list" not in message
    for name in ("Pinboard", "Hypothesis", "wallabag", "Karakeep", "Linkwarden", "Commonplace"):
        assert name in message


def test_an_unknown_file_lists_every_format_we_read():
    [message] = refusal("just some notes\n")
    for name in ("Netscape", "Diigo", "Raindrop", "Pocket", "Hypothesis", "wallabag", "Karakeep"):
        assert name in message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("raindrop.csv", "raindrop"),
        ("pocket.html", "pocket_html"),
        ("pocket.csv", "pocket_csv"),
        ("hypothesis.json", "hypothesis"),
        ("wallabag.json", "wallabag"),
        ("linkding.html", "netscape"),
        ("karakeep.json", "karakeep"),
        ("linkwarden.json", "linkwarden"),
    ],
)
def test_detection_needs_only_the_start_of_the_file(name, expected):
    """The job is recorded from the first 64 KB: a long file is recognised from its start."""
    text = fixture_text(name)
    assert importers.detect_format(text) == expected
    assert importers.detect_format(text[: len(text) // 2]) == expected


# --- Malformed entries, in every new JSON format -------------------------------------------

# One good entry of each format, and how its title and address are set.
GOOD = {
    "wallabag": {"is_archived": 0, "is_starred": 0, "url": URL, "title": "T", "tags": []},
    "karakeep": {
        "createdAt": 1710000000,
        "title": "T",
        "tags": [],
        "content": {"type": "link", "url": URL},
        "note": None,
        "archived": False,
    },
    "linkwarden": {"name": "T", "url": URL, "description": "", "tags": []},
    "hypothesis": {
        "user": "acct:a@hypothes.is",
        "uri": URL,
        "text": "T",
        "tags": [],
        "target": [{"source": URL, "selector": [{"type": "TextQuoteSelector", "exact": "q"}]}],
    },
}
TITLE = {"wallabag": "title", "karakeep": "title", "linkwarden": "name", "hypothesis": "text"}
WHERE = {
    "wallabag": "entry 2",
    "karakeep": "bookmark 2",
    "linkwarden": "collection 1, link 2",
    "hypothesis": "annotation 2",
}


def wrap(fmt, entries):
    if fmt == "wallabag":
        return entries
    if fmt == "karakeep":
        return {"bookmarks": entries}
    if fmt == "linkwarden":
        return {"id": 1, "username": "a", "collections": [{"name": "C", "links": entries}]}
    return {"export_userid": "acct:a@hypothes.is", "annotations": entries}


def set_url(fmt, entry, value):
    if fmt == "karakeep":
        entry["content"]["url"] = value
    elif fmt == "hypothesis":
        entry["uri"] = value
    else:
        entry["url"] = value


def nested(depth):
    value = "x"
    for _ in range(depth):
        value = [value]
    return value


def with_second_entry(fmt, change):
    second = copy.deepcopy(GOOD[fmt])
    second = change(fmt, second)
    entries = [copy.deepcopy(GOOD[fmt]), second]
    return json.dumps(wrap(fmt, entries)).encode()


MALFORMED = {
    "title is a nested list": (
        lambda fmt, e: {**e, TITLE[fmt]: nested(200)},
        "is not text",
    ),
    "title is an object": (lambda fmt, e: {**e, TITLE[fmt]: {"fr": "T"}}, "is not text"),
    "no address": (lambda fmt, e: (set_url(fmt, e, None), e)[1], "has no address"),
    "address is a number": (lambda fmt, e: (set_url(fmt, e, 42), e)[1], "is not text"),
    "tags is text": (lambda fmt, e: {**e, "tags": "a,b"}, "is not a list"),
    "not an object": (lambda fmt, e: "https://example.org/entry", "is not an object"),
}


@pytest.mark.parametrize("fmt", sorted(GOOD))
@pytest.mark.parametrize("shape", sorted(MALFORMED))
def test_a_malformed_entry_is_skipped_with_its_reason_and_the_rest_imported(fmt, shape):
    change, reason = MALFORMED[shape]
    result = importers.parse(with_second_entry(fmt, change))
    assert result.file_format == fmt
    assert [i.url for i in result.items] == [URL]
    [(where, message)] = result.problems
    assert where == WHERE[fmt] and reason in message


@pytest.mark.parametrize("fmt", sorted(GOOD))
def test_nul_bytes_in_an_entry_are_removed_and_said_so(fmt):
    def change(fmt, entry):
        set_url(fmt, entry, URL + "/2")  # another page: Hypothesis makes one item per page
        return {**entry, TITLE[fmt]: "un\u0000 titre"}

    result = importers.parse(with_second_entry(fmt, change))
    assert len(result.items) == 2 and not result.problems
    assert result.repairs == [(WHERE[fmt], "control characters removed")]


@pytest.mark.parametrize("fmt", sorted(GOOD))
def test_json_nested_too_deeply_fails_the_job_with_a_clear_message(user, fmt):
    head = json.dumps(wrap(fmt, [GOOD[fmt]]))
    # the same export, with a value nested far deeper than any reader can follow
    data = head.replace('"tags": []', '"tags": ' + "[" * 100_000 + "]" * 100_000, 1).encode()
    job = start_import(user, filename="deep.json", data=data, run_now=True)
    assert job.status == ImportJob.Status.FAILED
    assert job.report["errors"] == [
        "The JSON is nested too deeply to be a bookmark export: nothing can be read."
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"bookmarks": {"createdAt": 1}}', "A Karakeep export holds a list of bookmarks."),
        (
            '{"username": "a", "collections": {"links": []}}',
            "A Linkwarden backup holds a list of collections.",
        ),
        (
            '{"export_userid": "acct:a@h", "annotations": "none"}',
            "A Hypothesis export holds a list of annotations.",
        ),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_whole_with_its_format_named(user, data, message):
    assert refusal(data) == [message]
    with pytest.raises(ValidationError):
        # the preview says so before anything is stored
        from transfer.services import preview_upload

        preview_upload(user, filename="x.json", data=data.encode())


def test_a_raw_nul_byte_in_json_says_where_the_json_is_broken():
    data = fixture("wallabag.json").replace(b'"Sans adresse"', b'"Sans\x00adresse"')
    [message] = refusal(data)
    assert message.startswith("The JSON is broken at line ")


@pytest.mark.parametrize("name", ["raindrop.csv", "pocket.csv"])
def test_a_raw_nul_byte_in_a_csv_row_is_removed_and_said_so(name):
    text = fixture_text(name)
    data = text.replace("https://example.org/", "https://exa\x00mple.org/", 1).encode()
    result = importers.parse(data)
    assert ("line 2", "control characters removed") in result.repairs
    assert result.items[0].url.startswith("https://example.org/")


def test_a_reason_quoting_the_file_keeps_no_nul_byte_for_the_report(user):
    """The report is JSON in PostgreSQL, which refuses \\u0000: found by tests/fuzz."""
    other = {**GOOD["hypothesis"], "user": "acct:\u0000mallory@hypothes.is"}
    data = json.dumps(wrap("hypothesis", [GOOD["hypothesis"], other])).encode()
    job = start_import(user, filename="h.json", data=data, run_now=True)
    assert job.status == ImportJob.Status.DONE
    assert job.report["skipped"] == [
        {"where": "annotation 2", "reason": "written by another user (acct:mallory@hypothes.is)"}
    ]


@pytest.mark.parametrize("fmt", ["wallabag", "karakeep", "linkwarden"])
def test_an_over_long_title_and_a_future_date_are_repaired_by_the_import_and_said_so(user, fmt):
    long = {**GOOD[fmt], TITLE[fmt]: "très long " * 200}
    long[{"wallabag": "created_at", "karakeep": "createdAt", "linkwarden": "createdAt"}[fmt]] = (
        4102444800 if fmt == "karakeep" else "2100-01-01T00:00:00Z"
    )
    job = start_import(
        user, filename="x.json", data=json.dumps(wrap(fmt, [long])).encode(), run_now=True
    )
    assert job.status == ImportJob.Status.DONE and job.created == 1
    where = WHERE[fmt].replace("2", "1")
    assert sorted(n["message"] for n in job.report["notes"] if n["where"] == where) == [
        "a date in the future (2100-01-01) set to today",
        "title shortened to 500 characters",
    ]
