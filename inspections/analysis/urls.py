from django.urls import path

from inspections.analysis.views import dashboard

urlpatterns = [
    path("", dashboard, name="dashboard"),
]
