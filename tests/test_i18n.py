"""The interface reads in French for a French reader, and the French catalogue is complete."""

import ast
import gettext
import io
import json
import re
import tokenize
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    UserFactory,
)

PO_FILE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]")


@pytest.fixture
def french(client):
    """A client whose browser asks for French (the language switch sets the same cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return client


@pytest.fixture
def library(db):
    """A public group with a member and a few annotated bookmarks."""
    group = GroupFactory(name="Veille numérique", visibility="public")
    member = MembershipFactory(group=group, role="member").user
    bookmarks = [BookmarkFactory(group=group, owner=member, tags=["travail"]) for _ in range(3)]
    HighlightFactory(bookmark=bookmarks[0])
    CommentFactory(bookmark=bookmarks[0], author=member)
    return group, member, bookmarks


def test_language_switch_turns_the_interface_french(client, db):
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get("/").text
    assert 'lang="fr"' in page
    assert "Groupes publics" in page
    assert "Public groups" not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Public groups" in client.get("/").text


def test_home_page_speaks_french(french, db):
    user = UserFactory()
    french.force_login(user)
    page = french.get("/").text
    for phrase in ("Mes groupes", "Créer un groupe", "Enregistrer une page", "Se déconnecter"):
        assert phrase in page
    for english in ("My groups", "Create a group", "Save a page", "Log out"):
        assert english not in page


def test_group_library_speaks_french(french, library):
    group, member, _bookmarks = library
    french.force_login(member)
    page = french.get(f"/g/{group.slug}/").text
    for phrase in (
        "Trier par :",
        "Pertinence",
        "Filtrer :",
        "Signets",
        "Sujets",
        "Simple",
        "Moyen",
        "Complet",
        "Enregistrer une page ici",
        "Groupe public",
        "Affichage de 20 éléments par page",
        "Rechercher dans cette bibliothèque",
        "1 surlignage",
        "1 commentaire",
    ):
        assert phrase in page, phrase
    for english in (
        "Sort By:",
        "Filter:",
        "Bookmarks",
        "Middle",
        "Showing 20 items per page",
        "Save a page here",
        "Public group",
    ):
        assert english not in page, english


def test_group_library_pager_and_plurals_speak_french(french, db):
    group = GroupFactory(visibility="public")
    member = MembershipFactory(group=group).user
    bookmark = BookmarkFactory(group=group, owner=member)
    for _ in range(2):
        HighlightFactory(bookmark=bookmark)
        CommentFactory(bookmark=bookmark, author=member)
    BookmarkFactory.create_batch(21, group=group, owner=member)
    french.force_login(member)
    page = french.get(f"/g/{group.slug}/", {"page": 2}).text
    assert "Première" in page
    assert "Précédente" in page
    assert "First" not in page
    page = french.get(f"/g/{group.slug}/").text
    assert "Suivant ›" in page
    assert "Dernière" in page
    assert "Affichage de 20 éléments par page" in page


def test_save_form_speaks_french(french, db):
    french.force_login(UserFactory())
    page = french.get("/save").text
    for phrase in ("Enregistrer une page", "Adresse (URL)", "Titre", "Enregistrer dans"):
        assert phrase in page, phrase
    assert "Ma bibliothèque" in page
    assert "Address (URL)" not in page
    assert "Save to" not in page


def test_save_form_errors_speak_french(french, db):
    french.force_login(UserFactory())
    page = french.post("/save", {"url": "javascript:alert(1)", "destination": "me"}).text
    assert "Seules les URL http et https peuvent être enregistrées." in page
    assert "Only http and https" not in page


def test_login_page_speaks_french(french, db):
    page = french.get("/accounts/login/").text
    for phrase in ("Se connecter", "Nom d’utilisateur", "Mot de passe", "Mot de passe oublié"):
        assert phrase in page, phrase
    assert "Forgot your password?" not in page
    assert "Username" not in page


def test_bookmark_page_speaks_french(french, library):
    _group, member, bookmarks = library
    french.force_login(member)
    page = french.get(f"/b/{bookmarks[0].pk}/").text
    for phrase in ("Surlignages et notes", "Commentaires", "Ajouter un commentaire", "Modifier"):
        assert phrase in page, phrase
    for english in ("Highlights and notes", "Add a comment", "Post comment"):
        assert english not in page, english


def test_anonymous_visitor_gets_french_from_the_browser_language(client, library):
    group, _member, _bookmarks = library
    page = client.get(f"/g/{group.slug}/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").text
    assert "Trier par :" in page
    assert "Se connecter" in page


# --- the catalogue ------------------------------------------------------------------------


def parse_po(text):
    """The entries of a .po file: dicts with msgctxt, msgid, msgid_plural, msgstr (list), flags."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and not entry["obsolete"]:
            entries.append(entry)

    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#~"):
            if entry is None or field is not None:
                finish()
                entry, field = _new_entry(), None
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            if entry is not None and field is not None:
                finish()
                entry, field = None, None
            entry = entry or _new_entry()
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            if entry is not None and field is not None:
                finish()
                entry, field = None, None
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            value = ast.literal_eval(line)
            if field.startswith("msgstr"):
                entry["msgstr"][-1] += value
            else:
                entry[field] += value
            continue
        starts_entry = keyword == "msgctxt" or (keyword == "msgid" and field != "msgctxt")
        if starts_entry and entry is not None and field is not None:
            finish()
            entry = None
        entry = entry or _new_entry()
        value = ast.literal_eval(rest)
        if keyword.startswith("msgstr"):
            entry["msgstr"].append(value)
            field = "msgstr"
        else:
            entry[keyword] = value
            field = keyword
    finish()
    return entries


