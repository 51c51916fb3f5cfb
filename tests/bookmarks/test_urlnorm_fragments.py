"""Fragments: a place on the page is dropped, a single-page app's route (#/, #!) is kept."""

from hypothesis import given
from hypothesis import strategies as st

from bookmarks.urlnorm import normalize_url, url_key

BASE = "https://app.example.org/"
# what may follow the `#/` or `#!` of a route: path-like text, with anything a user pastes
_route_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=30
)


def test_a_route_fragment_is_kept_and_a_place_on_the_page_is_dropped():
    assert normalize_url(BASE + "#/item/42") == BASE + "#/item/42"
    assert normalize_url(BASE + "#!/item/42") == BASE + "#!/item/42"
    assert normalize_url(BASE + "#top") == BASE
    assert normalize_url(BASE + "#section-2") == BASE
    assert normalize_url(BASE + "#") == BASE


def test_the_root_route_is_the_page_itself():
    for bare in ("#/", "#!", "#!/"):
        assert normalize_url(BASE + bare) == BASE


def test_trackers_are_dropped_before_a_route_fragment():
    assert (
        normalize_url("https://App.example.org/?utm_source=x&b=1#/item/42?tab=2")
        == "https://app.example.org/?b=1#/item/42?tab=2"
    )


@given(_route_text.filter(lambda f: not f.strip().startswith(("/", "!"))))
def test_any_fragment_that_is_not_a_route_is_dropped(fragment):
    assert normalize_url(f"{BASE}a?b=1#{fragment}") == normalize_url(f"{BASE}a?b=1")


@given(st.sampled_from(["/", "!", "!/"]), _route_text.filter(lambda t: t.strip().strip("/")))
def test_routes_are_kept_distinct_and_normalizing_twice_changes_nothing(start, route):
    url = f"{BASE}#{start}{route}"
    once = normalize_url(url)
    assert "#" in once
    assert normalize_url(once) == once
    assert url_key(once) != url_key(normalize_url(BASE))


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_two_routes_are_two_pages_unless_they_are_the_same(a, b):
    first = url_key(normalize_url(f"{BASE}#/item/{a}"))
    second = url_key(normalize_url(f"{BASE}#/item/{b}"))
    assert (first == second) == (a == b)
