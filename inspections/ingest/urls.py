from django.urls import include, path

from inspections.ingest.views import (
    document_detail,
    document_file,
    document_list,
    document_reprocess_view,
    document_status,
    document_upload_view,
)

urlpatterns = [
    path("documents/", document_list, name="document_list"),
    path("documents/upload/", document_upload_view, name="document_upload"),
    path("documents/<int:pk>/", document_detail, name="document_detail"),
    path("documents/<int:pk>/file/", document_file, name="document_file"),
    path("documents/<int:pk>/status/", document_status, name="document_status"),
    path("documents/<int:pk>/reprocess/", document_reprocess_view, name="document_reprocess"),
    path("", include("inspections.ingest.sources.urls")),  # /documents/fetch-runs/: the fetch status page
]
