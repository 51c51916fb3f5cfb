"""manage.py import_bookmarks FILE --user U [--group G]."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bookmarks.models import Bookmark
from tests.imports.conftest import SAMPLES


def run(*args):
    out = StringIO()
    call_command("import_bookmarks", *args, stdout=out)
    return out.getvalue()


def test_command_imports_into_a_users_library(user):
    out = run(str(SAMPLES / "diigo.csv"), "--user", user.username)
    assert (
        "Diigo CSV: 3 items, 3 new, 0 merged, 0 repaired, 0 skipped, 2 highlights, 2 comments."
        in out
    )
    assert Bookmark.objects.filter(owner=user, group__isnull=True).count() == 3
    again = run(str(SAMPLES / "diigo.csv"), "--user", user.username)
    assert "0 new, 3 merged" in again


def test_command_imports_into_a_group_for_a_member(public_group, member_of):
    member = member_of(public_group)
    out = run(
        str(SAMPLES / "netscape.html"), "--user", member.username, "--group", public_group.slug
    )
    assert "skipped line 14 (Save to Commonplace): not a web address (javascript:)" in out
    assert Bookmark.objects.filter(group=public_group).count() == 4


def test_command_refuses_a_group_the_user_cannot_post_to(user, public_group):
    with pytest.raises(CommandError, match="You cannot post to this group."):
        run(str(SAMPLES / "pinboard.json"), "--user", user.username, "--group", public_group.slug)


def test_strict_command_reports_broken_rows_and_imports_nothing(user):
    with pytest.raises(CommandError) as exc:
        run(str(SAMPLES / "diigo_broken.csv"), "--user", user.username, "--strict")
    assert "Nothing was imported" in str(exc.value)
    assert "line 5: the url is empty" in str(exc.value)
    assert not Bookmark.objects.exists()


def test_command_imports_the_good_rows_and_names_each_skipped_one(user):
    out = run(str(SAMPLES / "diigo_broken.csv"), "--user", user.username)
    assert "skipped line 3: the date '12/03/2019' is not YYYY-MM-DD HH:MM:SS" in out
    assert "skipped line 4: expected 7 fields, found 3" in out
    assert "skipped line 5: the url is empty" in out
    assert "1 new, 0 merged, 0 repaired, 3 skipped" in out
    assert list(Bookmark.objects.values_list("title", flat=True)) == ["Bon"]


def test_command_dry_run_says_what_would_happen_and_writes_nothing(user):
    out = run(str(SAMPLES / "diigo_broken.csv"), "--user", user.username, "--dry-run")
    assert "4 rows: 1 will be imported (0 merge with existing), 0 repaired, 3 skipped" in out
    assert not Bookmark.objects.exists()


def test_command_imports_as_private(user):
    run(str(SAMPLES / "diigo.csv"), "--user", user.username, "--private")
    assert Bookmark.objects.filter(owner=user).count() == 3
    assert not Bookmark.objects.filter(private=False).exists()


def test_command_refuses_private_into_a_group(public_group, member_of):
    member = member_of(public_group)
    with pytest.raises(CommandError, match="Only bookmarks in your own library can be private"):
        run(
            str(SAMPLES / "diigo.csv"),
            "--user",
            member.username,
            "--group",
            public_group.slug,
            "--private",
        )


def test_command_names_what_is_missing(user, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nope.html"), "--user", user.username)
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        run(str(SAMPLES / "diigo.csv"), "--user", "ghost")


def test_command_can_leave_folder_names_out_of_the_tags(user):
    out = run(str(SAMPLES / "netscape_firefox.html"), "--user", user.username, "--no-folder-tags")
    assert "4 new" in out
    tatin = Bookmark.objects.get(owner=user, page__url__contains="tarte-tatin")
    assert tatin.tags == []
    assert not Bookmark.objects.filter(tags__contains=["recettes d’été"]).exists()
