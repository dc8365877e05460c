from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the site's icon (every page also links
    it), for anyone, so no page logs a 404. Resolved per request: the hashed name exists once static is collected."""
    return redirect(static("favicon.svg"), permanent=True)


# One include per capability folder (README "Architecture").
urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("inspections.analysis.urls")),  # dashboard and the national pages
    path("", include("inspections.search.urls")),  # full-text search
    path("", include("inspections.ingest.urls")),  # uploads, document status
    path("", include("inspections.facts.urls")),  # lists and exports
    path("", include("inspections.review.urls")),  # review queue, fact pages, corrections
    path("", include("areas.urls")),  # area list and timelines
]

handler400 = "sendtracker.errors.bad_request"  # says the upload limits and the way round them
