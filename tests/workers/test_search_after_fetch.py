"""Saving a page, the real worker fetching it, and its text becoming searchable: the path a
reader takes when they save an article and search its words a moment later."""

import pytest

from bookmarks import services as bookmarks
from bookmarks.models import Page
from search.selectors import search_items
from tests.factories import GroupFactory, MembershipFactory
from tests.workers.conftest import wait_until

pytestmark = pytest.mark.worker

ARTICLE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Enquête</title><meta property="og:site_name" content="Le Quotidien"></head>
<body><article><h1>Enquête</h1>
<p>Les coursiers « micro-travaillent » pour l’économie des plateformes.</p>
<p>Ils réclament de meilleures conditions de rémunération.</p></article></body></html>"""


@pytest.mark.usefixtures("worker")
def test_saved_page_text_is_searchable_once_the_worker_fetched_it(httpserver):
    httpserver.expect_request("/enquete").respond_with_data(
        ARTICLE.encode(), content_type="text/html; charset=utf-8"
    )
    group = GroupFactory()
    member = MembershipFactory(group=group).user
    bookmark, _ = bookmarks.save_bookmark(
        member, httpserver.url_for("/enquete"), title="À lire", group=group
    )
    assert search_items(member, "remuneration").count == 0  # not fetched yet
    wait_until(lambda: Page.objects.filter(pk=bookmark.page_id, fetch_status="ok").exists())

    for query in ("remuneration", "travail", "economie", "plateforme", "quotidien"):
        results = search_items(member, query, group=group)
        assert [r.item.pk for r in results.items] == [bookmark.pk], query
    snippet = search_items(member, "rémunération", group=group).items[0].snippet
    assert "<mark>rémunération</mark>" in snippet
