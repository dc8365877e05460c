from django.urls import path

from inspections.search.views import search, search_letter

urlpatterns = [
    path("search/", search, name="search"),
    path("search/letters/<int:letter_id>/", search_letter, name="search_letter"),
]
