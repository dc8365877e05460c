from django.contrib import admin
from django.urls import include, path

# One include per capability folder (README "Architecture").
urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("inspections.analysis.urls")),  # dashboard and the national pages
    path("", include("inspections.themes.urls")),  # weakness themes: what goes wrong, what gets fixed
    path("", include("inspections.search.urls")),  # full-text search
    path("", include("inspections.ingest.urls")),  # uploads, document status
    path("", include("inspections.facts.urls")),  # lists and exports
    path("", include("inspections.review.urls")),  # review queue, fact pages, corrections
    path("", include("areas.urls")),  # area list and timelines
]

handler400 = "sendtracker.errors.bad_request"  # says the upload limits and the way round them
