from hypothesis import given
from hypothesis import strategies as st

from bookmarks.urlnorm import InvalidURL, normalize_url, url_key


def test_tracking_parameters_fragment_case_and_default_port_are_dropped():
    assert (
        normalize_url("HTTPS://Example.ORG:443/a/b?utm_source=x&b=2&a=1&fbclid=y#part")
        == "https://example.org/a/b?a=1&b=2"
    )


def test_http_and_https_are_the_same_page():
    assert url_key(normalize_url("http://example.org/x")) == url_key(
        normalize_url("https://example.org/x")
    )


def test_non_http_schemes_are_refused():
    for bad in ["javascript:alert(1)", "ftp://example.org/", "", "http://", "http://exa mple.org/"]:
        try:
            normalize_url(bad)
        except InvalidURL:
            continue
        raise AssertionError(f"{bad!r} was accepted")


@given(
    host=st.from_regex(r"[a-zA-Z][a-zA-Z0-9-]{0,20}\.(org|fr|com)", fullmatch=True),
    path=st.text(max_size=30),
    query=st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=4),
)
def test_normalizing_twice_changes_nothing(host, path, query):
    from urllib.parse import quote, urlencode

    url = f"https://{host}/{quote(path)}?{urlencode(query)}"
    once = normalize_url(url)
    assert normalize_url(once) == once
