"""Spam scoring: the labelled French/English set, the two reference comments, context signals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from annotations import spam
from annotations.selectors import spam_verdict
from tests.factories import CommentFactory, UserFactory

from .spam_set import SPAM_SET

CASINO = (
    "Bonjour à tous! Vous pouvez toujours gagner ici: roulette! Ceci est un casino vérifié "
    "par moi..."
)


def test_labelled_set_precision_and_recall():
    assert len(SPAM_SET) >= 60
    assert sum(is_spam for _, is_spam in SPAM_SET) * 2 == len(SPAM_SET)
    tp = fp = fn = 0
    for text, is_spam in SPAM_SET:
        held = spam.text_signals(text).is_spam
        tp += held and is_spam
        fp += held and not is_spam
        fn += not held and is_spam
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    print(f"\nspam set: {len(SPAM_SET)} comments, precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95
    assert recall >= 0.90


def test_reference_casino_comment_is_spam_and_thanks_is_not():
    assert spam.score(CASINO).is_spam
    assert not spam.score("Very interesting and informative, thanks").is_spam


def test_reasons_say_why():
    verdict = spam.score("Cheap viagra here https://bit.ly/x")
    assert "link shortener bit.ly" in verdict.reasons
    assert "pharma vocabulary" in verdict.reasons


@pytest.mark.django_db
def test_new_account_posting_a_link_scores_higher():
    text = "Interesting, see https://example.org/some-page"
    old = UserFactory()
    old.date_joined = timezone.now() - timedelta(days=90)
    new = UserFactory()
    assert spam_verdict(text, new).score > spam_verdict(text, old).score


@pytest.mark.django_db
def test_same_text_on_many_items_is_spam():
    text = "Great resource for everyone in the group, have a look at it"
    CommentFactory.create_batch(2, body=text)
    assert not spam.score(text).is_spam
    assert spam_verdict(text, UserFactory()).is_spam


@pytest.mark.django_db
def test_text_a_moderator_marked_spam_is_held_again():
    text = "Hello friends, nice group, I have something for you all here"
    CommentFactory(body=text, spam_score=spam.MARKED_SPAM_SCORE, status="hidden")
    assert spam_verdict(text, UserFactory()).is_spam


@pytest.mark.django_db
def test_a_burst_alone_is_not_spam_but_tips_a_new_account_posting_links():
    author = UserFactory()
    CommentFactory.create_batch(20, author=author)
    assert not spam_verdict("one more quick comment on this chapter", author).is_spam
    assert spam_verdict("one more quick comment, see www.example.org/page", author).is_spam