def _new_entry():
    return {
        "msgctxt": None,
        "msgid": "",
        "msgid_plural": None,
        "msgstr": [],
        "flags": set(),
        "obsolete": False,
    }


def _label(entry):
    context = f"[{entry['msgctxt']}] " if entry["msgctxt"] else ""
    return context + repr(entry["msgid"])


def test_french_catalogue_parses_and_has_a_header():
    entries = parse_po(PO_FILE.read_text(encoding="utf-8"))
    header = next(e for e in entries if e["msgid"] == "")
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header["msgstr"][0]
    assert len(entries) > 500


def test_every_french_entry_is_translated_and_not_fuzzy():
    entries = [e for e in parse_po(PO_FILE.read_text(encoding="utf-8")) if e["msgid"]]
    problems = []
    for entry in entries:
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {_label(entry)}")
        elif not entry["msgstr"] or not all(entry["msgstr"]):
            problems.append(f"untranslated: {_label(entry)}")
        elif entry["msgid_plural"] is not None and len(entry["msgstr"]) != 2:
            problems.append(f"needs msgstr[0] and msgstr[1]: {_label(entry)}")
    assert not problems, (
        f"{len(problems)} entries of {PO_FILE} need a French translation "
        "(translate them, then `make messages`):\n" + "\n".join(problems)
    )


def test_french_translations_keep_every_placeholder():
    entries = [e for e in parse_po(PO_FILE.read_text(encoding="utf-8")) if e["msgid"]]
    problems = []
    for entry in entries:
        if "python-format" not in entry["flags"]:
            continue
        for index, msgstr in enumerate(entry["msgstr"]):
            source = entry["msgid"] if index == 0 else entry["msgid_plural"]
            if set(PLACEHOLDER.findall(msgstr)) != set(PLACEHOLDER.findall(source)):
                problems.append(f"{_label(entry)} → {msgstr!r}")
    assert not problems, "placeholders changed in translation:\n" + "\n".join(problems)


def test_compiled_catalogue_matches_the_po():
    mo = PO_FILE.with_suffix(".mo")
    assert mo.exists(), "run `make messages` and commit locale/fr/LC_MESSAGES/django.mo"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in parse_po(PO_FILE.read_text(encoding="utf-8")):
        if not entry["msgid"] or "fuzzy" in entry["flags"]:
            continue
        if entry["msgid_plural"] is not None:
            got = (
                compiled.npgettext(entry["msgctxt"], entry["msgid"], entry["msgid_plural"], 1)
                if entry["msgctxt"]
                else compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            )
        elif entry["msgctxt"]:
            got = compiled.pgettext(entry["msgctxt"], entry["msgid"])
        else:
            got = compiled.gettext(entry["msgid"])
        if got != entry["msgstr"][0]:
            stale.append(_label(entry))
    assert not stale, "django.mo is stale, run `make messages`:\n" + "\n".join(stale)


# msgid position (context, message) of each translation function's arguments
GETTEXT_FUNCTIONS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
SKIPPED_DIRS = {".venv", "var", "node_modules", "migrations", "tests", "commonplace.egg-info"}


def _messages_in_python(source):
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = getattr(func, "id", None) or getattr(func, "attr", None)
        if name not in GETTEXT_FUNCTIONS:
            continue
        context_at, message_at = GETTEXT_FUNCTIONS[name]
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        if len(args) > message_at and isinstance(args[message_at], str):
            yield (args[context_at] if context_at is not None else None, args[message_at])


