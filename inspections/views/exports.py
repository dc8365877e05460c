"""/exports/<name>.csv: the streamed CSV of a list, with the list's filters (see inspections/exports.py)."""

from django.http import Http404, HttpRequest, StreamingHttpResponse

from inspections.exports import EXPORTS, export_response
from sendtracker.access import public_read


@public_read
def export_csv(request: HttpRequest, name: str) -> StreamingHttpResponse:
    if name not in EXPORTS:
        raise Http404(f"No export called {name}")
    return export_response(name, request.GET)
