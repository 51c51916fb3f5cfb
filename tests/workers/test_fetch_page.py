"""fetch_page run by a real worker against pages served by pytest-httpserver."""

import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from annotations.models import Highlight
from bookmarks.models import Page
from bookmarks.tasks import fetch_page
from tests.factories import BookmarkFactory
from tests.workers.conftest import wait_until

pytestmark = pytest.mark.worker

FRENCH_PAGE = """<!DOCTYPE html>
<html lang="fr"><head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Les micro-travailleurs du clic</title>
<meta property="og:site_name" content="Le Monde du Travail">
<meta name="description" content="Une enquête sur le travail à la tâche.">
<link rel="canonical" href="/article/clic">
<meta property="article:published_time" content="2024-03-05T08:30:00+01:00">
</head><body>
<header><a href="/">Accueil</a></header>
<nav><ul><li>Rubriques</li></ul></nav>
<article><h1>Les micro-travailleurs</h1>
<p>Ils « micro-travaillent » pour quelques centimes : l'été, la tâche, œuvre.</p>
<p>Deuxième paragraphe, déjà lu.</p>
<script>var tracking = 1;</script>
</article>
<aside>Publicité</aside>
<footer>Mentions légales</footer>
</body></html>"""


def fetched(page):
    return wait_until(
        lambda: Page.objects.exclude(fetch_status="pending").filter(pk=page.pk).first()
    )


def test_french_page_labelled_latin1_reads_with_its_accents(worker, httpserver, page_at):
    httpserver.expect_request("/fr").respond_with_data(
        FRENCH_PAGE.encode("windows-1252"), content_type="text/html"
    )
    page = page_at("/fr")
    fetch_page.delay(page.pk)
    page = fetched(page)
    assert page.fetch_status == "ok"
    assert page.http_status == 200
    assert page.title == "Les micro-travailleurs du clic"
    assert page.site_name == "Le Monde du Travail"
    assert page.description == "Une enquête sur le travail à la tâche."
    assert page.language == "fr"
    assert page.canonical_url == httpserver.url_for("/article/clic")
    assert page.published_at.isoformat() == "2024-03-05T07:30:00+00:00"
    assert page.text == (
        "Les micro-travailleurs\n\n"
        "Ils « micro-travaillent » pour quelques centimes : l'été, la tâche, œuvre.\n\n"
        "Deuxième paragraphe, déjà lu."
    )
    for noise in ("Accueil", "Rubriques", "tracking", "Publicité", "Mentions"):
        assert noise not in page.text
    assert page.fetched_at is not None


def test_undeclared_windows_1252_is_detected(worker, httpserver, page_at):
    body = FRENCH_PAGE.replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', ""
    ).encode("windows-1252")
    httpserver.expect_request("/nodecl").respond_with_data(body, content_type="text/html")
    page = fetched(fetch_and_return(page_at("/nodecl")))
    assert "l'été, la tâche, œuvre" in page.text


def fetch_and_return(page):
    fetch_page.delay(page.pk)
    return page


def test_bookmark_without_a_title_takes_the_fetched_one(worker, httpserver, page_at):
    httpserver.expect_request("/t").respond_with_data(
        "<title>Fetched title</title><p>x</p>", content_type="text/html"
    )
    page = page_at("/t")
    untitled = BookmarkFactory(page=page, title="")
    titled = BookmarkFactory(page=page, title="Mine")
    fetched(fetch_and_return(page))
    untitled.refresh_from_db()
    titled.refresh_from_db()
    assert untitled.title == "Fetched title"
    assert titled.title == "Mine"


def test_redirect_chain_is_followed_to_the_final_page(worker, httpserver, page_at):
    for i in range(1, 4):
        httpserver.expect_request(f"/r{i}").respond_with_response(
            Response(status=302, headers={"Location": f"/r{i + 1}"})
        )
    httpserver.expect_request("/r4").respond_with_data(
        "<title>Arrived</title>", content_type="text/html"
    )
    page = fetched(fetch_and_return(page_at("/r1")))
    assert page.fetch_status == "ok"
    assert page.title == "Arrived"
    assert page.final_url == httpserver.url_for("/r4")


