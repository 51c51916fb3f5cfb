"""Parsing each format from real-shaped sample files, without the database."""

import json
from datetime import UTC, datetime

import pytest

from transfer import importers
from transfer.importers import ImportFileError


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("netscape.html", "netscape"),
        ("diigo.csv", "diigo"),
        ("pinboard.json", "pinboard"),
    ],
)
def test_format_is_detected_from_content_not_name(sample, name, expected):
    assert importers.detect_format(importers.decode(sample(name))) == expected


def test_unknown_content_is_refused_with_the_formats_we_read():
    with pytest.raises(ImportFileError) as exc:
        importers.parse(b"just some notes\nnothing else", strict=True)
    assert "Netscape" in exc.value.errors[0]


def test_netscape_reads_dates_tags_flags_descriptions_and_folders(sample):
    result = importers.parse(sample("netscape.html"))
    first, plateformes, livre, duplicate, no_date = result.items
    assert first.title == "Les « micro-travailleurs » du clic, nouveaux prolétaires"
    assert first.created_at == datetime(2019, 3, 12, 10, 0, tzinfo=UTC)
    assert first.updated_at == datetime(2019, 3, 13, 10, 0, tzinfo=UTC)
    assert first.tags == ["travail", "économie numérique"]  # comma-separated TAGS
    assert first.description.startswith("Enquête sur ceux qui micro-travaillent pour l'IA")
    assert "quelques centimes" in first.description  # <DD> spanning two lines
    # the toolbar is where a bookmark sat, not what it is about: no tag for it
    assert first.folders == []
    # a browser's file separates TAGS by commas: a value without one is one tag, spaces and all
    assert plateformes.tags == ["plateformes gig-economy", "Travail & société"]
    assert plateformes.private and plateformes.unread
    assert livre.url == "https://example.org/livre?id=42&lang=fr"
    assert livre.folders == ["Travail & société", "Lectures"]
    assert livre.created_at == datetime(2010, 1, 2, tzinfo=UTC)  # ADD_DATE in milliseconds
    assert 'des "guillemets"' in livre.description
    assert no_date.created_at is None
    assert duplicate.tags == ["clic"]


def test_netscape_folders_are_only_offered_as_tags(sample):
    result = importers.parse(sample("netscape.html"), folders_as_tags=False)
    assert result.items[2].tags == []
    assert result.items[2].folders == ["Travail & société", "Lectures"]


def test_netscape_bookmarklets_and_browser_places_are_skipped_with_a_reason(sample):
    result = importers.parse(sample("netscape.html"))
    reasons = [reason for _, reason in result.skipped]
    assert reasons == ["not a web address (javascript:)", "not a web address (place:)"]


def test_diigo_csv_reads_quotes_commas_and_multiline_annotations(sample):
    result = importers.parse(sample("diigo.csv"))
    article, plateformes, sans = result.items
    assert article.title == "Les « micro-travailleurs » du clic, nouveaux prolétaires"
    assert article.tags == ["travail", "économie numérique", "clic"]
    assert article.description == 'Un article "essentiel", à relire.'
    assert article.created_at == datetime(2019, 3, 12, 10, 0, tzinfo=UTC)
    assert [h.exact for h in article.highlights] == [
        "Ils micro-travaillent pour quelques centimes",
        "Des tâches « invisibles »\nqui nourrissent l'IA",
    ]
    assert article.highlights[0].note == "Chiffre à vérifier, source ?"
    assert article.highlights[1].note == "Deuxième note\nsur deux lignes\n\nTroisième note"
    assert article.comments == ["Très bon papier.", "À partager avec l'équipe"]
    assert plateformes.title == 'Plateformes, "gig economy" et droit du travail'
    assert plateformes.tags == []  # no_tag
    assert plateformes.where == "line 10"  # the first row spans lines 2-9
    # a sticky note on the page itself (no highlight) joins the description
    assert sans.description == "Une description, avec une virgule\n\nNote flottante sur la page"
    assert sans.highlights == []


def test_strict_mode_refuses_a_diigo_file_with_every_broken_row_by_line(sample):
    with pytest.raises(ImportFileError) as exc:
        importers.parse(sample("diigo_broken.csv"), strict=True)
    assert exc.value.errors == [
        "line 3: the date '12/03/2019' is not YYYY-MM-DD HH:MM:SS",
        "line 4: expected 7 fields, found 3 (is a quote or comma out of place?)",
        "line 5: the url is empty",
    ]


