"""Template context every page needs."""

from django.conf import settings


def site(request):
    return {"SITE_URL": settings.SITE_URL, "SIGNUP_POLICY": settings.SIGNUP_POLICY}
