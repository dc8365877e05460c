from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from inspections.search.selectors import search_all
from sendtracker.access import DOCUMENT_VIEW_PERMISSION, public_read


@public_read
def search(request: HttpRequest) -> HttpResponse:
    results = search_all(query=request.GET.get("q", ""))
    # Only readers who may open a document page get a link to it; the others would be refused.
    may_open = request.user.has_perm(DOCUMENT_VIEW_PERMISSION)
    for hit in results.letters:
        hit.document_url = reverse("document_detail", args=[hit.document_id]) if may_open else None
    return render(request, "search/search.html", {"results": results, "q": results.query})