def _messages_in_template(source, origin):
    """What makemessages extracts, without gettext: Django's templatize turns {% translate %}
    and {% blocktranslate %} into gettext(...) calls, one per line."""
    from django.utils.translation.template import templatize

    for line in templatize(source, origin=origin).splitlines():
        line = line.strip()
        if "gettext(" not in line:
            continue
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(line).readline))
        except (tokenize.TokenError, SyntaxError):
            continue
        for i, token in enumerate(tokens[:-1]):
            if token.string not in GETTEXT_FUNCTIONS or tokens[i + 1].string != "(":
                continue
            args, depth = [], 0
            for arg in tokens[i + 2 :]:
                if arg.string == ")" and depth == 0:
                    break
                depth += {"(": 1, ")": -1}.get(arg.string, 0)
                if depth == 0 and arg.string != ",":
                    is_str = arg.type == tokenize.STRING
                    args.append(ast.literal_eval(arg.string) if is_str else None)
            context_at, message_at = GETTEXT_FUNCTIONS[token.string]
            if len(args) > message_at and isinstance(args[message_at], str):
                yield (args[context_at] if context_at is not None else None, args[message_at])


def _source_messages():
    root = Path(settings.BASE_DIR)
    found = {}
    for path in root.rglob("*.py"):
        if SKIPPED_DIRS.intersection(path.relative_to(root).parts):
            continue
        for message in _messages_in_python(path.read_text(encoding="utf-8")):
            found.setdefault(message, str(path.relative_to(root)))
    for path in (root / "templates").rglob("*"):
        if path.suffix not in (".html", ".txt"):
            continue
        source = path.read_text(encoding="utf-8")
        for message in _messages_in_template(source, str(path)):
            found.setdefault(message, str(path.relative_to(root)))
    return found


def test_every_translatable_string_in_the_code_is_in_the_french_catalogue():
    catalogue = {
        (e["msgctxt"], e["msgid"])
        for e in parse_po(PO_FILE.read_text(encoding="utf-8"))
        if "fuzzy" not in e["flags"] and e["msgstr"] and all(e["msgstr"])
    }
    missing = sorted(
        f"{where}: {message!r}" + (f" (context {context!r})" if context else "")
        for (context, message), where in _source_messages().items()
        if message and (context, message) not in catalogue
    )
    assert not missing, (
        f"{len(missing)} translatable strings have no French translation: run `make messages`, "
        f"translate them in {PO_FILE.relative_to(settings.BASE_DIR)}, run it again and commit "
        "the .po and .mo:\n" + "\n".join(missing)
    )


def test_catalogue_parser_spots_untranslated_and_fuzzy_entries():
    text = (
        'msgid ""\nmsgstr "Language: fr\\n"\n\n'
        'msgid "Done"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)s item"\nmsgid_plural "%(n)s items"\n'
        'msgstr[0] "%(n)s élément"\nmsgstr[1] "%(n)s éléments"\n\n'
        'msgctxt "kind"\nmsgid "Highlight"\nmsgstr ""\n"Surli"\n"gnage"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n'
    )
    entries = {e["msgid"]: e for e in parse_po(text)}
    assert set(entries) == {"", "Done", "%(n)s item", "Highlight"}
    assert entries["Done"]["msgstr"] == [""]
    assert "fuzzy" in entries["%(n)s item"]["flags"]
    assert entries["%(n)s item"]["msgstr"] == ["%(n)s élément", "%(n)s éléments"]
    assert entries["Highlight"]["msgctxt"] == "kind"
    assert entries["Highlight"]["msgstr"] == ["Surlignage"]


def test_export_page_names_the_formats_in_french(french, library):
    _group, member, _bookmarks = library
    french.force_login(member)
    page = french.get("/export/").text
    assert "Export et flux" in page
    assert "CSV Diigo" in page
    assert "JSON (tout)" in page
    assert "JSON (everything)" not in page


def test_string_extraction_sees_templates_and_python():
    template = (
        '{% load i18n %}<h1>{% translate "Save a page" %}</h1>'
        '{% translate "Highlight" context "kind of item" %}\n'
        "{% blocktranslate count n=total %}{{ n }} item{% plural %}{{ n }} items"
        "{% endblocktranslate %}"
    )
    assert set(_messages_in_template(template, "t.html")) == {
        (None, "Save a page"),
        ("kind of item", "Highlight"),
        (None, "%(n)s item"),
    }
    python = 'x = _("Saved.")\ny = ngettext("%(n)s view", "%(n)s views", n)\nz = _(name)\n'
    assert set(_messages_in_python(python)) == {(None, "Saved."), (None, "%(n)s view")}
    assert len(_source_messages()) > 500


# --- JavaScript: Django's JavaScript catalog (/jsi18n/, locale/fr/LC_MESSAGES/djangojs.po) ---

