"""/search/ (letters and weaknesses, a page at a time with totals) and /search/letters/<id>/ (one letter's
text with the query's words marked, which every letter hit links to)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from inspections.search.forms import FILTERS, SearchFilterForm
from inspections.search.selectors import letter_kind_label, letter_passage, search_all
from sendtracker.access import DOCUMENT_VIEW_PERMISSION, public_read

KINDS = ("letters", "weaknesses")


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 10_000 else 1


@public_read
def search(request: HttpRequest) -> HttpResponse:
    # ?in=letters or ?in=weaknesses pages through one kind; without it, the first page of both. The filters (area,
    # region, framework, year) narrow both kinds and ride along every link of the page.
    if any(name in request.GET and not request.GET[name].strip() for name in FILTERS):
        # The filter fields sent empty (the form sends every field): the same search at its short address, which is
        # the one a reader copies and shares.
        kept = [(k, v) for k, v in request.GET.items() if not (k in FILTERS and not v.strip())]
        return redirect(f"{request.path}?{urlencode(kept)}" if kept else request.path)
    only = request.GET.get("in") if request.GET.get("in") in KINDS else None
    page = _page_number(request.GET.get("page")) if only else 1
    form = SearchFilterForm(request.GET)
    valid = form.is_valid()
    query = request.GET.get("q", "") if valid else ""  # an unreadable filter: nothing searched in its place
    scope = form.scope() if valid else None
    results = search_all(query=query, page=page, kinds=(only,) if only else KINDS, scope=scope)
    if only and page > 1 and not getattr(results, only):
        # Past the end (an old link, a hand-edited URL): show the last page, as the lists do, never "41–40 of 32".
        total = getattr(results, f"{only}_total") or 0
        last = max(1, -(-total // results.page_size))
        if last < page:
            results = search_all(query=query, page=last, kinds=(only,), scope=scope)
    # Only readers who may open a document page get a link to it; the others would be refused.
    may_open = request.user.has_perm(DOCUMENT_VIEW_PERMISSION)
    passage_query = urlencode({"q": results.query})
    for hit in results.letters:
        hit.document_url = reverse("document_detail", args=[hit.document_id]) if may_open else None
        hit.passage_url = f"{reverse('search_letter', args=[hit.letter_id])}?{passage_query}#match-1"
    kept = {name: request.GET[name] for name in FILTERS if request.GET.get(name)} if valid else {}

    def link(**params) -> str:
        return "?" + urlencode({"q": results.query, **kept, **params})

    sections = []
    for kind in (only,) if only else KINDS:
        total = getattr(results, f"{kind}_total")
        hits = getattr(results, kind)
        first = (results.page - 1) * results.page_size + 1
        sections.append({
            "kind": kind, "hits": hits, "total": total, "first": first, "last": first + len(hits) - 1,
            "more_url": link(**{"in": kind}) if not only and total and total > len(hits) else "",
            "prev_url": link(**{"in": kind, "page": results.page - 1}) if only and results.page > 1 else "",
            "next_url": link(**{"in": kind, "page": results.page + 1}) if only and total and first + len(hits) - 1 < total else "",
        })
    searched = any(not c.exclude for c in results.clauses)
    return render(request, "search/search.html", {
        "results": results, "q": request.GET.get("q", "").strip() if not valid else results.query, "sections": sections,
        "only": only, "form": form, "searched": searched, "back_url": link(),
        "suggestion_url": "?" + urlencode({"q": results.suggestion, **kept}) if results.suggestion else "",
        "share_url": request.build_absolute_uri(request.path + link()) if results.query and (kept or only) else "",
    }, status=200 if valid else 400)


@public_read
def search_letter(request: HttpRequest, letter_id: int) -> HttpResponse:
    """A letter's whole text with the query's words marked; the page opens at the first match (#match-1)."""
    query = request.GET.get("q", "")
    passage = letter_passage(letter_id=letter_id, query=query)
    if passage is None:
        raise Http404("No such letter.")
    may_open = request.user.has_perm(DOCUMENT_VIEW_PERMISSION)
    return render(request, "search/letter.html", {
        "passage": passage, "letter": passage.letter, "q": " ".join(query.split()),
        "kind_label": letter_kind_label(passage.letter.kind, passage.letter.source_kind),
        "document_url": reverse("document_detail", args=[passage.letter.document.id]) if may_open else None,
    })
