"""{{ text|marked:q }}: the query's words marked in a title the database did not mark."""

import pytest

from search.templatetags.search_tags import marked


@pytest.mark.parametrize(
    ("text", "q", "expected"),
    [
        ("Réunion sur le travail", "travail", "Réunion sur le <mark>travail</mark>"),
        ("Les travailleurs", "TRAVAIL", "Les <mark>travailleurs</mark>"),
        ("Ils micro-travaillent", "travail", "Ils micro-<mark>travaillent</mark>"),
        ("L’économie", "economie", "L’<mark>économie</mark>"),
        ("L'ECONOMIE", "l'économie", "L&#x27;<mark>ECONOMIE</mark>"),
        ("Le cœur", "coeur", "Le <mark>cœur</mark>"),
        ("de la dette", "de", "<mark>de</mark> la dette"),  # two letters: whole word only
        ("dessert", "de", "dessert"),
        (
            '"conditions de travail"',
            '"conditions de travail"',
            "&quot;<mark>conditions</mark> <mark>de</mark> <mark>travail</mark>&quot;",
        ),
        ("travail -uber", "-uber", "travail -uber"),  # excluded words are not marked
        ("<b>travail</b> & co", "travail", "&lt;b&gt;<mark>travail</mark>&lt;/b&gt; &amp; co"),
        ("<script>", "", "&lt;script&gt;"),
        ("", "travail", ""),
        (None, "travail", ""),
    ],
)
def test_marked(text, q, expected):
    assert marked(text, q) == expected
