"""The project's URLs plus one view that fails, so the 500 page can be asked for (tests/web/test_errors.py)."""

from django.urls import path

from sendtracker.access import public_read
from sendtracker.urls import urlpatterns as project_urlpatterns


@public_read
def boom(request):
    raise RuntimeError("a deliberate failure for the 500 page test")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
