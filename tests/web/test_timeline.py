"""/areas/<GSS code>/: the whole path with durations, sources, history, neighbours; bounded queries."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.facts.selectors import area_timeline, months_between
from tests.factories import (
    make_area,
    make_dataset,
    make_document,
    make_inspection,
    make_path,
    make_weakness,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_read")]

TIMELINE_MAX_QUERIES = 11  # area, history (2 + 2, areas.selectors), 5 fact tables, the neighbours' stages


def test_steps_in_order_with_durations():
    path = make_path(make_area("Medway", gss_code="E06000035"), weaknesses=4, sufficient=3, with_2023=True)
    timeline = area_timeline(gss_code="E06000035")
    assert [s.kind for s in timeline.steps] == [
        "initial_inspection", "wsoa", "revisit", "full_inspection", "monitoring_inspection"
    ]
    revisit_step = timeline.steps[2]
    assert revisit_step.gap.months == months_between(path["wsoa"].required_on, path["revisit"].start_date)
    assert "after the WSOA" in revisit_step.gap.label
    assert timeline.stage == "inconsistent" and timeline.stage_label == "2023: inconsistent"


def test_page_shows_facts_judgements_and_source_text(client):
    document = make_document("Preamble. The area has not made sufficient progress in co-production. End.")
    area = make_area("Medway", gss_code="E06000035")
    path = make_path(area, weaknesses=2, sufficient=1, document=document)
    path["wsoa"].fit_for_purpose_on = dt.date(2017, 9, 1)
    path["wsoa"].save()
    judgement = path["judgements"][1]
    start = document.text.index("The area")
    judgement.span_start, judgement.span_end = start, start + len("The area has not made sufficient progress in co-production.")
    judgement.save()
    html = client.get("/areas/E06000035/").content.decode()
    assert "Written statement of action" in html and "1 September 2017" in html
    assert "Sufficient progress" in html and "Insufficient progress" in html
    assert f'href="/facts/inspection/{path["inspection"].pk}/"' in html  # a public reader may not open the document
    assert "<details" in html and "The area has not made sufficient progress in co-production." in html
    # Exactly the span, cut from the document text.
    assert "<blockquote>The area has not made sufficient progress in co-production.</blockquote>" in html
    assert "months after the" in html


def test_source_links_go_where_the_reader_may_follow(client, django_user_model):
    """The document page for users who may open it; for anyone else the fact page, which shows the same passage."""
    document = make_document("The area has made sufficient progress.")
    path = make_path(make_area("Medway", gss_code="E06000035"), weaknesses=1, sufficient=1, document=document)
    fact_links = [f'href="/facts/inspection/{path["inspection"].pk}/"',
                  f'href="/facts/judgement/{path["judgements"][0].pk}/"']

    html = client.get("/areas/E06000035/").content.decode()  # anonymous, PUBLIC_READ on
    assert "/documents/" not in html and all(link in html for link in fact_links)
    assert client.get(f"/facts/judgement/{path['judgements'][0].pk}/").status_code == 200

    client.force_login(django_user_model.objects.create_user("rita"))  # logged in, no document permission
    html = client.get("/areas/E06000035/").content.decode()
    assert "/documents/" not in html and all(link in html for link in fact_links)
    assert client.get(f"/documents/{document.pk}/").status_code == 403  # the link it would have been

    analyst = django_user_model.objects.create_user("ada")
    analyst.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(analyst)
    html = client.get("/areas/E06000035/").content.decode()
    assert f'href="/documents/{document.pk}/"' in html and "/facts/inspection/" not in html
    assert client.get(f"/documents/{document.pk}/").status_code == 200


def test_secondary_and_needs_review_are_marked(client):
    area = make_area("Middlesbrough", gss_code="E06000002")
    inspection = make_inspection(area, source_kind="secondary", needs_review=True, review_reasons=["date unclear"])
    make_weakness(inspection, 1)
    html = client.get("/areas/E06000002/").content.decode()
    assert "Secondary source" in html
    assert "Needs review" in html and "date unclear" in html


def test_wsoa_required_without_wsoa_row_is_still_a_stage():
    area = make_area(gss_code="E06000001")
    make_inspection(area, outcome="wsoa_required")
    assert [s.kind for s in area_timeline(gss_code="E06000001").steps] == ["initial_inspection", "wsoa"]


def test_predecessor_inspections_shown_as_history(client):
    cumbria = make_area("Cumbria", gss_code="E10000006", authority_type="county", end_date=dt.date(2023, 3, 31))
    cumberland = make_area("Cumberland", gss_code="E06000063", start_date=dt.date(2023, 4, 1))
    cumberland.replaced.add(cumbria)
    make_path(cumbria, revisit=False)
    html = client.get("/areas/E06000063/").content.decode()
    assert "Took over SEND duties from" in html and 'href="/areas/E10000006/"' in html
    assert "Cumbria (former authority)" in html and "inherited" in html
    old = client.get("/areas/E10000006/").content.decode()
    assert "Replaced by" in old and 'href="/areas/E06000063/"' in old


def test_statistical_neighbours_latest_outcomes(client):
    near = make_area("Darlington", gss_code="E06000005")
    make_inspection(near, framework="2023", outcome="positive", start_date=dt.date(2024, 5, 1))
    make_area("Hartlepool", gss_code="E06000001", stat_neighbours=["E06000005", "E99999999"])
    timeline = area_timeline(gss_code="E06000001")
    assert [(n["name"], n["label"]) for n in timeline.neighbours] == [("Darlington", "2023: typically positive")]
    assert "Statistical neighbours" in client.get("/areas/E06000001/").content.decode()


def test_unknown_code_is_404(client):
    assert client.get("/areas/E06999999/").status_code == 404


def test_lower_case_code_works(client):
    make_area("Hartlepool", gss_code="E06000001")
    assert client.get("/areas/e06000001/").status_code == 200


def test_timeline_queries_bounded(client, django_assert_max_num_queries):
    """Bigger paths (more weaknesses, revisits, predecessors) do not add queries. (Codes outside the factory's
    E06nnnnnn sequence, which reached E06000101 when enough tests ran before this one.)"""
    small = make_path(make_area(gss_code="E10900101"), weaknesses=1)
    small["area"].replaced.add(make_area(end_date=dt.date(2009, 3, 31)))  # history read the same way as below
    with CaptureQueriesContext(connection) as one:
        client.get("/areas/E10900101/")
    big_area = make_area(gss_code="E10900102", stat_neighbours=["E10900101"])
    for _ in range(3):
        old = make_area(end_date=dt.date(2019, 3, 31))
        big_area.replaced.add(old)
        make_path(old, weaknesses=10, sufficient=5, with_2023=True)
    make_path(big_area, weaknesses=10, sufficient=5, with_2023=True)
    make_dataset(10)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/areas/E10900102/").status_code == 200
    assert len(one) == len(many)
    with django_assert_max_num_queries(TIMELINE_MAX_QUERIES):
        client.get("/areas/E10900102/")
    assert small["area"]


def test_placeholder_inspection_sits_before_its_revisit_and_sets_the_stage(client):
    """Redcar's case: only the revisit letter is held; the 2018 inspection it restates is an undated placeholder."""
    from inspections.facts.selectors import area_list
    from inspections.analysis.selectors import area_statuses
    from tests.factories import make_judgement, make_revisit

    area = make_area("Redcar and Cleveland", gss_code="E06000003")
    placeholder = make_inspection(area, start_date=None, period_text="February and March 2018", is_placeholder=True,
                                  published_date=dt.date(2018, 4, 23))
    weakness = make_weakness(placeholder, 1)
    revisit = make_revisit(placeholder, start_date=dt.date(2021, 11, 22), overall="sufficient_all")
    make_judgement(revisit, weakness, True)
    timeline = area_timeline(gss_code="E06000003")
    assert [s.kind for s in timeline.steps] == ["initial_inspection", "wsoa", "revisit"]
    assert timeline.stage == "revisit_sufficient"
    assert area_statuses()[0][area.id] == "revisit_sufficient"  # the dashboard agrees
    assert [r["name"] for r in area_list(filters={"framework": "2016"})] == ["Redcar and Cleveland"]
    html = client.get("/areas/E06000003/").content.decode()
    assert "February and March 2018" in html and "Known from a later document" in html


