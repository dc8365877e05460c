"""Full-text search at /search/: PostgreSQL ranking and headlines, the SQLite fallback, bounded queries.

Run the PostgreSQL path with DATABASE_URL=postgres://postgres@127.0.0.1:5432/st_h7."""

import datetime as dt

import pytest
from django.conf import settings

from areas.models import LocalArea
from bench.pages_data import build_dataset
from inspections.models import Document, Inspection, SignificantWeakness, SourceLetter
from inspections.search.selectors import search_all, snippet

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


def test_totals_count_only_matching_rows(corpus):
    """The caption's totals are the matching rows, not every row: on PostgreSQL the weaknesses' total once
    counted every weakness whenever the page's row matched (the stored vector named the outer row)."""
    for n in range(3, 6):
        SignificantWeakness.objects.create(inspection=Inspection.objects.get(), number=n, text=f"Unrelated finding {n}.")
    results = search_all(query="co-production")
    assert [h.number for h in results.weaknesses] == [1]
    assert results.weaknesses_total == 1  # five weaknesses held, one matches
    assert results.letters_total == 1


@pytest.mark.parametrize("scale", [1.0, 10.0])  # today's national size and ten times it
def test_search_queries_are_bounded(client, django_assert_max_num_queries, scale):
    build_dataset(scale=scale)
    with django_assert_max_num_queries(SEARCH_MAX_QUERIES):
        response = client.get("/search/", {"q": "co-production"})
    assert response.status_code == 200
    assert len(response.context["results"].letters) == 20  # capped, whatever the data size
    assert len(response.context["results"].weaknesses) == 20


def _letter_areas(query: str) -> list[str]:
    return sorted(h.area_name for h in search_all(query=query).letters)


@on_postgres
def test_stored_vectors_follow_text_changes(corpus):
    """Search matches and ranks on stored vectors (migration 0005): they must follow every write."""
    document = Document.objects.get()
    assert SourceLetter.objects.filter(search_vector__isnull=True).count() == 0  # filled on insert
    assert _letter_areas("adulthood") == ["York"]

    # The document's text changes under its letters (same spans): the letters' vectors follow.
    text = document.text.replace("adulthood", "employment")
    Document.objects.filter(pk=document.pk).update(text=text)
    assert _letter_areas("adulthood") == []
    assert _letter_areas("employment") == ["York"]

    # A letter's span moves (saved through the ORM): its vector follows the new span.
    york = SourceLetter.objects.get(position=1)
    york.span_start = 0
    york.save()
    assert _letter_areas("co-production") == ["Hartlepool", "York"]

    # A weakness's vector is a generated column: an update is searchable at once.
    weakness = SignificantWeakness.objects.get(number=2)
    weakness.text = "Speech and language therapy waiting lists are long."
    weakness.save()
    assert [h.number for h in search_all(query="therapy").weaknesses] == [2]
    assert search_all(query="autism").weaknesses == []
    SignificantWeakness.objects.filter(pk=weakness.pk).update(text="Autism assessments are late.")
    assert [h.number for h in search_all(query="autism").weaknesses] == [2]


@on_postgres
def test_reprocessed_document_is_searched_by_its_new_text(monkeypatch):
    """Re-ingesting a document whose extracted text changed replaces its letters, and search follows."""
    import dataclasses

    from django.core.management import call_command

    from inspections.pipeline import run
    from tests.ingest.conftest import ingest

    seed = "000_30b352e54e3c96f7.txt"  # Hartlepool (twice) and Middlesbrough, 2016 initial inspections
    call_command("load_areas", verbosity=0)
    assert ingest(seed) is not None
    before = _letter_areas("autism")
    assert "Middlesbrough" in before
    assert _letter_areas("quokka") == []

    extract = run.extract_text
    monkeypatch.setattr(run, "extract_text", lambda data: dataclasses.replace(
        extract(data), text=extract(data).text.replace("autism", "quokka").replace("Autism", "Quokka")))
    assert ingest(seed, reprocess=True) is not None

    assert _letter_areas("autism") == []
    assert _letter_areas("quokka") == before
    letter = search_all(query="quokka").letters[0]
    assert "<mark>quokka</mark>" in letter.snippet.lower()


def test_document_links_only_for_readers_who_may_open_them(corpus, client, django_user_model):
    from django.contrib.auth.models import Permission

    document = Document.objects.get()
    link = f'href="/documents/{document.pk}/"'
    html = client.get("/search/", {"q": "adulthood"}).content.decode()
    assert "two-letters.pdf" in html and link not in html  # a public reader would be refused the page
    analyst = django_user_model.objects.create_user("a", password="pw")
    analyst.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(analyst)
    assert link in client.get("/search/", {"q": "adulthood"}).content.decode()


@on_postgres
def test_spellings_left_out_of_the_tsquery_stem_as_a_kept_one_does():
    """The full-text query sends a family's spellings once per distinct stemming (query.stem_distinct, Python's
    Snowball English stemmer). PostgreSQL must stem each spelling left out exactly as the kept one it stood for,
    or a search would silently find less: checked here for every spelling of every family, by PostgreSQL itself."""
    from django.db import connection

    from inspections.search.query import VARIANT_FAMILIES, _stem_key, stem_distinct

    def tsquery(spelling):
        with connection.cursor() as cursor:
            cursor.execute("SELECT phraseto_tsquery('english', %s)::text", [spelling])
            return cursor.fetchone()[0]

    dropped = 0
    for family in VARIANT_FAMILIES:
        kept = stem_distinct(family)
        by_key = {_stem_key(s): s for s in kept}
        assert len({tsquery(s) for s in kept}) == len(kept), kept  # and the kept ones really differ
        for spelling in family:
            twin = by_key[_stem_key(spelling)]
            assert tsquery(spelling) == tsquery(twin), (spelling, twin)
            dropped += spelling != twin
    assert dropped >= 15  # the inflections of co-production and co-ordination, the plurals of senco and ehcp


def test_stem_distinct_keeps_each_stemming_once_in_order():
    from inspections.search.query import stem_distinct, variants

    assert stem_distinct(variants("co-production")) == ("co-production", "coproduction", "co-producing", "coproducing")
    assert stem_distinct(("decision-making", "decision making")) == ("decision-making", "decision making")
    assert stem_distinct(("plans", "plan", "planning")) == ("plans",)  # all three stem to "plan"


def test_a_page_past_the_end_shows_the_last_page(client):
    build_dataset(scale=1.0)
    total = client.get("/search/", {"q": "co-production", "in": "weaknesses"}).context["results"].weaknesses_total
    last = -(-total // 20)
    response = client.get("/search/", {"q": "co-production", "in": "weaknesses", "page": last + 5})
    results = response.context["results"]
    assert results.page == last and 0 < len(results.weaknesses) <= 20
    section = response.context["sections"][0]
    assert section["last"] == total and section["first"] == (last - 1) * 20 + 1  # "(…–{total} of {total})"
    assert section["next_url"] == "" and section["prev_url"]
