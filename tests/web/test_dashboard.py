"""The dashboard at /: map, counts and charts, each linking to the list behind it; bounded queries."""

import datetime as dt
import re

import pytest

from areas.models import LocalArea
from bench.pages_data import build_dataset
from inspections.models import Inspection, Revisit
from inspections.analysis.selectors import STATUS_BY_KEY, area_statuses, dashboard_summary, map_geometry

pytestmark = pytest.mark.django_db

DASHBOARD_MAX_QUERIES = 5


def _area(gss="E06000001", name="Hartlepool", **kw):
    return LocalArea.objects.create(register_code=gss[-4:], name=name, gss_code=gss, authority_type="unitary", **kw)


def _inspection(area, framework="2016", kind="initial_inspection", start=dt.date(2016, 10, 3), outcome="wsoa_required"):
    return Inspection.objects.create(area=area, framework=framework, kind=kind, start_date=start, outcome=outcome)


def test_geometry_is_small_and_covers_every_send_area():
    geometry = map_geometry()
    codes = {a["gss"] for a in geometry["areas"]}
    assert len(codes) == 153  # 63 unitary + 36 metropolitan + 33 London + 21 counties (2023)
    assert "E10000014" in codes  # Hampshire: a county holding SEND duties for its districts
    assert not any(c.startswith("E07") for c in codes)  # two-tier districts are merged into their county
    assert "Office for National Statistics" in geometry["attribution"]
    from inspections.analysis.selectors import GEOMETRY_PATH

    assert GEOMETRY_PATH.stat().st_size < 300_000


def test_status_follows_the_path():
    wsoa_open = _area("E06000001", "Hartlepool")
    _inspection(wsoa_open)
    revisited = _area("E06000002", "Middlesbrough")
    revisit_of = _inspection(revisited)
    Revisit.objects.create(inspection=revisit_of, start_date=dt.date(2018, 10, 1), overall="sufficient_some")
    newer = _area("E06000003", "Redcar and Cleveland")
    _inspection(newer, outcome="no_wsoa")
    _inspection(newer, framework="2023", kind="full_inspection", start=dt.date(2024, 1, 8), outcome="systemic_failings")
    never = _area("E06000004", "Stockton-on-Tees")
    statuses, _ = area_statuses()
    assert statuses[wsoa_open.id] == "wsoa_open"
    assert statuses[revisited.id] == "revisit_insufficient"
    assert statuses[newer.id] == "systemic_failings"
    assert statuses[never.id] == "not_inspected"


def test_status_agrees_with_the_areas_list_stage():
    """The dashboard counts in Python what /areas/?stage= filters in SQL: they must never disagree."""
    from inspections.facts.selectors import with_stage

    build_dataset(scale=0.3)
    area = LocalArea.objects.order_by("id").first()
    _inspection(area, framework="2016", start=dt.date(2015, 1, 1), outcome="no_wsoa")  # older, ignored
    statuses, _ = area_statuses()
    stages = dict(with_stage(LocalArea.objects.filter(end_date__isnull=True)).values_list("id", "stage"))
    assert statuses == stages
    assert len(set(stages.values())) >= 4


def test_anonymous_users_need_login_when_reading_is_private(client, settings):
    settings.PUBLIC_READ = False
    assert client.get("/").status_code == 302
    assert client.get("/search/", {"q": "x"}).status_code == 302


def test_dashboard_renders_map_counts_and_links(client):
    area = _area()
    inspection = _inspection(area)
    Revisit.objects.create(inspection=inspection, start_date=dt.date(2018, 4, 3), overall="sufficient_all")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    # The area is a link to its timeline with a text alternative, filled with its status colour.
    link = re.search(r'<a href="/areas/E06000001/" class="map-area"[^>]*data-status="(\w+)"[^>]*>\s*<path d="M[^"]+" fill="([^"]+)"><title>Hartlepool: ([^<]+)</title>', html)
    assert link, "Hartlepool is not a linked, titled shape on the map"
    assert link.group(1) == "revisit_sufficient"
    assert link.group(2) == STATUS_BY_KEY["revisit_sufficient"].colour
    assert html.count('class="map-area"') == 153
    # Charts link to the filtered lists behind them.
    assert 'href="/inspections/?framework=2016&amp;outcome=wsoa_required"' in html
    assert 'href="/inspections/?framework=2016&amp;outcome=wsoa_required&amp;year=2016"' in html
    assert 'href="/inspections/?kind=revisit&amp;outcome=sufficient_all"' in html
    assert 'href="/areas/?stage=revisit_sufficient"' in html
    # Median months from inspection (3 Oct 2016) to revisit (3 Apr 2018): 18 months.
    assert re.search(r"<strong>18\.0</strong> months", html)


def test_median_months_and_counts():
    area = _area()
    for year, months_later in ((2016, 12), (2017, 18), (2018, 30)):
        i = _inspection(area, start=dt.date(year, 1, 1))
        Revisit.objects.create(inspection=i, start_date=dt.date(year + months_later // 12, 1 + months_later % 12, 1), overall="sufficient_none")
    summary = dashboard_summary()
    assert summary.median_months["Revisit (2016 framework)"] == pytest.approx(18.0, abs=0.2)
    none_bar = next(b for b in summary.revisit_bars["Revisit (2016 framework)"] if b.key == "sufficient_none")
    assert none_bar.count == 3
    wsoa_bar = next(b for b in summary.outcome_bars["2016–2022 framework"] if b.key == "wsoa_required")
    assert wsoa_bar.count == 3 and wsoa_bar.share == 100.0


@pytest.mark.parametrize("scale", [1.0, 10.0])  # today's national size and ten times it
def test_dashboard_queries_are_bounded(client, django_assert_max_num_queries, scale):
    size = build_dataset(scale=scale)
    assert size.areas == max(3, round(150 * scale))
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    assert response.context["d"].inspection_count == size.inspections


def test_every_chart_number_is_the_row_count_of_the_list_it_links_to(client, settings):
    settings.PUBLIC_READ = True
    build_dataset(scale=0.3)
    area = LocalArea.objects.order_by("id").first()
    unknown = _inspection(area, start=dt.date(2018, 5, 1), outcome="")  # "Not recorded" bars
    Revisit.objects.create(inspection=unknown, start_date=dt.date(2019, 6, 1), overall="")
    summary = dashboard_summary()
    bars = [*summary.status_bars, *(b for bs in summary.outcome_bars.values() for b in bs),
            *(b for row in summary.year_rows for b in row.bars), *(b for bs in summary.revisit_bars.values() for b in bs)]
    assert any(b.key == "none" and b.count for b in bars)
    for bar in bars:
        listed = client.get(bar.url).context["page"].paginator.count
        assert listed == bar.count, f"{bar.label}: {bar.count} on the dashboard, {listed} at {bar.url}"
