from django.urls import path

from inspections.views.dashboard import dashboard
from inspections.views.search import search

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("search/", search, name="search"),
]
