from django.urls import path

from inspections.search.views import search

urlpatterns = [
    path("search/", search, name="search"),
]
