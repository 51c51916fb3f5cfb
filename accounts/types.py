"""Type names for signatures: who is acting or reading."""

from django.contrib.auth.models import AnonymousUser

from .models import User

# Whoever reads a page: a signed-in user, an anonymous visitor, or nobody (a task, a feed).
Viewer = User | AnonymousUser | None