def test_diigo_unbalanced_quote_is_reported_not_swallowed(sample):
    with pytest.raises(ImportFileError) as exc:
        importers.parse(sample("diigo_unbalanced_quote.csv"), strict=True)
    assert exc.value.errors[0].startswith("line 3: unreadable CSV")


def test_pinboard_json_reads_title_extended_time_shared_toread_tags(sample):
    result = importers.parse(sample("pinboard.json"))
    article, plateformes = result.items
    assert article.title == "Les « micro-travailleurs » du clic"
    assert article.description == 'Enquête : "micro-travail", clics, IA.'
    assert article.tags == ["travail", "économie"]
    assert article.created_at == datetime(2019, 3, 12, 10, 0, tzinfo=UTC)
    assert not article.private and not article.unread
    assert plateformes.private and plateformes.unread
    assert result.skipped == [("bookmark 3", "not a web address (ftp:)")]


def test_strict_mode_refuses_broken_pinboard_entries_naming_each(sample):
    with pytest.raises(ImportFileError) as exc:
        importers.parse(sample("pinboard_broken.json"), strict=True)
    assert exc.value.errors == [
        "bookmark 2: has no href",
        "bookmark 3: the time 'last tuesday' is not a date",
    ]


def test_truncated_json_says_where_it_breaks():
    with pytest.raises(ImportFileError) as exc:
        importers.parse(b'[{"href": "https://example.org", "description": "x"', strict=True)
    assert "line 1" in exc.value.errors[0]


def test_strict_mode_refuses_a_netscape_bad_timestamp(sample):
    with pytest.raises(ImportFileError) as exc:
        importers.parse(sample("netscape_broken.html"), strict=True)
    assert exc.value.errors == ["line 6: the date 'hier' is not a Unix timestamp"]


def test_files_over_the_size_limit_are_refused(settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportFileError) as exc:
        importers.parse(b"[" + b" " * 200 + b"]", strict=True)
    assert exc.value.errors == ["The file is too large (202\xa0bytes): the limit is 100\xa0bytes."]


def test_files_over_the_item_limit_are_refused(settings):
    settings.IMPORT_MAX_ITEMS = 2
    data = b'[{"href":"https://a.org/1"},{"href":"https://a.org/2"},{"href":"https://a.org/3"}]'
    with pytest.raises(ImportFileError) as exc:
        importers.parse(data, strict=True)
    assert exc.value.errors == ["The file holds 3 bookmarks; at most 2 can be imported at once."]


def test_empty_file_is_refused():
    with pytest.raises(ImportFileError) as exc:
        importers.parse(b"   \n", strict=True)
    assert exc.value.errors == ["The file is empty."]


def test_firefox_export_keeps_folders_but_not_the_toolbar_or_other_bookmarks(sample):
    result = importers.parse(sample("netscape_firefox.html"))
    ratatouille, tatin, monde, paris = result.items
    assert ratatouille.title == "La ratatouille de « Mamie », pas à pas"
    assert ratatouille.tags == ["cuisine", "légumes", "été", "Recettes d’été"]
    assert ratatouille.description == (
        'Oignons, courgettes, aubergines & poivrons ; cuire "longtemps", à feu doux.'
    )
    assert ratatouille.created_at == datetime(2019, 7, 1, tzinfo=UTC)
    assert ratatouille.updated_at == datetime(2019, 7, 2, tzinfo=UTC)
    assert tatin.tags == ["Recettes d’été"]  # after an <HR>, still in the folder
    assert tatin.description == ""
    assert (monde.tags, monde.folders) == (["travail"], [])  # PERSONAL_TOOLBAR_FOLDER
    assert (paris.tags, paris.folders) == ([], [])  # UNFILED_BOOKMARKS_FOLDER
    assert result.skipped == [("line 22 (Les plus visités)", "not a web address (place:)")]