def test_history_spans_generations(client):
    """A letter about an authority abolished two reorganisations ago still shows on today's area, as history."""
    oldest = make_area("Old County", gss_code="E10000099", authority_type="county", end_date=dt.date(2009, 3, 31))
    middle = make_area("Middle Council", gss_code="E06000098", end_date=dt.date(2019, 3, 31))
    today = make_area("New Council", gss_code="E06000097")
    middle.replaced.add(oldest)
    today.replaced.add(middle)
    make_path(oldest, revisit=False)
    timeline = area_timeline(gss_code="E06000097")
    assert [p.name for p in timeline.predecessors] == ["Middle Council", "Old County"]
    assert [(s.kind, s.inherited, s.area.name) for s in timeline.steps][0] == ("initial_inspection", True, "Old County")
    assert [a.name for a in area_timeline(gss_code="E10000099").successors] == ["Middle Council", "New Council"]
    assert "Old County (former authority)" in client.get("/areas/E06000097/").content.decode()


@pytest.mark.parametrize("scale", [1.0, 10.0])  # today's national size and ten times it (bench/pages_data.py)
def test_timeline_queries_bounded_on_the_national_dataset(client, django_assert_max_num_queries, scale):
    from bench.pages_data import build_dataset
    from inspections.models import Inspection

    build_dataset(scale=scale)
    revisited = Inspection.objects.filter(revisits__isnull=False).select_related("area").order_by("area__name")
    area = revisited[revisited.count() // 2].area  # the benchmark's timeline: a full 2016 path and a 2023 inspection
    with django_assert_max_num_queries(TIMELINE_MAX_QUERIES):
        response = client.get(f"/areas/{area.gss_code}/")
    assert response.status_code == 200
    timeline = response.context["t"]
    assert {"initial_inspection", "revisit", "full_inspection"} <= {s.kind for s in timeline.steps}
    assert len(timeline.neighbours) == 10 and all(n["label"] for n in timeline.neighbours)


def test_area_rows_is_kept_once_and_never_narrowed():
    """selectors.area_rows builds with_stage once per thread; the timeline's neighbours and a filtered list
    narrow clones of it, never the kept queryset (else the next page would see only the last page's areas)."""
    from inspections.facts.selectors import _built, area_list, area_rows

    make_area("Darlington", gss_code="E06000005", region="North East", stat_neighbours=["E06000001"])
    make_area("Hartlepool", gss_code="E06000001", region="North East")
    make_area("Camden", gss_code="E09000007", region="London")
    assert [r["name"] for r in area_list(filters={"region": "London"})] == ["Camden"]
    assert [n["name"] for n in area_timeline(gss_code="E06000005").neighbours] == ["Hartlepool"]
    assert sorted(r["name"] for r in area_rows()) == ["Camden", "Darlington", "Hartlepool"]
    assert area_rows() is not area_rows() and _built.area_rows._result_cache is None  # never evaluated itself
