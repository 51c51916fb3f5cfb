"""Spam holding learns from the group's moderators: their verdicts become labels, spam_train
uses them, a beat task retrains, the group picks its threshold, the log shows holds."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from annotations import moderation, services, spam, tasks
from annotations.models import ModerationLog, SpamLabel
from tests.factories import BookmarkFactory, MembershipFactory

pytestmark = pytest.mark.django_db

FARM = [
    "Paniers de légumes bio de La Ferme du Coin livrés chez vous, commandez sur notre page",
    "La Ferme du Coin livre ses paniers bio dans tout Paris, commandez vite",
    "Commandez vos paniers bio à La Ferme du Coin, livraison gratuite ce mois-ci",
]
NEXT_FARM = "Les paniers bio de La Ferme du Coin sont livrés le jeudi, commandez avant mercredi"
CHANNEL = "Please subscribe to my channel, I review books on labour history every week"


@pytest.fixture
def model_path(tmp_path, settings):
    settings.SPAM_MODEL_PATH = tmp_path / "spam_model.json"
    return settings.SPAM_MODEL_PATH


def _posts(group, texts):
    item = BookmarkFactory(group=group, owner=MembershipFactory(group=group).user)
    return [
        services.post_comment(MembershipFactory(group=group).user, body=text, bookmark=item)
        for text in texts
    ]


def test_moderators_spam_verdicts_change_the_next_training(group, moderator, model_path):
    before = services.judge_post(author=None, group=group, text=NEXT_FARM)
    assert not before.is_spam
    for comment in _posts(group, FARM):
        moderation.moderate(moderator, comment, "spam")
    assert SpamLabel.objects.filter(is_spam=True, labelled_by=moderator).count() == 3

    call_command("spam_train")  # writes SPAM_MODEL_PATH, read by posting from now on
    assert json.loads(model_path.read_text())["labels"] == 3
    after = services.judge_post(author=None, group=group, text=NEXT_FARM)
    assert after.model_score > before.model_score + 0.5
    group.spam_sensitivity = "stricter"
    assert services.judge_post(author=None, group=group, text=NEXT_FARM).is_spam


def test_approving_a_held_post_teaches_not_spam(group, moderator, model_path):
    (held,) = _posts(group, [CHANNEL])
    assert held.status == "held"
    before = services.judge_post(author=None, group=group, text=CHANNEL)
    moderation.moderate(moderator, held, "approve")
    label = SpamLabel.objects.get()
    assert (label.is_spam, label.action, label.text) == (False, "approve", CHANNEL)
    services.train_spam_model(output=model_path)
    after = services.judge_post(author=None, group=group, text=CHANNEL)
    assert after.model_score < before.model_score
    assert not after.is_spam


def test_beat_task_retrains_once_enough_labels_arrived(group, moderator, model_path, settings):
    settings.SPAM_RETRAIN_MIN_LABELS = 3
    comments = _posts(group, FARM)
    for comment in comments[:2]:
        moderation.moderate(moderator, comment, "spam")
    tasks.retrain_spam_model()
    assert not model_path.exists()
    moderation.moderate(moderator, comments[2], "spam")
    tasks.retrain_spam_model()
    assert spam.load_model(model_path).labels == 3
    assert "retrain-spam-model" in settings.CELERY_BEAT_SCHEDULE


def test_spam_train_is_deterministic_and_the_committed_model_is_current(tmp_path):
    services.train_spam_model(output=tmp_path / "a.json", include_labels=False)
    services.train_spam_model(output=tmp_path / "b.json", include_labels=False)
    fresh = (tmp_path / "a.json").read_bytes()
    assert fresh == (tmp_path / "b.json").read_bytes()
    # a change to the data or the features must come with `manage.py spam_train --shipped`
    assert fresh == spam.DEFAULT_MODEL_PATH.read_bytes()
    assert len(fresh) < 400_000


def test_spam_score_prints_one_json_object_a_line(tmp_path, capsys):
    lines = tmp_path / "comments.txt"
    lines.write_text(
        "Bonjour à tous! Vous pouvez toujours gagner ici: roulette! Ceci est un casino "
        "vérifié par moi...\nVery interesting and informative, thanks\n\n",
        encoding="utf-8",
    )
    call_command("spam_score", str(lines))
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["held"] for r in records] == [True, False]
    assert set(records[0]) == {"text", "score", "held", "reasons"}
    assert "gambling vocabulary" in records[0]["reasons"]


def test_spam_score_of_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(Exception, match="cannot read"):
        call_command("spam_score", str(tmp_path / "nope.txt"))


def test_held_and_released_posts_show_in_the_moderation_log(client, group, moderator):
    (held,) = _posts(group, [CHANNEL])
    entry = ModerationLog.objects.get(action="hold")
    assert entry.actor is None and "text model" in entry.detail
    moderation.moderate(moderator, held, "approve")
    client.force_login(moderator)
    html = client.get(reverse("annotations:moderation_log", args=[group.slug])).content.decode()
    assert "held a comment for review" in html and "the spam filter" in html
    assert "approved a comment" in html


def client_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_group_settings_form_and_api_set_the_threshold(client, group):
    admin = MembershipFactory(group=group, role="admin").user
    response = client_for(admin).patch(
        f"/api/v1/groups/{group.slug}/", {"spam_sensitivity": "looser"}, format="json"
    )
    assert response.status_code == 200 and response.json()["spam_sensitivity"] == "looser"
    group.refresh_from_db()
    assert services.spam_threshold(group) == spam.THRESHOLDS["looser"]
    bad = client_for(admin).patch(
        f"/api/v1/groups/{group.slug}/", {"spam_sensitivity": "paranoid"}, format="json"
    )
    assert bad.status_code == 400
    client.force_login(admin)
    page = client.get(reverse("groups:settings", args=[group.slug])).content.decode()
    assert 'name="spam_sensitivity"' in page
    response = client.post(
        reverse("groups:settings", args=[group.slug]),
        {
            "name": group.name,
            "description": "",
            "visibility": group.visibility,
            "join_policy": group.join_policy,
            "spam_sensitivity": "stricter",
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.spam_sensitivity == "stricter"


def test_api_posts_get_the_context_signals(group, moderator):
    (comment,) = _posts(group, [FARM[0]])
    moderation.moderate(moderator, comment, "spam")
    member = MembershipFactory(group=group).user
    item = BookmarkFactory(group=group, owner=member)
    response = client_for(member).post(
        f"/api/v1/bookmarks/{item.pk}/comments/", {"body": FARM[0]}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "held"
