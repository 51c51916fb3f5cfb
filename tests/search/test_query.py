"""The query language: what each piece of syntax means, and that bad input never raises."""

from datetime import date

import pytest

from search.query import Term, parse, unparse


def words(clauses):
    return [[t.text for t in clause] for clause in clauses]


def test_words_must_all_match():
    assert words(parse("travail livreurs").clauses) == [["travail"], ["livreurs"]]


def test_words_are_lowercased_and_prefix_from_three_letters():
    parsed = parse("Travail de")
    assert parsed.clauses[0][0] == Term(("travail",))
    assert parsed.clauses[0][0].prefix
    assert not parsed.clauses[1][0].prefix


def test_quoted_phrase_keeps_word_order():
    term = parse('"conditions de travail"').clauses[0][0]
    assert term.phrase and term.words == ("conditions", "de", "travail")


def test_french_quotes_make_a_phrase():
    term = parse("« micro travail »").clauses[0][0]
    assert term.phrase and term.text == "micro travail"


def test_minus_excludes_a_word_or_a_phrase():
    parsed = parse('travail -uber -"food delivery"')
    assert words(parsed.clauses) == [["travail"]]
    assert [t.text for t in parsed.excluded] == ["uber", "food delivery"]


def test_or_joins_neighbours_and_binds_tighter_than_and():
    parsed = parse("travail livreurs OR coursiers")
    assert words(parsed.clauses) == [["travail"], ["livreurs", "coursiers"]]


def test_lowercase_or_is_a_plain_word():
    assert words(parse("travail or emploi").clauses) == [["travail"], ["or"], ["emploi"]]


def test_operators():
    parsed = parse(
        'tag:Gig tag:"mot clé" -tag:spam user:ana site:www.LeMonde.fr type:topic is:unread '
        "has:highlights has:comments after:2018-01-01 before:2019-02-03"
    )
    assert parsed.tags == ["gig", "mot clé"]
    assert parsed.excluded_tags == ["spam"]
    assert parsed.users == ["ana"]
    assert parsed.sites == ["lemonde.fr"]
    assert parsed.types == {"topic"}
    assert parsed.is_unread and parsed.has_highlights and parsed.has_comments
    assert parsed.after == date(2018, 1, 1) and parsed.before == date(2019, 2, 3)
    assert not parsed.clauses


def test_unknown_operator_or_bad_value_degrades_to_words():
    parsed = parse("foo:bar before:yesterday type:video site:/etc/passwd")
    flat = [t.text for clause in parsed.clauses for t in clause]
    assert flat == ["foo", "bar", "before", "yesterday", "type", "video", "site", "etc", "passwd"]
    assert parsed.before is None and not parsed.types and not parsed.sites


def test_site_accepts_a_full_url():
    assert parse("site:https://blog.example.org/path").sites == ["blog.example.org"]


def test_hyphenated_word_is_split_into_its_parts():
    assert words(parse("micro-travaillent").clauses) == [["micro"], ["travaillent"]]


def test_elided_article_is_dropped():
    assert words(parse("l'économie").clauses) == [["économie"]]


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced',
        'a "b c',
        "OR",
        "- OR |",
        "-",
        "tag:",
        "a & | ! :* ')",
        "'; DROP TABLE bookmarks_bookmark; --",
        "x" * 2000,
        "mot " * 1000,
        "\x00\x01 é\u0301",
        "(a | b) & !c:*",
        "«",
        None,
        "",
    ],
)
def test_malformed_input_never_raises(q):
    parsed = parse(q)
    for clause in parsed.clauses:
        for term in clause:
            for word in term.words:
                assert word.replace("_", "").isalnum()


def test_unbalanced_quote_becomes_plain_words():
    assert words(parse('"conditions de travail').clauses) == [
        ["conditions"],
        ["de"],
        ["travail"],
    ]


def test_long_input_is_bounded():
    parsed = parse("mot " * 1000)
    assert len(parsed.clauses) <= 12


def test_decomposed_accent_stays_in_the_word():
    assert words(parse("e\u0301conomie").clauses) == [["économie"]]


def test_unparse_round_trips():
    q = 'travail OR emploi "conditions de travail" -uber tag:gig site:lemonde.fr is:unread'
    assert unparse(parse(unparse(parse(q)))) == unparse(parse(q))


def test_empty_query_is_empty():
    assert parse("   ").is_empty
    assert not parse("tag:x").is_empty


def test_upper_case_and_is_implied_and_not_excludes():
    parsed = parse("travail AND livreurs NOT uber")
    assert words(parsed.clauses) == [["travail"], ["livreurs"]]
    assert [t.text for t in parsed.excluded] == ["uber"]


def test_lower_case_and_not_are_words():
    assert words(parse("rock and roll not").clauses) == [["rock"], ["and"], ["roll"], ["not"]]


def test_not_before_an_operator_negates_it():
    assert parse("travail NOT tag:spam").excluded_tags == ["spam"]


def test_negated_type_keeps_the_other_kind():
    assert parse("réunion -type:bookmark").types == {"topic"}
    assert parse("réunion -type:topics").types == {"bookmark"}


@pytest.mark.parametrize(
    "q", ["-site:lemonde.fr", "-user:ana", "-is:unread", "-has:comments", "-after:2020-01-01"]
)
def test_an_operator_that_cannot_be_negated_is_dropped_not_read_as_excluded_words(q):
    parsed = parse(f"travail {q}")
    assert words(parsed.clauses) == [["travail"]]
    assert parsed.excluded == []  # "-site:lemonde.fr" must not exclude every page with "fr"
    assert not (parsed.sites or parsed.users or parsed.is_unread or parsed.has_comments)


def test_sql_and_tsquery_syntax_degrades_to_its_words():
    parsed = parse("a & !b :* ' ; --")
    assert words(parsed.clauses) == [["a"], ["b"]]
    assert parsed.excluded == []
    parsed = parse("travail' OR 1=1; DROP TABLE x; --")
    assert words(parsed.clauses)[0] == ["travail", "1"]


def test_french_typography_spaces_and_quotes():
    # non-breaking and narrow non-breaking spaces around guillemets, as French editors type
    term = parse("«\u00a0conditions de travail\u202f»").clauses[0][0]
    assert term.phrase and term.text == "conditions de travail"


def test_two_thousand_characters_are_read_up_to_the_limit_without_raising():
    parsed = parse("travail " * 250)
    assert 1 <= len(parsed.clauses) <= 12
    assert parse("é" * 2000).clauses[0][0].words[0] == "é" * 500


def test_operator_values_keep_accents_and_capitals_are_folded():
    parsed = parse("tag:Économie user:Ana site:Blog.LeMonde.fr")
    assert parsed.tags == ["économie"]
    assert parsed.users == ["Ana"]  # matched case-insensitively by the selectors
    assert parsed.sites == ["blog.lemonde.fr"]
