"""Full-text search at /search/: PostgreSQL ranking and headlines, the SQLite fallback, bounded queries.

Run the PostgreSQL path with DATABASE_URL=postgres://postgres@127.0.0.1:5432/st_h7."""

import datetime as dt

import pytest
from django.conf import settings

from areas.models import LocalArea
from bench.pages_data import build_dataset
from inspections.models import Document, Inspection, SignificantWeakness, SourceLetter
from inspections.search import search_all, snippet

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(not settings.IS_POSTGRES, reason="PostgreSQL full-text search (set DATABASE_URL)")
on_sqlite = pytest.mark.skipif(settings.IS_POSTGRES, reason="the SQLite fallback")

SEARCH_MAX_QUERIES = 2


@pytest.fixture
def corpus():
    hartlepool = LocalArea.objects.create(register_code="HPL", name="Hartlepool", gss_code="E06000001", authority_type="unitary")
    york = LocalArea.objects.create(register_code="YOR", name="York", gss_code="E06000014", authority_type="unitary")
    first = "Joint local area SEND inspection in Hartlepool. Leaders have not prioritised co-production with families. <script>alert(1)</script>"
    second = "Revisit in York. Planning for transitions into adulthood is weak; plans are poorly coordinated."
    text = first + "\n\f" + second
    document = Document.objects.create(sha256="a" * 64, original_name="two-letters.pdf", text=text, status="done")
    SourceLetter.objects.create(document=document, position=0, kind="initial_2016", framework="2016", area=hartlepool,
                                fingerprint="1", span_start=0, span_end=len(first), data={})
    SourceLetter.objects.create(document=document, position=1, kind="revisit_2016", framework="2016", area=york,
                                fingerprint="2", span_start=len(first) + 2, span_end=len(text), data={})
    inspection = Inspection.objects.create(area=york, framework="2016", kind="initial_inspection",
                                           start_date=dt.date(2017, 5, 1), outcome="wsoa_required")
    SignificantWeakness.objects.create(inspection=inspection, number=1, text="Weak co-production & poor joint commissioning.")
    SignificantWeakness.objects.create(inspection=inspection, number=2, text="Waiting times for autism assessments are too long.")
    return hartlepool, york


def test_letter_hits_are_letter_spans_with_their_area(corpus):
    results = search_all(query="adulthood")
    assert [(h.area_name, h.kind) for h in results.letters] == [("York", "revisit_2016")]
    assert "<mark>adulthood</mark>" in results.letters[0].snippet
    assert results.weaknesses == []


def test_weakness_hits_and_escaping(corpus, client):
    response = client.get("/search/", {"q": "co-production"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "/areas/E06000014/" in html and "/areas/E06000001/" in html
    assert "<script>alert(1)</script>" not in html  # letter text is escaped, only <mark> is markup
    assert "&amp; poor" in html or "&amp;" in html
    assert "<mark>" in html


def test_empty_query_runs_no_search(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["results"].letters == []


def test_snippet_windows_and_marks_every_term():
    text = "x " * 300 + "The Local Offer is hard to find; the local offer website is out of date. " + "y " * 300
    out = snippet(text, ["local", "offer"])
    assert out.startswith("… ") and out.endswith(" …")
    assert out.count("<mark>") == 4
    assert len(out) < 400


@on_sqlite
def test_fallback_needs_every_word(corpus):
    results = search_all(query="waiting autism")
    assert results.backend == "simple"
    assert [h.number for h in results.weaknesses] == [2]
    assert search_all(query="waiting unicorns").weaknesses == []


@on_postgres
def test_postgres_stems_ranks_and_highlights(corpus):
    results = search_all(query="plan")
    assert results.backend == "postgres"
    assert [h.area_name for h in results.letters] == ["York"]  # "Planning", "plans" stem to "plan"
    assert "<mark>Planning</mark>" in results.letters[0].snippet and "<mark>plans</mark>" in results.letters[0].snippet
    assert results.letters[0].rank > 0
    # websearch syntax: a quoted phrase and an exclusion.
    assert [h.number for h in search_all(query='"joint commissioning"').weaknesses] == [1]
    assert search_all(query="co-production -commissioning").weaknesses == []


@on_postgres
def test_postgres_ranks_denser_match_first(corpus):
    york = LocalArea.objects.get(gss_code="E06000014")
    inspection = york.inspections.get()
    SignificantWeakness.objects.create(inspection=inspection, number=3,
                                       text="Autism pathway: autism diagnosis, autism support and autism training are weak.")
    numbers = [h.number for h in search_all(query="autism").weaknesses]
    assert numbers == [3, 2]


@pytest.mark.parametrize("scale", [1.0, 10.0])  # today's national size and ten times it
def test_search_queries_are_bounded(client, django_assert_max_num_queries, scale):
    build_dataset(scale=scale)
    with django_assert_max_num_queries(SEARCH_MAX_QUERIES):
        response = client.get("/search/", {"q": "co-production"})
    assert response.status_code == 200
    assert len(response.context["results"].letters) == 20  # capped, whatever the data size
    assert len(response.context["results"].weaknesses) == 20
