"""The home page: what Commonplace is for and recent public activity for a visitor; my groups
and their latest items when logged in; the public directory for everyone; the 500 handler."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.defaults import server_error as page_server_error

from groups.selectors import groups_of, public_directory
from library.selectors import recent_group_items


def home(request):
    signed_in = request.user.is_authenticated
    return render(
        request,
        "home.html",
        {
            "my_groups": groups_of(request.user),
            "recent_items": recent_group_items(request.user, only_mine=signed_in),
            "public_groups": public_directory()[:20],
        },
    )


def server_error(request):
    """handler500: the API answers JSON like its other errors, pages get the 500 page.

    Never the exception's text (Django's request logger has it, with the traceback).
    """
    if request.path.startswith("/api/"):
        detail = _("Something went wrong on our side. Please try again in a moment.")
        return JsonResponse({"detail": detail}, status=500)
    return page_server_error(request)


def not_built_yet(request, *args, **kwargs):
    """Placeholder for a page whose issue has not landed yet; helpers replace these routes."""
    from django.http import HttpResponse

    return HttpResponse("Not built yet.", status=501)
