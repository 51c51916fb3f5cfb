"""The API docs page renders Swagger UI from our own static files, under our strict CSP."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_every_operation_without_csp_errors(live_server, page):
    problems = []
    page.on(
        "console",
        lambda m: m.type == "error" and problems.append(m.text),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    outside = []
    page.on(
        "request",
        lambda r: not r.url.startswith(live_server.url) and outside.append(r.url),
    )
    response = page.goto(f"{live_server.url}/api/docs/")
    assert "script-src" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=20000)
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/bookmarks/" in [o.replace("\u200b", "") for o in operations]
    assert page.locator(".opblock").count() >= 30
    assert [p for p in problems if "Content Security Policy" in p] == []
    assert outside == []  # no CDN: everything comes from our own static files
