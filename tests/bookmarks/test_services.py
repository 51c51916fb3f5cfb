import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bookmarks import services
from bookmarks.models import Bookmark, BookmarkView, Page
from tests.factories import BookmarkFactory

pytestmark = pytest.mark.django_db


def test_saving_the_same_url_to_the_same_destination_updates_instead_of_adding(user):
    first, created = services.save_bookmark(
        user, "https://example.org/a?utm_source=x", tags="a", description="Mine"
    )
    again, created_again = services.save_bookmark(
        user, "http://EXAMPLE.org/a#top", title="New title", tags="b, c"
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert again.title == "New title"
    assert again.tags == ["a", "b", "c"]  # merged, as import and copy do
    assert again.description == "Mine"  # not written again: kept
    assert Bookmark.objects.count() == 1
    assert Page.objects.count() == 1


def test_one_page_is_shared_by_every_destination(user, other_user, public_group, member_of):
    member = member_of(public_group)
    services.save_bookmark(user, "https://example.org/shared")
    services.save_bookmark(other_user, "https://example.org/shared")
    services.save_bookmark(member, "https://example.org/shared", group=public_group)
    assert Page.objects.count() == 1
    assert Bookmark.objects.count() == 3


def test_non_member_cannot_save_into_a_group(user, public_group):
    with pytest.raises(PermissionDenied):
        services.save_bookmark(user, "https://example.org/x", group=public_group)


def test_invalid_url_is_a_validation_error(user):
    with pytest.raises(ValidationError):
        services.save_bookmark(user, "javascript:alert(1)")
    assert not Page.objects.exists()


def test_over_long_title_is_refused_and_nothing_is_written(user):
    with pytest.raises(ValidationError):
        services.save_bookmark(user, "https://example.org/long", title="x" * 501)
    assert not Bookmark.objects.exists()
    assert not Page.objects.exists()


def test_a_private_bookmark_in_a_group_is_refused_not_published(public_group, member_of):
    member = member_of(public_group)
    with pytest.raises(ValidationError) as refused:
        services.save_bookmark(member, "https://example.org/p", group=public_group, private=True)
    assert "private" in refused.value.message_dict
    assert not Bookmark.objects.exists()


def test_only_the_saver_edits(user, other_user):
    bookmark = BookmarkFactory(owner=user)
    services.update_bookmark(user, bookmark, title="Mine", tags="Économie, travail")
    bookmark.refresh_from_db()
    assert bookmark.title == "Mine"
    assert bookmark.tags == ["économie", "travail"]
    with pytest.raises(PermissionDenied):
        services.update_bookmark(other_user, bookmark, title="Theirs")


def test_moderator_may_delete_a_members_group_bookmark_but_a_member_may_not(
    public_group, member_of
):
    saver = member_of(public_group)
    bookmark = BookmarkFactory(owner=saver, group=public_group)
    with pytest.raises(PermissionDenied):
        services.delete_bookmark(member_of(public_group), bookmark)
    services.delete_bookmark(member_of(public_group, "moderator"), bookmark)
    assert not Bookmark.objects.exists()


def test_copy_into_another_group_merges_tags_when_already_there(public_group, member_of):
    from tests.factories import GroupFactory, MembershipFactory

    user = member_of(public_group)
    other = GroupFactory()
    MembershipFactory(group=other, user=user)
    original, _ = services.save_bookmark(
        user, "https://example.org/c", group=public_group, tags="a, b", title="T"
    )
    services.save_bookmark(user, "https://example.org/c", group=other, tags="z")
    copied, created = services.copy_bookmark(user, original, other)
    assert not created
    assert copied.group == other
    assert copied.tags == ["z", "a", "b"]


def test_copy_into_a_group_i_am_not_in_is_refused(user, public_group):
    bookmark = BookmarkFactory(owner=user)
    with pytest.raises(PermissionDenied):
        services.copy_bookmark(user, bookmark, public_group)


def test_renaming_a_tag_into_an_existing_one_merges_without_duplicates(user, other_user):
    both = BookmarkFactory(owner=user, tags=["travail", "work", "x"])
    only_old = BookmarkFactory(owner=user, tags=["travail"])
    someone_else = BookmarkFactory(owner=other_user, tags=["travail"])
    changed = services.rename_tag(user, "Travail", "work")
    assert changed == 2
    for b in (both, only_old, someone_else):
        b.refresh_from_db()
    assert both.tags == ["work", "x"]
    assert only_old.tags == ["work"]
    assert someone_else.tags == ["travail"]


def test_group_tag_rename_needs_a_moderator(public_group, member_of):
    member = member_of(public_group)
    bookmark = BookmarkFactory(owner=member, group=public_group, tags=["old"])
    with pytest.raises(PermissionDenied):
        services.rename_tag(member, "old", "new", group=public_group)
    moderator = member_of(public_group, "moderator")
    assert services.rename_tag(moderator, "old", "new", group=public_group) == 1
    bookmark.refresh_from_db()
    assert bookmark.tags == ["new"]


def test_a_view_counts_once_per_viewer_per_day_and_never_for_the_saver(user, other_user):
    bookmark = BookmarkFactory(owner=user)
    assert services.record_view(bookmark, f"u:{other_user.pk}", viewer=other_user)
    assert not services.record_view(bookmark, f"u:{other_user.pk}", viewer=other_user)
    assert not services.record_view(bookmark, f"u:{user.pk}", viewer=user)
    assert services.record_view(bookmark, "s:anonymous-session")
    bookmark.refresh_from_db()
    assert bookmark.view_count == 2
    assert BookmarkView.objects.count() == 2
