"""The home page: what Commonplace is for and recent public activity for a visitor; my groups
and their latest items when logged in; the public directory for everyone."""

from django.shortcuts import render

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


def not_built_yet(request, *args, **kwargs):
    """Placeholder for a page whose issue has not landed yet; helpers replace these routes."""
    from django.http import HttpResponse

    return HttpResponse("Not built yet.", status=501)
