from django.urls import path

from .views import fetch_run_list

urlpatterns = [
    path("documents/fetch-runs/", fetch_run_list, name="fetch_run_list"),
]
