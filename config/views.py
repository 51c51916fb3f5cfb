"""The home page: my groups when logged in, the public directory for everyone."""

from django.shortcuts import render

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


def not_built_yet(request, *args, **kwargs):
    """Placeholder for a page whose issue has not landed yet; helpers replace these routes."""
    from django.http import HttpResponse

    return HttpResponse("Not built yet.", status=501)
