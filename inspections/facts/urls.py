from django.urls import path

from inspections.facts.views import export_attribution, export_csv, export_workbook, inspection_list, weakness_list

urlpatterns = [
    path("inspections/", inspection_list, name="inspection_list"),
    path("weaknesses/", weakness_list, name="weakness_list"),
    path("exports/ATTRIBUTION.txt", export_attribution, name="export_attribution"),
    path("exports/workbook.xlsx", export_workbook, name="export_workbook"),
    path("exports/<slug:name>.csv", export_csv, name="export_csv"),
]
