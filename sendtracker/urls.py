from django.contrib import admin
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.urls import include, path

from sendtracker.access import public_read


@public_read
def favicon(request):
    """/favicon.ico: browsers ask for it whatever a page links, so it answers with the site's icon (the SVG every
    page links) instead of a 404 in every log. Read-only like the pages it decorates."""
    found = finders.find("favicon.svg")
    if not found:
        raise Http404("No icon")
    return FileResponse(open(found, "rb"), content_type="image/svg+xml")


# One include per capability folder (README "Architecture").
urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Django's login/logout/password views; password reset only when e-mail is configured (sendtracker/accounts.py).
    path("accounts/", include("sendtracker.accounts")),
    path("", include("inspections.analysis.urls")),  # dashboard and the national pages
    path("", include("inspections.themes.urls")),  # weakness themes: what goes wrong, what gets fixed
    path("", include("inspections.search.urls")),  # full-text search
    path("", include("inspections.ingest.urls")),  # uploads, document status
    path("", include("inspections.facts.urls")),  # lists and exports
    path("", include("inspections.review.urls")),  # review queue, fact pages, corrections
    path("", include("areas.urls")),  # area list and timelines
    path("", include("inspections.alerts.urls")),  # Atom feeds and e-mail digests
    path("api/v1/", include("inspections.api.urls")),  # the read-only JSON API and its OpenAPI description
]

handler400 = "sendtracker.errors.bad_request"  # says the upload limits and the way round them