JS_PO_FILE = PO_FILE.with_name("djangojs.po")
JS_DIR = Path(settings.BASE_DIR) / "static" / "js"
_JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\\\"'])//[^\n]*", re.S)
_JS_STRING = re.compile(r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`")
_JS_GETTEXT_BEFORE = re.compile(
    r"(?:\b(?:gettext|pgettext)\(\s*(?:\"[^\"]*\",\s*)?|\bn(?:p)?gettext\(\s*(?:\"[^\"]*\",\s*){0,2})$"
)
# a sentence or label a person reads: a capital, then words with spaces ("Error 404" too)
_JS_SENTENCE = re.compile(r"^[A-ZÀ-Ý][\w’'-]*(?: +\S+)+")


def _js_literals(source):
    """(text before, literal without quotes) for each string literal outside comments."""
    code = _JS_COMMENT.sub(lambda m: " " * len(m.group()), source)
    for match in _JS_STRING.finditer(code):
        yield code[max(0, match.start() - 80) : match.start()], match.group()[1:-1]


def _js_messages(source):
    return {text for before, text in _js_literals(source) if _JS_GETTEXT_BEFORE.search(before)}


def _js_files():
    return sorted(JS_DIR.glob("*.js"))


def test_every_javascript_catalogue_entry_is_translated():
    entries = [e for e in parse_po(JS_PO_FILE.read_text(encoding="utf-8")) if e["msgid"]]
    assert entries, f"{JS_PO_FILE} has no entries"
    problems = [
        _label(e)
        for e in entries
        if "fuzzy" in e["flags"] or not e["msgstr"] or not all(e["msgstr"])
    ]
    assert not problems, f"untranslated in {JS_PO_FILE.name}:\n" + "\n".join(problems)
    mo = JS_PO_FILE.with_suffix(".mo")
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [_label(e) for e in entries if compiled.gettext(e["msgid"]) != e["msgstr"][0]]
    assert not stale, "djangojs.mo is stale: run compilemessages -l fr:\n" + "\n".join(stale)


def test_javascript_shows_no_sentence_without_gettext():
    bare = [
        f"{path.name}: {text!r}"
        for path in _js_files()
        if path.name != "bookmarklet.js"  # runs on other sites, where /jsi18n/ is not loaded
        for before, text in _js_literals(path.read_text(encoding="utf-8"))
        if _JS_SENTENCE.match(text) and not _JS_GETTEXT_BEFORE.search(before)
    ]
    assert not bare, "user-visible JavaScript strings must go through gettext():\n" + "\n".join(
        bare
    )


def test_every_javascript_gettext_string_has_a_french_translation():
    catalogue = {
        e["msgid"] for e in parse_po(JS_PO_FILE.read_text(encoding="utf-8")) if all(e["msgstr"])
    }
    missing = [
        f"{path.name}: {message!r}"
        for path in _js_files()
        for message in _js_messages(path.read_text(encoding="utf-8"))
        if message not in catalogue
    ]
    assert not missing, f"add these to {JS_PO_FILE.name}:\n" + "\n".join(missing)


def test_javascript_string_checks_see_bare_and_translated_strings():
    source = (
        '// say("A comment, not code.")\n'
        'say("Select a passage first.");\n'
        "say(gettext('Highlighted.'));\n"
        'n(ngettext("One item", "Many items", 2));\n'
        "say(`Error ${status}`);\n"
        'fetch(url, { headers: { "Content-Type": "application/json" } });\n'
    )
    literals = dict((text, before) for before, text in _js_literals(source))
    bare = {
        t for t, b in literals.items() if _JS_SENTENCE.match(t) and not _JS_GETTEXT_BEFORE.search(b)
    }
    assert bare == {"Select a passage first.", "Error ${status}"}
    assert _js_messages(source) == {"Highlighted.", "One item", "Many items"}


def test_the_javascript_catalogue_is_served_in_french_and_every_page_loads_it(french, db):
    page = french.get("/").text
    assert '/jsi18n/?lang=fr"' in page
    catalogue = french.get("/jsi18n/?lang=fr")
    assert catalogue.status_code == 200
    # the catalogue is JSON in JavaScript: non-ASCII letters come \u-escaped
    assert json.dumps("Sélectionnez d’abord un passage du texte.") in catalogue.content.decode()


def test_a_403_page_speaks_french(french, db):
    group = GroupFactory(visibility="public")
    french.force_login(MembershipFactory(group=group).user)
    response = french.get(f"/g/{group.slug}/moderation/log/")
    assert response.status_code == 403
    for phrase in ("Action impossible", "Aller à l’accueil"):
        assert phrase in response.text, phrase
    for english in ("You cannot do this", "not allowed", "moderators"):
        assert english not in response.text, english
