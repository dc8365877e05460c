from django.contrib import admin
from django.urls import include, path

# One include per capability folder (README "Architecture").
urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's login/logout/password views; password reset only when e-mail is configured (sendtracker/accounts.py).
    path("accounts/", include("sendtracker.accounts")),
    path("", include("inspections.analysis.urls")),  # dashboard and the national pages
    path("", include("inspections.search.urls")),  # full-text search
    path("", include("inspections.ingest.urls")),  # uploads, document status
    path("", include("inspections.facts.urls")),  # lists and exports
    path("", include("inspections.review.urls")),  # review queue, fact pages, corrections
    path("", include("areas.urls")),  # area list and timelines
    path("", include("inspections.alerts.urls")),  # Atom feeds and e-mail digests
]

handler400 = "sendtracker.errors.bad_request"  # says the upload limits and the way round them
