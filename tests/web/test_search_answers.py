"""Issue 13 item 10: search answers "which areas mention X".

Totals and paging, each hit linked to its place (a letter's text opened at the first match; a weakness's fact
page at its passage), phrases in quotes, and "co-production" / "coproduction" / "co-producing" finding the
same passages through the normalisation list of inspections/search/query.py. Runs on SQLite and, with
DATABASE_URL set, on PostgreSQL: the same assertions hold on both."""

from __future__ import annotations

import datetime as dt

import pytest

from areas.models import LocalArea
from inspections.models import Document, Inspection, SignificantWeakness, SourceLetter
from inspections.search.query import parse, variants
from inspections.search.selectors import search_all

pytestmark = pytest.mark.django_db

SPELLINGS = {
    "Hartlepool": "Leaders have not prioritised co-production with families.",
    "York": "Coproduction with parents is at an early stage.",
    "Kent": "Leaders are co-producing the strategy with young people.",
    "Leeds": "Joint commissioning is weak; production of plans is slow.",  # 'production' alone is not co-production
}


@pytest.fixture
def letters():
    text, spans = "", {}
    for name, sentence in SPELLINGS.items():
        start = len(text)
        text += f"Local area SEND inspection in {name}. {sentence}\n\f"
        spans[name] = (start, len(text) - 2)
    document = Document.objects.create(sha256="b" * 64, original_name="four.pdf", text=text, status="done")
    for i, (name, (start, end)) in enumerate(spans.items()):
        area = LocalArea.objects.create(register_code=f"R{i}", name=name, gss_code=f"E0600010{i}", authority_type="unitary")
        SourceLetter.objects.create(document=document, position=i, kind="initial_inspection", framework="2016",
                                    area=area, fingerprint=str(i), span_start=start, span_end=end, data={})
    return document


def _areas(query: str) -> list[str]:
    return sorted(h.area_name for h in search_all(query=query).letters)


def test_normalisation_list_expands_each_spelling_to_its_family():
    assert set(variants("co-production")) == set(variants("coproduction")) == set(variants("co-producing"))
    assert "multiagency" in variants("multi-agency") and "multi-agency" in variants("multiagency")
    clauses = parse('"joint commissioning" or autism -"waiting times" plans')
    assert [(c.exclude, [t.text for t in c.terms]) for c in clauses] == [
        (False, ["joint commissioning", "autism"]), (True, ["waiting times"]), (False, ["plans"])]


@pytest.mark.parametrize("query", ["co-production", "coproduction", "co-producing", "Co-Produce"])
def test_spelling_variants_find_the_same_letters(letters, query):
    assert _areas(query) == ["Hartlepool", "Kent", "York"]


def test_quoted_phrase_keeps_its_words_together_and_in_order(letters):
    assert _areas('"joint commissioning"') == ["Leeds"]
    assert _areas('"commissioning joint"') == []
    assert _areas("commissioning joint") == ["Leeds"]  # unquoted: both words, any order


def test_or_and_exclusion(letters):
    assert _areas("coproduction or commissioning") == ["Hartlepool", "Kent", "Leeds", "York"]
    assert _areas("coproduction -parents") == ["Hartlepool", "Kent"]


def test_totals_and_pages(client):
    york = LocalArea.objects.create(register_code="Y", name="York", gss_code="E06000014", authority_type="unitary")
    inspection = Inspection.objects.create(area=york, framework="2016", kind="initial_inspection",
                                           start_date=dt.date(2017, 5, 1), outcome="wsoa_required")
    for n in range(1, 46):
        SignificantWeakness.objects.create(inspection=inspection, number=n, text=f"Weakness {n}: co-production is weak.")
    first = search_all(query="coproduction", kinds=("weaknesses",))
    assert first.weaknesses_total == 45 and len(first.weaknesses) == 20
    third = search_all(query="coproduction", kinds=("weaknesses",), page=3)
    assert len(third.weaknesses) == 5 and third.weaknesses_total == 45
    assert search_all(query="coproduction", kinds=("weaknesses",), page=9).weaknesses_total == 45  # past the end: still true
    html = client.get("/search/", {"q": "coproduction"}).content.decode()
    assert "(1–20 of 45)" in html and "All 45 weaknesses and priority actions →" in html
    page2 = client.get("/search/", {"q": "coproduction", "in": "weaknesses", "page": 2}).content.decode()
    assert "(21–40 of 45)" in page2 and 'rel="prev"' in page2 and 'rel="next"' in page2
    assert 'start="21"' in page2
    last = client.get("/search/", {"q": "coproduction", "in": "weaknesses", "page": 3}).content.decode()
    assert "(41–45 of 45)" in last and 'rel="next"' not in last
    ids = {h.weakness_id for p in (1, 2, 3) for h in search_all(query="coproduction", kinds=("weaknesses",), page=p).weaknesses}
    assert len(ids) == 45  # pages neither overlap nor skip


def test_each_hit_links_to_its_passage(letters, client, settings):
    settings.PUBLIC_READ = True
    html = client.get("/search/", {"q": "co-producing"}).content.decode()
    kent = SourceLetter.objects.get(area__name="Kent")
    link = f"/search/letters/{kent.pk}/?q=co-producing#match-1"
    assert f'href="{link}"' in html
    page = client.get(link.split("#")[0] + "&x=1").content.decode()
    assert '<mark id="match-1">co-producing</mark>' in page
    assert "Local area SEND inspection in Kent" in page and "Hartlepool" not in page  # only that letter's span
    york = client.get(f"/search/letters/{SourceLetter.objects.get(area__name='York').pk}/", {"q": "co-production"}).content.decode()
    assert '<mark id="match-1">Coproduction</mark>' in york  # the variant is marked too
    assert client.get("/search/letters/999999/").status_code == 404


def test_weakness_hits_link_to_the_fact_page_passage(client, settings):
    settings.PUBLIC_READ = True
    york = LocalArea.objects.create(register_code="Y", name="York", gss_code="E06000014", authority_type="unitary")
    inspection = Inspection.objects.create(area=york, framework="2016", kind="initial_inspection", start_date=dt.date(2017, 5, 1))
    weakness = SignificantWeakness.objects.create(inspection=inspection, number=1, text="Weak coproduction.")
    html = client.get("/search/", {"q": "co-production"}).content.decode()
    assert f'href="/facts/weakness/{weakness.pk}/#passage"' in html
    assert "(1)" in html  # a total, even when small


def test_totals_cost_no_extra_query(letters, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/search/", {"q": "coproduction"})
    assert response.context["results"].letters_total == 3
