"""CORS for /api/ only, off by default: settings.API_CORS_ORIGINS (env API_CORS_ORIGINS, comma-separated exact
origins such as https://dash.example.org) are allowed to read the API from a browser; no other origin gets any
CORS header. A few lines rather than a package: GET-only, no credentials, one list of origins."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse

PREFIX = "/api/"


class ApiCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = request.headers.get("Origin")
        allowed = origin and request.path.startswith(PREFIX) and origin in getattr(settings, "API_CORS_ORIGINS", ())
        if allowed and request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204)  # the preflight of a GET with an Authorization header
            response["Access-Control-Allow-Methods"] = "GET"
            response["Access-Control-Allow-Headers"] = "Authorization, If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "600"
        else:
            response = self.get_response(request)
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
            response["Vary"] = ", ".join(filter(None, [response.get("Vary"), "Origin"]))
        return response
