from django.urls import path

from inspections.facts.views import export_csv, inspection_list, weakness_list

urlpatterns = [
    path("inspections/", inspection_list, name="inspection_list"),
    path("weaknesses/", weakness_list, name="weakness_list"),
    path("exports/<slug:name>.csv", export_csv, name="export_csv"),
]
