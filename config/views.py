"""The home page: my groups when logged in, the public directory for everyone; the 500 handler."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.defaults import server_error as page_server_error

from groups.selectors import groups_of, public_directory


def home(request):
    return render(
        request,
        "home.html",
        {
            "my_groups": groups_of(request.user),
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
