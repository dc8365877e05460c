from django.urls import path

from areas.views import area_detail, area_list_view

urlpatterns = [
    path("areas/", area_list_view, name="area_list"),
    path("areas/<str:gss_code>/", area_detail, name="area_detail"),
]