def test_more_than_five_redirects_fail(worker, httpserver, page_at):
    for i in range(1, 8):
        httpserver.expect_request(f"/loop{i}").respond_with_response(
            Response(status=301, headers={"Location": f"/loop{i + 1}"})
        )
    page = fetched(fetch_and_return(page_at("/loop1")))
    assert page.fetch_status == "failed"
    assert "redirects" in page.fetch_error
    assert len(httpserver.log) == 6  # the page and five hops, no more


def test_oversized_body_is_cut_off_and_reported(worker, httpserver, page_at):
    big = b"<html><title>Huge</title><body>" + b"a" * (6 * 1024 * 1024) + b"</body></html>"

    def chunks():
        yield big

    httpserver.expect_request("/big").respond_with_response(
        Response(chunks(), content_type="text/html")  # streamed: no Content-Length
    )
    page = fetched(fetch_and_return(page_at("/big")))
    assert page.fetch_status == "failed"
    assert "larger than 5 MB" in page.fetch_error
    assert page.text == ""


@pytest.fixture
def slow_server():
    """A server of its own, threaded: the shared one would stay blocked by the slow handler
    and make the next tests time out."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_server_slower_than_the_timeout_is_retried_then_fails(worker, slow_server):
    from tests.factories import PageFactory

    def slow(request):
        time.sleep(2.5)
        return Response("<title>Too late</title>", content_type="text/html")

    slow_server.expect_request("/slow").respond_with_handler(slow)
    page = PageFactory(url=slow_server.url_for("/slow"), title="", fetch_status="pending")
    page = fetched(fetch_and_return(page))
    assert page.fetch_status == "failed"
    assert "timed out" in page.fetch_error
    assert len(slow_server.log) <= 3  # the first try and FETCH_MAX_RETRIES=2 retries


def test_server_error_then_success_is_retried(worker, httpserver, page_at):
    httpserver.expect_oneshot_request("/flaky").respond_with_data("oops", status=500)
    httpserver.expect_request("/flaky").respond_with_data(
        "<title>Back up</title>", content_type="text/html"
    )
    page = fetched(fetch_and_return(page_at("/flaky")))
    assert page.fetch_status == "ok"
    assert page.title == "Back up"
    assert len([r for r, _ in httpserver.log if r.path == "/flaky"]) == 2


def test_not_found_is_not_retried(worker, httpserver, page_at):
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    page = fetched(fetch_and_return(page_at("/gone")))
    assert page.fetch_status == "failed"
    assert page.http_status == 404
    assert page.fetch_error == "HTTP 404"
    time.sleep(1.0)  # longer than any retry delay of the test worker
    assert len(httpserver.log) == 1


def test_pdf_gets_its_type_and_a_title_from_the_url(worker, httpserver, page_at):
    httpserver.expect_request("/docs/rapport-annuel.pdf").respond_with_data(
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", content_type="application/pdf"
    )
    page = fetched(fetch_and_return(page_at("/docs/rapport-annuel.pdf")))
    assert page.fetch_status == "ok"
    assert page.content_type == "application/pdf"
    assert page.title == "rapport-annuel.pdf"
    assert page.text == ""


def test_running_the_fetch_twice_gives_the_same_page(worker, httpserver, page_at):
    httpserver.expect_request("/twice").respond_with_data(
        "<title>Same</title><p>Body</p>", content_type="text/html"
    )
    page = page_at("/twice")
    fetch_page.delay(page.pk)
    fetch_page.delay(page.pk)
    wait_until(lambda: len(httpserver.log) == 2)
    page = fetched(page)
    time.sleep(0.5)
    page.refresh_from_db()
    assert (page.fetch_status, page.title, page.text) == ("ok", "Same", "Body")


def test_refetch_reanchors_highlights(worker, httpserver, page_at):
    old = (
        "Premier paragraphe.\n\nLes plateformes paient les micro-travailleurs à la tâche, "
        "souvent quelques centimes.\n\nUn autre passage qui sera supprimé plus tard."
    )
    page = page_at("/changing", text=old, fetch_status="ok")
    bookmark = BookmarkFactory(page=page)

    def make(exact):
        start = old.index(exact)
        return Highlight.objects.create(
            bookmark=bookmark,
            author=bookmark.owner,
            exact=exact,
            prefix=old[max(0, start - 32) : start],
            suffix=old[start + len(exact) : start + len(exact) + 32],
            start=start,
            end=start + len(exact),
            anchor_status="anchored",
        )

    moved = make("Premier paragraphe.")
    changed = make("paient les micro-travailleurs à la tâche")
    removed = make("Un autre passage qui sera supprimé plus tard.")
    new_html = (
        "<article><p>Un chapeau ajouté avant tout le reste.</p><p>Premier paragraphe.</p>"
        "<p>Les plateformes payent les micro-travailleurs à la tâche, souvent quelques "
        "centimes.</p></article>"
    )
    httpserver.expect_request("/changing").respond_with_data(new_html, content_type="text/html")
    fetch_page.delay(page.pk)

    def reanchored():
        rows = Highlight.objects.filter(pk__in=[moved.pk, changed.pk, removed.pk])
        return all(h.anchored_at for h in rows)

    wait_until(reanchored)
    page.refresh_from_db()
    for h in (moved, changed, removed):
        h.refresh_from_db()
    assert moved.anchor_status == "anchored"
    assert page.text[moved.start : moved.end] == "Premier paragraphe."
    assert changed.anchor_status == "fuzzy"
    assert page.text[changed.start : changed.end] == "payent les micro-travailleurs à la tâche"
    assert "payent les micro-travailleurs" in changed.snapshot
    assert removed.anchor_status == "orphaned"
    assert removed.snapshot  # the orphan keeps what it was


def test_a_page_whose_text_changed_with_the_new_extractor_reanchors_on_its_next_fetch(
    worker, httpserver, page_at
):
    """The switch to trafilatura changes stored texts only when a page is fetched again: the
    fetch sees text_changed and re-anchors every highlight of the page at its new offsets."""
    from bs4 import BeautifulSoup

    from bookmarks.extract import main_text

    share = (
        "<div class='share-buttons'><ul><li><a href='/f'>Partager sur Facebook</a></li>"
        "<li><a href='/t'>Partager sur Twitter</a></li></ul></div>"
    )
    more = "".join(f"<p>Paragraphe {n} : payé à la tâche, quelques centimes.</p>" for n in range(5))
    html = FRENCH_PAGE.replace("<article>", "<article>" + share).replace(
        "<script>", more + "<script>"
    )
    old = main_text(BeautifulSoup(html, "lxml"))  # what the previous extractor stored
    quote = "Deuxième paragraphe, déjà lu."
    page = page_at("/switched", text=old, fetch_status="ok")
    bookmark = BookmarkFactory(page=page)
    start = old.index(quote)
    highlight = Highlight.objects.create(
        bookmark=bookmark,
        author=bookmark.owner,
        exact=quote,
        prefix=old[start - 20 : start],
        start=start,
        end=start + len(quote),
        anchor_status="anchored",
    )
    httpserver.expect_request("/switched").respond_with_data(
        html.encode(), content_type="text/html; charset=utf-8"
    )
    fetch_page.delay(page.pk)
    wait_until(lambda: Highlight.objects.get(pk=highlight.pk).anchored_at)
    page.refresh_from_db()
    highlight.refresh_from_db()
    assert page.text != old
    assert highlight.anchor_status == "anchored"
    assert page.text[highlight.start : highlight.end] == quote
