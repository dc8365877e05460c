"""/api/v1/ (README "JSON API"). The API decides access itself (views.SiteAuth), so its views are marked
read-only for sendtracker.access.AccessMiddleware, like `@public_read` pages."""

from django.urls import URLPattern, URLResolver

from inspections.api.views import api

patterns, _, app_name = api.urls  # app_name: the API's urls_namespace ("api"), which its docs reverse


def _mark(entries) -> None:
    for entry in entries:
        if isinstance(entry, URLResolver):
            _mark(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            entry.callback.login_required = False
            entry.callback.access = "read"


_mark(patterns)
urlpatterns = patterns
