"""The fetcher and extractor in-process: encodings on the wire, charsets, extraction rules."""

import gzip

import pytest
from django.test import override_settings
from werkzeug import Response

from bookmarks.extract import decode_html, extract
from bookmarks.fetcher import FetchError, fetch

pytestmark = pytest.mark.usefixtures("allow_loopback")


@pytest.fixture
def allow_loopback():
    with override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        yield


def test_gzip_encoded_page_is_decoded(httpserver):
    body = gzip.compress("<title>Compressé</title>".encode())
    httpserver.expect_request("/gz").respond_with_response(
        Response(body, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})
    )
    result = fetch(httpserver.url_for("/gz"))
    assert extract(result.body, url=result.url, content_type=result.content_type).title == (
        "Compressé"
    )


def test_a_small_gzip_bomb_is_refused_once_decompressed(httpserver):
    bomb = gzip.compress(b"\0" * (6 * 1024 * 1024))
    assert len(bomb) < 100_000
    httpserver.expect_request("/bomb").respond_with_response(
        Response(bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})
    )
    with pytest.raises(FetchError, match="size limit"):
        fetch(httpserver.url_for("/bomb"))


def test_declared_content_length_over_the_cap_is_refused_before_reading(httpserver):
    httpserver.expect_request("/declared").respond_with_data(b"x" * 2048)
    with pytest.raises(FetchError, match="larger than"):
        fetch(httpserver.url_for("/declared"), max_bytes=1024)


def test_header_charset_wins_over_a_wrong_meta():
    html = '<meta charset="utf-8"><title>Été</title>'.encode("windows-1252")
    assert "Été" in decode_html(html, "iso-8859-1")


def test_a_wrong_utf8_header_falls_back_to_what_decodes():
    html = "<title>Déjà vu</title>".encode("windows-1252")
    assert "Déjà vu" in decode_html(html, "utf-8")


def test_title_prefers_open_graph_then_title_then_h1():
    page = '<meta property="og:title" content="OG"><title>T</title><h1>H</h1>'
    assert extract(page.encode(), url="https://e.org/", content_type="text/html").title == "OG"
    page = "<title>T</title><h1>H</h1>"
    assert extract(page.encode(), url="https://e.org/", content_type="text/html").title == "T"
    page = "<body><h1>H</h1></body>"
    assert extract(page.encode(), url="https://e.org/", content_type="text/html").title == "H"


def test_image_gets_a_title_from_its_url_and_no_text():
    got = extract(b"\x89PNG", url="https://e.org/img/chat%20noir.png", content_type="image/png")
    assert (got.title, got.text) == ("chat noir.png", "")
