"""Main text and charset of fetched pages (pure: no database, no network)."""

import gzip
import json
import socket

import pytest
from django.core.management import call_command

from bookmarks.extract import article_text, decode_html, extract

ARTICLE = "".join(
    f"<p>Paragraphe {n} : les micro-travailleurs annotent des images pour quelques centimes "
    f"la tâche, et la plateforme garde la marge sur chaque clic.</p>"
    for n in range(8)
)


def page(body: str, head: str = "<title>Le titre</title>") -> bytes:
    return (
        f"<!doctype html><html lang='fr'><head><meta charset='utf-8'>{head}</head>"
        f"<body>{body}</body></html>".encode()
    )


def test_a_bom_wins_over_the_http_header_charset():
    body = "\ufeff<html><body><p>Déjà l’été « chaud »</p></body></html>".encode()
    assert (
        decode_html(body, "iso-8859-1") == "<html><body><p>Déjà l’été « chaud »</p></body></html>"
    )
    assert (
        "Déjà l’été"
        in extract(body, url="https://e.org/", content_type="text/html", charset="iso-8859-1").text
    )


def test_a_utf16_bom_is_read_whatever_the_header_says():
    body = "\ufeff<p>Über die Öffentlichkeit</p>".encode("utf-16-le")
    assert "Über die Öffentlichkeit" in decode_html(b"\xff\xfe" + body[2:], "utf-8")


def test_a_page_wrapped_in_a_form_keeps_its_article():
    got = extract(
        page(f"<form action='/x'><div>{ARTICLE}</div></form>"),
        url="https://e.org/a",
        content_type="text/html",
    )
    assert "Paragraphe 0 : les micro-travailleurs" in got.text
    assert "Paragraphe 7" in got.text


def test_an_empty_article_element_does_not_hide_the_text():
    got = extract(
        page(f"<article></article><div class='content'>{ARTICLE}</div>"),
        url="https://e.org/a",
        content_type="text/html",
    )
    assert "Paragraphe 3" in got.text


def test_navigation_and_footer_boilerplate_is_left_out():
    nav = "<nav><ul>" + "".join(f"<li><a href='/s{n}'>Rubrique {n}</a></li>" for n in range(9))
    got = extract(
        page(
            f"{nav}</ul></nav><main>{ARTICLE}</main><footer>Mentions légales "
            "© 2026 Journal</footer>"
        ),
        url="https://e.org/a",
        content_type="text/html",
    )
    assert "Paragraphe 5" in got.text
    assert "Rubrique 4" not in got.text
    assert "Mentions légales" not in got.text


def test_paragraphs_are_separated_by_a_blank_line():
    got = extract(page(ARTICLE), url="https://e.org/a", content_type="text/html")
    assert got.text.split("\n\n")[0].startswith("Paragraphe 0")
    assert "\n\n" in got.text and "\n\n\n" not in got.text


def test_metadata_stays_ours():
    head = (
        "<title>T</title><meta property='og:title' content='OG title'>"
        "<meta name='description' content='Une description'>"
    )
    got = extract(page(ARTICLE, head), url="https://e.org/a", content_type="text/html")
    assert (got.title, got.description, got.language) == ("OG title", "Une description", "fr")


def test_a_page_with_no_text_gives_empty_text():
    assert article_text("<html><body><img src='/a.png'></body></html>", url="") == ""
    got = extract(
        page("<div><img src='https://e.org/a.png'></div>"),
        url="https://e.org/",
        content_type="text/html",
    )
    assert got.text == ""


def test_extraction_never_opens_a_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("extraction tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    head = "<link rel='canonical' href='https://e.org/b'><link rel='icon' href='/f.ico'>"
    body = f"<img src='https://e.org/i.png'><iframe src='https://e.org/f'></iframe>{ARTICLE}"
    got = extract(page(body, head), url="https://e.org/a", content_type="text/html")
    assert "Paragraphe 1" in got.text


def test_extract_text_command_prints_one_json_line_per_file(tmp_path, capsys):
    plain, zipped = tmp_path / "a.html", tmp_path / "b.html.gz"
    plain.write_bytes(page(ARTICLE, "<title>Premier</title>"))
    zipped.write_bytes(gzip.compress(page(ARTICLE, "<title>Second</title>")))
    call_command("extract_text", str(plain), str(zipped))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["file"], line["title"]) for line in lines] == [
        (str(plain), "Premier"),
        (str(zipped), "Second"),
    ]
    assert all("Paragraphe 6" in line["text"] for line in lines)


def test_extract_text_command_says_which_file_is_missing(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nope.html"):
        call_command("extract_text", str(tmp_path / "nope.html"))


def test_a_short_page_keeps_its_paragraphs():
    share = "<div class='share'><a href='/f'>Partager</a></div>"
    got = extract(
        page(f"<article>{share}<h1>Titre</h1><p>Un.</p><p>Deux.</p></article>"),
        url="https://e.org/a",
        content_type="text/html",
    )
    assert got.text.endswith("Titre\n\nUn.\n\nDeux.")
