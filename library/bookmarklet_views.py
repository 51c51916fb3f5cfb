"""The annotate bookmarklet's popup: the user approves annotating one site, and gets its token."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .bookmarklet import MAX_AGE_SECONDS, mint_token, origin_of


@require_GET
@login_required
def annotate(request):
    """Opened by the bookmarklet from the page to annotate; the page's origin arrives by
    postMessage (event.origin, set by the browser) and is shown to the user before any token
    is made, so a site that opens this page itself gets nothing without the user's click."""
    response = render(request, "library/bookmarklet_annotate.html")
    # the popup must keep its opener (another site) to answer it
    response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response


@require_POST
@login_required
def annotate_token(request):
    origin = origin_of(request.POST.get("origin", ""))
    if origin is None or origin != request.POST.get("origin"):
        return JsonResponse({"detail": _("The page to annotate has no web address.")}, status=400)
    return JsonResponse({"token": mint_token(request.user, origin), "expires_in": MAX_AGE_SECONDS})
