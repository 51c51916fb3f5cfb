"""Applying a parsed file to a library: merge, dates, annotations, permissions, all or nothing."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied

from annotations.models import Comment, Highlight
from bookmarks.models import Bookmark, Page
from tests.factories import BookmarkFactory, PageFactory
from transfer import importers
from transfer.importers import ImportFileError
from transfer.services import import_items


def run(user, data, **kwargs):
    parsed = importers.parse(data)
    return import_items(user, parsed.items, skipped=parsed.skipped, **kwargs)


def snapshot(user, group=None):
    """Everything a user would notice in a library, to compare before/after."""
    return [
        (
            b.page.url,
            b.title,
            b.description,
            b.tags,
            b.created_at,
            b.updated_at,
            b.private,
            b.unread,
            sorted((h.exact, h.note) for h in b.highlights.all()),
            sorted(c.body for c in b.comments.all()),
        )
        for b in Bookmark.objects.filter(owner=user, group=group)
        .select_related("page")
        .prefetch_related("highlights", "comments")
        .order_by("page__url")
    ]


def test_netscape_import_keeps_original_dates_and_merges_duplicates(user, sample):
    outcome = run(user, sample("netscape.html"))
    assert outcome.created == 4
    assert outcome.merged == 1  # the same Le Monde URL twice (tracking parameter, case)
    assert len(outcome.skipped) == 2
    article = Bookmark.objects.get(owner=user, page__url__contains="lemonde")
    assert article.page.url.startswith("https://www.lemonde.fr/economie/")
    assert "utm_source" not in article.page.url
    assert article.tags == ["travail", "économie numérique", "clic"]
    # the earliest save date of the two wins, LAST_MODIFIED is kept too
    assert article.created_at == datetime(2019, 3, 7, 23, 6, 40, tzinfo=UTC)
    assert article.updated_at == datetime(2019, 3, 13, 10, 0, tzinfo=UTC)
    plateformes = Bookmark.objects.get(owner=user, page__url="https://example.org/plateformes")
    assert plateformes.private and plateformes.unread
    assert plateformes.tags == ["plateformes gig-economy", "travail & société"]


def test_importing_the_same_file_twice_changes_nothing(user, sample):
    for name in ("netscape.html", "diigo.csv", "pinboard.json"):
        run(user, sample(name))
    before = snapshot(user)
    counts = (Page.objects.count(), Highlight.objects.count(), Comment.objects.count())
    for name in ("netscape.html", "diigo.csv", "pinboard.json"):
        outcome = run(user, sample(name))
        assert outcome.created == 0
        assert outcome.highlights == 0 and outcome.comments == 0
    assert snapshot(user) == before
    assert (Page.objects.count(), Highlight.objects.count(), Comment.objects.count()) == counts


def test_diigo_import_creates_highlights_with_notes_and_comments(user, sample):
    outcome = run(user, sample("diigo.csv"))
    assert (outcome.created, outcome.highlights, outcome.comments) == (3, 2, 2)
    article = Bookmark.objects.get(owner=user, page__url__contains="lemonde")
    highlights = list(article.highlights.order_by("id"))
    assert [h.exact for h in highlights] == [
        "Ils micro-travaillent pour quelques centimes",
        "Des tâches « invisibles »\nqui nourrissent l'IA",
    ]
    assert highlights[0].note == "Chiffre à vérifier, source ?"
    assert all(h.author == user and h.anchor_status == "pending" for h in highlights)
    assert sorted(c.body for c in article.comments.all()) == [
        "Très bon papier.",
        "À partager avec l'équipe",
    ]
    assert article.created_at == datetime(2019, 3, 12, 10, 0, tzinfo=UTC)


def test_import_merges_into_a_bookmark_already_in_the_library(user, sample):
    page = PageFactory(url="https://example.org/plateformes")
    existing = BookmarkFactory(
        owner=user, page=page, title="Mon titre", tags=["à lire"], private=False
    )
    outcome = run(user, sample("pinboard.json"))
    assert (outcome.created, outcome.merged) == (1, 1)
    existing.refresh_from_db()
    assert existing.title == "Mon titre"  # what I wrote stays
    assert existing.tags == ["à lire"]
    assert existing.created_at == datetime(2010, 1, 1, tzinfo=UTC)  # the older, original date
    assert Bookmark.objects.filter(owner=user).count() == 2


def test_a_url_someone_else_saved_shares_the_page_but_not_the_bookmark(user, other_user, sample):
    page = PageFactory(url="https://example.org/plateformes")
    BookmarkFactory(owner=other_user, page=page, tags=["theirs"])
    run(user, sample("pinboard.json"))
    mine = Bookmark.objects.get(owner=user, page=page)
    assert mine.tags == []
    assert Page.objects.filter(url="https://example.org/plateformes").count() == 1


def test_import_into_a_group_needs_the_right_to_post(user, public_group, sample):
    with pytest.raises(PermissionDenied):
        run(user, sample("pinboard.json"), group=public_group)
    assert not Bookmark.objects.exists()


def test_group_members_import_into_the_group_and_nothing_is_private(
    member_of, public_group, sample
):
    member = member_of(public_group)
    outcome = run(member, sample("pinboard.json"), group=public_group)
    assert outcome.created == 2
    assert not Bookmark.objects.filter(group=public_group, private=True).exists()
    assert not Bookmark.objects.filter(group__isnull=True).exists()


def test_a_bad_address_is_skipped_with_its_line(user, sample):
    data = sample("netscape_broken.html").replace(b'ADD_DATE="hier"', b'ADD_DATE="1552384800"')
    outcome = run(user, data)
    assert [where for where, _reason in outcome.skipped if where.startswith("line 7")] == ["line 7"]
    assert outcome.created == Bookmark.objects.count() > 0


def test_strict_mode_refuses_the_whole_file_for_a_bad_address(user, sample):
    data = sample("netscape_broken.html").replace(b'ADD_DATE="hier"', b'ADD_DATE="1552384800"')
    with pytest.raises(ImportFileError) as exc:
        run(user, data, strict=True)
    assert exc.value.errors[0].startswith("line 7: ")
    assert not Bookmark.objects.exists()
    assert not Page.objects.exists()


def test_a_failure_midway_rolls_back_every_batch(user, monkeypatch):
    from transfer import services as import_service

    monkeypatch.setattr(import_service, "BATCH_SIZE", 2)
    items = [importers.ImportItem(url=f"https://example.org/{n}", where=f"#{n}") for n in range(5)]

    def explode(done, total):
        if done >= 4:
            raise RuntimeError("worker lost")

    with pytest.raises(RuntimeError):
        import_items(user, items, progress=explode)
    assert not Bookmark.objects.exists()


def test_progress_is_reported_per_batch(user, monkeypatch):
    from transfer import services as import_service

    monkeypatch.setattr(import_service, "BATCH_SIZE", 2)
    items = [importers.ImportItem(url=f"https://example.org/{n}", where=f"#{n}") for n in range(5)]
    calls = []
    import_items(user, items, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(2, 5), (4, 5), (5, 5)]


def test_too_many_tags_are_cut_with_a_note(user):
    item = importers.ImportItem(
        url="https://example.org/t", where="line 1", tags=[f"t{n}" for n in range(60)]
    )
    outcome = import_items(user, [item])
    assert len(Bookmark.objects.get(owner=user).tags) == 50
    assert outcome.notes == [("line 1", "only the first 50 tags kept")]


def test_imported_bookmarks_are_searchable_by_their_highlights_and_notes(user, sample):
    from search.selectors import filter_by_keyword

    run(user, sample("diigo.csv"))
    found = filter_by_keyword(Bookmark.objects.filter(owner=user), "centimes")
    assert [b.title for b in found] == ["Les « micro-travailleurs » du clic, nouveaux prolétaires"]
    by_note = filter_by_keyword(Bookmark.objects.filter(owner=user), "vérifier")
    assert by_note.count() == 1
    assert not Bookmark.objects.filter(search_vector__isnull=True).exists()


def test_highlights_merged_into_an_existing_bookmark_are_searchable(user, sample):
    from search.selectors import filter_by_keyword

    page = PageFactory(
        url="https://www.lemonde.fr/economie/article/2019/03/12/les-micro-travailleurs.html"
    )
    BookmarkFactory(owner=user, page=page, title="Déjà là")
    run(user, sample("diigo.csv"))
    found = filter_by_keyword(Bookmark.objects.filter(owner=user), "centimes")
    assert [b.title for b in found] == ["Déjà là"]


def test_tags_are_united_with_a_bookmark_already_in_the_library(user, sample):
    page = PageFactory(
        url="https://www.lemonde.fr/economie/article/2019/03/12/les-micro-travailleurs.html"
    )
    existing = BookmarkFactory(owner=user, page=page, title="Déjà là", tags=["à lire", "travail"])
    outcome = run(user, sample("netscape_pinboard.html"))
    assert (outcome.created, outcome.merged, outcome.unchanged) == (2, 1, 0)
    existing.refresh_from_db()
    assert existing.tags == ["à lire", "travail", "économie", "clic"]  # nothing twice
    assert existing.title == "Déjà là"
    assert existing.description.startswith("Enquête : ils « micro-travaillent »")  # was empty
    assert existing.created_at == datetime(2019, 3, 12, 10, 0, tzinfo=UTC)
    assert Bookmark.objects.filter(owner=user, page=page).count() == 1


def test_firefox_folders_become_tags_and_its_dates_are_kept(user, sample):
    outcome = run(user, sample("netscape_firefox.html"))
    assert (outcome.created, len(outcome.skipped)) == (4, 1)
    ratatouille = Bookmark.objects.get(owner=user, page__url__contains="ratatouille")
    assert ratatouille.page.url == "https://cuisine.example.fr/recettes/ratatouille?source=menu"
    assert ratatouille.tags == ["cuisine", "légumes", "été", "recettes d’été"]
    assert ratatouille.created_at == datetime(2019, 7, 1, tzinfo=UTC)
    assert ratatouille.updated_at == datetime(2019, 7, 2, tzinfo=UTC)
    assert not Bookmark.objects.filter(tags__overlap=["barre personnelle", "autres marque-pages"])


def test_imported_spam_comments_and_notes_wait_for_a_moderator_and_are_not_searchable(user):
    from annotations.models import Comment, Highlight
    from search.selectors import filter_by_keyword

    spam = "Gagnez au casino en ligne http://casino-bonus.xyz http://pills.top cliquez ici"
    item = importers.ImportItem(
        url="https://example.org/spam",
        where="line 2",
        title="Un article",
        comments=[spam, "Très bon article sur le travail"],
        highlights=[
            importers.ImportHighlight(exact="un passage", note=spam),
            importers.ImportHighlight(exact="autre passage", note="à relire"),
        ],
    )
    import_items(user, [item])
    assert dict(Comment.objects.values_list("body", "status")) == {
        spam: "held",
        "Très bon article sur le travail": "visible",
    }
    assert dict(Highlight.objects.values_list("exact", "status")) == {
        "un passage": "held",
        "autre passage": "visible",
    }
    assert not filter_by_keyword(Bookmark.objects.all(), "casino").exists()
    assert filter_by_keyword(Bookmark.objects.all(), "relire").exists()


def test_imported_sticky_notes_show_on_the_bookmark_page(user, client, sample):
    """A note comes in with its HTML, as a note typed in the reader does: the bookmark page
    shows it (plain and markdown notes alike), escaped."""
    csv_text = (
        "title,url,tags,description,comments,annotations,created_at\n"
        'Essai,https://example.org/notes,a,,,"Highlight:Premier passage\n'
        "Sticky notes:Chiffre à vérifier, source ?\n"
        "Highlight:Second passage\n"
        'Sticky notes:*à relire* <script>x</script>",2019/03/12 10:00:00 +0000\n'
    )
    run(user, csv_text.encode())
    bookmark = Bookmark.objects.get(owner=user, page__url="https://example.org/notes")
    client.force_login(user)
    page = client.get(f"/b/{bookmark.pk}/").content.decode()
    assert "<p>Chiffre à vérifier, source ?</p>" in page
    assert "<em>à relire</em>" in page
    assert "<script>x</script>" not in page
