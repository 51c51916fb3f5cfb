"""The outgoing-request guard: private, loopback, link-local, reserved... never reached."""

import socket

import pytest
from django.test import override_settings
from werkzeug import Response

from bookmarks.fetcher import FetchError, fetch
from bookmarks.models import Page
from bookmarks.netguard import check_url, refusal_reason
from bookmarks.tasks import fetch_page
from tests.workers.conftest import wait_until

LOOPBACK_FORMS = [
    "http://127.0.0.1:{port}/",
    "http://localhost:{port}/",
    "http://2130706433:{port}/",
    "http://0x7f.1:{port}/",
    "http://0x7f000001:{port}/",
    "http://127.1:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://[::ffff:7f00:1]:{port}/",
    "http://[::1]:{port}/",
    "http://0.0.0.0:{port}/",
    "http://[::]:{port}/",
    "http://[64:ff9b::7f00:1]:{port}/",
    "http://[2002:7f00:1::]:{port}/",
]
# Never contacted: the guard refuses before any connection is opened.
OTHER_FORBIDDEN = [
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",
    "http://[ff02::1]/",
]


@pytest.fixture
def nothing_allowed():
    with override_settings(FETCH_ALLOWED_NETWORKS=[]):
        yield


@pytest.mark.parametrize("form", LOOPBACK_FORMS)
def test_numeric_and_mapped_loopback_forms_are_refused_and_nothing_is_read(
    form, httpserver, nothing_allowed
):
    httpserver.expect_request("/").respond_with_data("secret")
    url = form.format(port=httpserver.port)
    with pytest.raises(FetchError) as caught:
        fetch(url)
    assert "blocked" in caught.value.reason or "invalid URL" in caught.value.reason
    assert not caught.value.retryable
    assert httpserver.log == []


@pytest.mark.parametrize("url", OTHER_FORBIDDEN)
def test_private_link_local_multicast_and_reserved_addresses_are_refused(url, nothing_allowed):
    with pytest.raises(FetchError) as caught:
        fetch(url)
    assert caught.value.reason.startswith("blocked")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1:70/", "javascript:1"]
)
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchError):
        fetch(url)


def test_allowed_networks_open_only_what_they_list():
    with override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        assert refusal_reason("127.0.0.1") is None
        assert refusal_reason("::ffff:127.0.0.1") is None
        assert "loopback" in refusal_reason("127.0.0.2")
        assert "loopback" in refusal_reason("::1")
    with override_settings(FETCH_ALLOWED_NETWORKS=[]):
        assert "loopback" in refusal_reason("127.0.0.1")
        assert refusal_reason("93.184.216.34") is None
        assert refusal_reason("2606:4700::1111") is None


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/secret",
        "http://[::1]:{port}/secret",
        "http://2130706434:{port}/secret",
        "http://0x7f.2:{port}/secret",
        "http://10.1.2.3/secret",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_redirect_from_an_allowed_host_to_a_forbidden_one_is_refused(target, httpserver):
    httpserver.expect_request("/start").respond_with_response(
        Response(status=302, headers={"Location": target.format(port=httpserver.port)})
    )
    httpserver.expect_request("/secret").respond_with_data("secret")
    with (
        override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"]),
        pytest.raises(FetchError) as caught,
    ):
        fetch(httpserver.url_for("/start"))
    assert caught.value.reason.startswith("blocked")
    assert [request.path for request, _ in httpserver.log] == ["/start"]


def test_connection_goes_to_the_address_that_was_checked(httpserver, monkeypatch):
    """A rebinding name answers 127.0.0.1 (allowed) the first time and 127.0.0.2 (forbidden)
    after: the fetch must use the first, checked answer and never look the name up again.
    (DNS is the one thing faked here: no rebinding DNS server runs in the test.)"""
    real_getaddrinfo = socket.getaddrinfo
    lookups = []

    def rebinding_getaddrinfo(host, port, *args, **kwargs):
        if host == "rebind.test":
            lookups.append(host)
            address = "127.0.0.1" if len(lookups) == 1 else "127.0.0.2"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    httpserver.expect_request("/r").respond_with_data("<title>ok</title>", content_type="text/html")
    with override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        result = fetch(f"http://rebind.test:{httpserver.port}/r")
    assert result.status == 200
    assert lookups == ["rebind.test"]
    request, _ = httpserver.log[0]
    assert request.headers["Host"] == f"rebind.test:{httpserver.port}"


def test_check_url_returns_the_checked_address():
    with override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        assert check_url("http://127.0.0.1:8000/x") == "127.0.0.1"


@pytest.mark.worker
def test_worker_refuses_a_numeric_loopback_url_and_records_why(worker, httpserver):
    from tests.factories import PageFactory

    page = PageFactory(url=f"http://0x7f.0.0.2:{httpserver.port}/", title="")
    fetch_page.delay(page.pk)
    page = wait_until(
        lambda: Page.objects.exclude(fetch_status="pending").filter(pk=page.pk).first()
    )
    assert page.fetch_status == "failed"
    # a plain reason: which internal address the name resolved to stays in the logs
    assert page.fetch_error == "blocked: the address points inside a private network"
    assert "127.0.0.2" not in page.fetch_error


@pytest.mark.worker
def test_worker_refuses_a_redirect_to_a_forbidden_address(worker, httpserver, page_at):
    httpserver.expect_request("/hop").respond_with_response(
        Response(status=301, headers={"Location": f"http://127.0.0.2:{httpserver.port}/secret"})
    )
    page = page_at("/hop")
    fetch_page.delay(page.pk)
    page = wait_until(
        lambda: Page.objects.exclude(fetch_status="pending").filter(pk=page.pk).first()
    )
    assert page.fetch_status == "failed"
    assert page.fetch_error.startswith("blocked")
    assert [request.path for request, _ in httpserver.log] == ["/hop"]
