from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("inspections.dashboard_urls")),  # dashboard, search
    path("", include("inspections.documents_urls")),  # uploads, document status, review queue
    path("", include("inspections.urls")),  # lists and exports
    path("", include("inspections.review_urls")),  # review queue, fact pages, corrections
    path("", include("areas.urls")),  # area list and timelines
]
