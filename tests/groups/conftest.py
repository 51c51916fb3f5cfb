import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # PBKDF2 at full strength costs ~0.3 s a user on this machine; tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
