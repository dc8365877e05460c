"""Refuse request addresses that no page could answer, before any view or database sees them.

A NUL byte (or another control character) in the path or in a query parameter is never a real question: on
PostgreSQL it makes the query itself fail ("text fields cannot contain NUL") and a page would answer 500. The
kind is refused here once for every page and export, with a 400 that says why, rather than in each view.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

# C0 controls and DEL; tab, newline and carriage return are allowed in parameter values (a pasted search).
# Lone UTF-16 surrogates too: no database can store them (PostgreSQL's encoder raises), and no real text has them.
_CONTROL_IN_PATH = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MAX_PARAMETER_CHARS = 2000  # longer than any filter or search a person types; a bigger one is refused


def bad_request_reason(request: HttpRequest) -> str | None:
    """Why this request's address cannot be answered, or None when it can."""
    if _CONTROL_IN_PATH.search(request.path):
        return "The address contains a control character (such as a NUL byte) or an invalid one, which no page here accepts."
    for key, values in request.GET.lists():
        if _CONTROL_IN_PATH.search(key):
            return "A parameter name contains a control character (such as a NUL byte)."
        for value in values:
            if _CONTROL_IN_VALUE.search(value):
                return f"The parameter {key!r} contains a control character (such as a NUL byte)."
            if len(value) > MAX_PARAMETER_CHARS:
                return f"The parameter {key!r} is longer than {MAX_PARAMETER_CHARS} characters."
    return None


class RejectBadAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = bad_request_reason(request)
        if reason:
            if request.path_info.startswith("/api/"):  # the JSON API answers every error as problem details
                body = {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": reason}
                return HttpResponseBadRequest(json.dumps(body), content_type="application/problem+json")
            return HttpResponseBadRequest(f"Bad request: {reason}\n", content_type="text/plain; charset=utf-8")
        return self.get_response(request)
