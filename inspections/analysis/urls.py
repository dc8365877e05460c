from django.urls import path

from inspections.analysis import views

# Each analysis page: the page, its numbers as CSV and (for charts) the chart as SVG, same filters (GET).
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("analysis/", views.index, name="analysis"),
    path("analysis/due/", views.due, name="analysis-due"),
    path("analysis/due.csv", views.due, {"as_csv": True}, name="analysis-due-csv"),
    path("analysis/durations/", views.durations, name="analysis-durations"),
    path("analysis/durations.csv", views.durations, {"fmt": "csv"}, name="analysis-durations-csv"),
    path("analysis/durations.svg", views.durations, {"fmt": "svg"}, name="analysis-durations-svg"),
    path("analysis/compare/", views.compare_index, name="analysis-compare-index"),
    path("analysis/compare/<str:gss>/", views.compare, name="analysis-compare"),
    path("analysis/compare/<str:gss>.csv", views.compare, {"fmt": "csv"}, name="analysis-compare-csv"),
]
urlpatterns += [
    path("analysis/paths/", views.paths, name="analysis-paths"),
    path("analysis/paths.csv", views.paths, {"fmt": "csv"}, name="analysis-paths-csv"),
    path("analysis/paths.svg", views.paths, {"fmt": "svg"}, name="analysis-paths-svg"),
    path("analysis/paths/areas/", views.path_areas, name="analysis-path-areas"),
    path("analysis/trends/", views.trends_page, name="analysis-trends"),
    path("analysis/trends.csv", views.trends_page, {"fmt": "csv"}, name="analysis-trends-csv"),
    path("analysis/trends.svg", views.trends_page, {"fmt": "svg"}, name="analysis-trends-svg"),
    path("analysis/compare/<str:gss>/part/", views.compare, {"fmt": "part"}, name="analysis-compare-part"),
]
