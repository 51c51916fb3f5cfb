"""The Django admin covers every model of every app, and its pages open for a superuser."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    UserFactory,
)

OUR_APPS = ["accounts", "groups", "bookmarks", "annotations"]
OUR_MODELS = [m for app in OUR_APPS for m in apps.get_app_config(app).get_models()]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client_with_data(client, db):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    group = GroupFactory(name="Tic&Travail")
    MembershipFactory(group=group, user=superuser, role="owner")
    bookmark = BookmarkFactory(group=group, owner=superuser, tags=["travail"])
    comment = CommentFactory(bookmark=bookmark, status="held", body="casino bonus")
    HighlightFactory(bookmark=bookmark)
    _one_row_of_every_other_model(superuser, group, bookmark, comment)
    client.force_login(superuser)
    return client


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
def test_every_model_is_in_the_admin(model):
    assert admin.site.is_registered(model)


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
def test_admin_list_search_and_add_pages_open(admin_client_with_data, model):
    client = admin_client_with_data
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "changelist"), {"q": "travail"}).status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(_request_for(client)):
        assert client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
def test_admin_change_page_opens_for_an_existing_row(admin_client_with_data, model):
    obj = model.objects.first()
    if obj is None:
        pytest.skip(f"no {model._meta.label} row in the fixture")
    response = admin_client_with_data.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


def test_held_spam_comment_is_found_by_the_status_filter(admin_client_with_data):
    from annotations.models import Comment

    response = admin_client_with_data.get(admin_url(Comment, "changelist"), {"status": "held"})
    assert "casino bonus" in response.text


def _request_for(client):
    from django.test import RequestFactory

    from accounts.models import User

    request = RequestFactory().get("/")
    request.user = User.objects.get(is_superuser=True)
    return request


def _one_row_of_every_other_model(user, group, bookmark, comment):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import SignupInvitation
    from annotations.models import Flag, ModerationLog
    from bookmarks.models import BookmarkView
    from groups.models import Ban, Invitation, JoinRequest, Topic
    from transfer.models import ImportJob

    other = UserFactory()
    SignupInvitation.objects.create(code="welcome-travail", created_by=user)
    JoinRequest.objects.create(group=group, user=other, message="Bonjour, travail ?")
    Invitation.objects.create(
        group=group, token="tok", created_by=user, expires_at=timezone.now() + timedelta(days=7)
    )
    Ban.objects.create(group=group, user=UserFactory(), banned_by=user, reason="spam")
    Topic.objects.create(group=group, author=user, title="Le travail", body="On en parle ?")
    BookmarkView.objects.create(bookmark=bookmark, viewer_key="u1", day=timezone.localdate())
    ImportJob.objects.create(owner=user, filename="travail.html", data=b"<DL></DL>")
    Flag.objects.create(group=group, comment=comment, flagged_by=user, reason="spam")
    ModerationLog.objects.create(
        group=group, actor=user, action="hold", target_type="comment", target_repr="casino"
    )
