from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from inspections.search import search_all
from sendtracker.access import public_read


def _document_url_pattern() -> str | None:
    """The document page's URL with a placeholder id, if that page exists (it belongs to the uploads app)."""
    for name in ("document_detail", "document-detail", "documents:detail"):
        try:
            return reverse(name, args=[0]).replace("/0/", "/{id}/")
        except NoReverseMatch:
            continue
    return None


@public_read
def search(request: HttpRequest) -> HttpResponse:
    results = search_all(query=request.GET.get("q", ""))
    pattern = _document_url_pattern()
    for hit in results.letters:
        hit.document_url = pattern.format(id=hit.document_id) if pattern else None
    return render(request, "inspections/search.html", {"results": results, "q": results.query})
