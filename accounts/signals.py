"""Cached personal tokens (accounts.authentication) forget what changed."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from rest_framework.authtoken.models import Token

from .authentication import token_cache_key, user_cache_key
from .models import User


def forget_token(sender, instance, **kwargs):
    cache.delete(token_cache_key(instance.key))


def forget_user(sender, instance, **kwargs):
    cache.delete(user_cache_key(instance.pk))


def connect():
    post_delete.connect(forget_token, sender=Token, dispatch_uid="accounts.forget_token")
    post_save.connect(forget_token, sender=Token, dispatch_uid="accounts.forget_saved_token")
    post_save.connect(forget_user, sender=User, dispatch_uid="accounts.forget_user")
    post_delete.connect(forget_user, sender=User, dispatch_uid="accounts.forget_deleted_user")
