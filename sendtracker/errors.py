"""Error pages that say what went wrong and what to do (Django's handler400)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: for a batch upload over Django's file-count or size limits, say the limit and the way round it."""
    if isinstance(exception, TooManyFilesSent):
        reason = (
            f"That was more files than can be uploaded at once (the limit is {settings.DATA_UPLOAD_MAX_NUMBER_FILES}). "
            "Nothing was stored. Put the files in one .zip and upload that, or ask an operator to run "
            "`python manage.py import_archive FOLDER_OR_ZIP`."
        )
    elif isinstance(exception, RequestDataTooBig):
        reason = (
            f"The request was larger than the limit of {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes for form data. "
            "Nothing was stored."
        )
    else:
        reason = "The request could not be understood (a malformed address or form)."
    try:
        body = render_to_string("400.html", {"reason": reason}, request=request)
    except Exception:  # an error page must not fail: fall back to plain text
        return HttpResponse(f"Bad request: {reason}\n", status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(body, status=400)