def test_pinboard_html_export_reads_private_toread_and_empty_tags(sample):
    article, plateformes, syndicats = importers.parse(sample("netscape_pinboard.html")).items
    assert article.tags == ["travail", "économie", "clic"]
    assert article.description == (
        "Enquête : ils « micro-travaillent », pour l'IA, à 0,01 € la tâche.\n"
        'Deuxième ligne de la note, avec des "guillemets".'
    )
    assert not article.private and not article.unread
    assert (plateformes.tags, plateformes.private, plateformes.unread) == ([], True, True)
    assert syndicats.url == "https://example.org/syndicats?pays=fr&annee=2020"
    assert syndicats.title == "Syndicats & plateformes : où en est-on ?"
    assert syndicats.description == ""  # an empty <DD>


def test_netscape_file_cut_short_is_refused_instead_of_half_read(sample):
    """A download cut in the middle of a tag would otherwise lose its last bookmarks quietly."""
    with pytest.raises(ImportFileError) as exc:
        importers.parse(sample("netscape_truncated.html"), strict=True)
    assert exc.value.errors == [
        'line 25: the file ends inside a tag (<A HREF="place:type=…): it looks cut short'
    ]


def test_diigo_csv_saved_by_excel_in_windows_1252_keeps_its_accents(sample):
    article, oeuvres = importers.parse(sample("diigo_excel_cp1252.csv")).items
    assert article.description == "Enquête ; coût : 0,01 € la tâche"
    assert [(h.exact, h.note) for h in article.highlights] == [
        ("« Ils micro-travaillent »", "Chiffre à vérifier")
    ]
    assert oeuvres.title == "Œuvres complètes"
    assert oeuvres.description == 'Citation : "l\'œuvre"'
    assert oeuvres.where == "line 4"  # line 2's quoted annotations span two lines


def test_diigo_csv_with_a_byte_order_mark_is_recognized(sample):
    result = importers.parse(b"\xef\xbb\xbf" + sample("diigo.csv"))
    assert result.file_format == "diigo" and len(result.items) == 3


def test_our_json_with_fields_of_the_wrong_type_is_reported_not_split_into_letters():
    data = (
        b'{"format": "commonplace", "bookmarks": [{"url": "https://example.org/a", '
        b'"tags": "travail", "highlights": "un passage", "comments": "Bien vu"}]}'
    )
    with pytest.raises(ImportFileError) as exc:
        importers.parse(data, strict=True)
    assert exc.value.errors == [
        "bookmark 1: tags is not a list",
        "bookmark 1: highlights is not a list",
        "bookmark 1: comments is not a list",
    ]


def test_default_limits_are_100000_bookmarks_and_50_mb():
    def pinboard(count):
        return json.dumps([{"href": f"https://example.org/{n}"} for n in range(count)]).encode()

    assert len(importers.parse(pinboard(100_000)).items) == 100_000
    with pytest.raises(ImportFileError) as exc:
        importers.parse(pinboard(100_001), strict=True)
    assert exc.value.errors == [
        "The file holds 100,001 bookmarks; at most 100,000 can be imported at once."
    ]
    assert importers.max_import_bytes() == 50 * 1024 * 1024
    with pytest.raises(ImportFileError) as exc:
        importers.parse(b" " * (50 * 1024 * 1024 + 1), strict=True)
    assert exc.value.errors == ["The file is too large (50.0\xa0MB): the limit is 50.0\xa0MB."]


@pytest.mark.parametrize(
    "written",
    [
        "2019-03-12 10:00:00",
        "2019/03/12 10:00:00",
        "2019/03/12 10:00:00 +0000",
        "2019-03-12T11:00:00+01:00",
        "2019-03-12 05:00:00 -0500",
        "2019-03-12 10:00:00 UTC",
    ],
)
def test_diigo_dates_are_read_in_each_spelling_seen(written):
    data = (
        "title,url,tags,description,comments,annotations,created_at\n"
        f"Un titre,https://example.org/a,,,,,{written}\n"
    ).encode()
    [item] = importers.parse(data).items
    assert item.created_at == datetime(2019, 3, 12, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("written", ["2019-13-45 10:00:00", "12/03/2019", "hier", "2019-03-12"])
def test_strict_mode_refuses_diigo_dates_that_are_not_dates(written):
    data = (
        "title,url,tags,description,comments,annotations,created_at\n"
        f"Un titre,https://example.org/a,,,,,{written}\n"
    ).encode()
    with pytest.raises(ImportFileError) as exc:
        importers.parse(data, strict=True)
    assert exc.value.errors == [f"line 2: the date {written!r} is not YYYY-MM-DD HH:MM:SS"]
