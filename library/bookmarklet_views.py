"""The annotate bookmarklet's popup: the user approves annotating one site, and gets its token."""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
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


# what the annotate bookmarklet runs in the page, in this order (the annotator is the
# extension's own, extension/annotator/annotator.js)
ANNOTATOR_FILES = (
    "vendor/annotator/annotator.min.js",
    "annotator/annotator.js",
    "js/annotator-bookmarklet.js",
)


@require_GET
def annotator_script(request):
    """The three scripts as one, at an address that outlives deploys: a bookmarklet in someone's
    bookmarks bar keeps its URL for years, while static file names change with their hash."""
    parts = []
    for name in ANNOTATOR_FILES:
        with open(finders.find(name), encoding="utf-8") as handle:
            parts.append(handle.read())
    response = HttpResponse(";\n".join(parts), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    # loaded by other sites' pages, also those that require it (Cross-Origin-Embedder-Policy)
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
