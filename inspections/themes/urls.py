from django.urls import path

from inspections.themes import views

urlpatterns = [
    path("analysis/themes/", views.themes_page, name="analysis-themes"),
    path("analysis/themes.csv", views.themes_page, {"fmt": "csv"}, name="analysis-themes-csv"),
    path("analysis/themes.svg", views.themes_page, {"fmt": "svg"}, name="analysis-themes-svg"),
    path("analysis/themes/about/", views.about, name="analysis-themes-about"),
    path("analysis/themes/area/<str:gss>/", views.area_themes, name="analysis-themes-area"),
    path("analysis/themes/area/<str:gss>/part/", views.area_themes, {"fmt": "part"}, name="analysis-themes-area-part"),
]
