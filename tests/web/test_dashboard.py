"""The dashboard at /: map, counts and charts, each linking to the list behind it; bounded queries."""

import datetime as dt
import re
from html import escape

import pytest

from areas.models import LocalArea
from bench.pages_data import build_dataset
from inspections.models import Inspection, Revisit
from inspections.analysis.selectors import STATUS_BY_KEY, area_statuses, dashboard_summary, map_geometry
from inspections.paths.services import area_paths_refresh

pytestmark = pytest.mark.django_db

# Cold (the facts changed since the last request): the analysis snapshot's eight queries (fingerprint; stages,
# coverage, inspections and revisits under review; WSOAs, data date, facts), the dashboard's two (outcomes by year,
# revisits), the weakness themes card's three (by framework and outcome, revisit verdicts, priority actions), the
# sources' currency line's two (datasets held, letters held; inspections/analysis/national.py) and the last
# successful fetch. Warm: the fingerprint and the last fetch. Whatever the number of areas.
DASHBOARD_MAX_QUERIES = 16
DASHBOARD_WARM_QUERIES = 2


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
    """The dashboard counts what /areas/?stage= filters: both read facts.selectors.with_stage, so they cannot disagree."""
    from inspections.facts.selectors import with_stage

    build_dataset(scale=0.3)
    area = LocalArea.objects.order_by("id").first()
    _inspection(area, framework="2016", start=dt.date(2015, 1, 1), outcome="no_wsoa")  # older, ignored
    # Facts under review behind some stages: an inspection, a revisit, a judgement at one.
    Inspection.objects.filter(pk__in=Inspection.objects.order_by("id").values("pk")[:5]).update(needs_review=True)
    Revisit.objects.filter(pk__in=Revisit.objects.order_by("-id").values("pk")[:2]).update(needs_review=True)
    from inspections.models import ProgressJudgement

    ProgressJudgement.objects.filter(pk__in=ProgressJudgement.objects.order_by("id").values("pk")[:3]).update(needs_review=True)
    statuses, areas = area_statuses()
    rows = with_stage(LocalArea.objects.filter(end_date__isnull=True)).values_list("id", "stage", "stage_unconfirmed")
    assert statuses == {i: stage for i, stage, _ in rows}
    assert len(set(statuses.values())) >= 4
    # The dashboard's unconfirmed counts (computed in Python, for speed) agree with the areas list's column.
    unconfirmed = {a["id"]: a["unconfirmed"] for a in areas}
    assert unconfirmed == {i: bool(u) for i, _, u in rows}
    assert 0 < sum(unconfirmed.values()) < len(unconfirmed)


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
    assert 'href="/inspections/?framework=2016&amp;outcome=wsoa_required&amp;held=true"' in html
    assert 'href="/inspections/?framework=2016&amp;outcome=wsoa_required&amp;held=true&amp;year=2016"' in html
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
def test_dashboard_queries_are_bounded(client, django_assert_max_num_queries, django_assert_num_queries, scale):
    size = build_dataset(scale=scale)
    assert size.areas == max(3, round(150 * scale))
    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    assert response.context["d"].inspection_count == size.inspections
    with django_assert_num_queries(DASHBOARD_WARM_QUERIES):
        again = client.get("/")
    assert again.content == response.content
    # A region's first request: the snapshot is reused as it is; only its two own figure queries are added.
    with django_assert_num_queries(DASHBOARD_WARM_QUERIES + 2):
        regional = client.get("/", {"region": "North East"})
    assert regional.status_code == 200 and regional.context["d"].area_count < size.areas


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


# --- issue 11 item 4: an honest picture of coverage; issue 15 item 5: a region filter -----------------------

def _placeholder(area, framework="2016", kind="initial_inspection", start=dt.date(2017, 3, 6)):
    """An inspection known only from a later document (inspections/pipeline/project.py makes these)."""
    return Inspection.objects.create(area=area, framework=framework, kind=kind, start_date=start, outcome="",
                                     is_placeholder=True)


def _coverage_areas():
    """Hand-worked: one area of each kind of coverage and of each 'no stage' wording."""
    whole = _area("E06000001", "Hartlepool", region="North East")
    _inspection(whole, outcome="no_wsoa")
    revisit_only = _area("E06000002", "Middlesbrough", region="North East")  # its initial letter is not held
    Revisit.objects.create(inspection=_placeholder(revisit_only), start_date=dt.date(2019, 7, 1), overall="sufficient_all")
    names_unheld = _area("E06000003", "Redcar and Cleveland", region="North East")  # names a visit matching nothing
    report = _inspection(names_unheld, framework="2023", kind="full_inspection", start=dt.date(2024, 1, 8),
                         outcome="positive")
    Inspection.objects.filter(pk=report.pk).update(previous_inspection_start=dt.date(2018, 5, 14))
    area_paths_refresh([names_unheld.pk])  # a QuerySet.update() sends no signal: derive as derive_paths would
    known_only = _area("E06000004", "Stockton-on-Tees", region="North East")  # only a placeholder on record
    _placeholder(known_only)
    unread = _area("E06000005", "Darlington", region="North East")  # a held letter whose outcome is not recorded
    _inspection(unread, outcome="")
    never = _area("E08000021", "Newcastle upon Tyne", region="North East")
    london = _area("E09000033", "Westminster", region="London")
    _inspection(london, outcome="wsoa_required")
    return {"whole": whole, "revisit_only": revisit_only, "names_unheld": names_unheld, "known_only": known_only,
            "unread": unread, "never": never, "london": london}


def test_no_stage_says_which_kind_of_nothing_in_one_place(client):
    """'No inspection known' only when nothing is held and nothing named; the stage comes from with_stage alone,
    so the dashboard, the areas list, the timeline's header and the export agree."""
    from inspections.facts.selectors import with_stage

    a = _coverage_areas()
    statuses, _ = area_statuses()
    stages = dict(with_stage(LocalArea.objects.all()).values_list("id", "stage"))
    assert statuses == stages
    assert stages[a["known_only"].id] == "known_not_held"
    assert stages[a["unread"].id] == "outcome_not_recorded"
    assert stages[a["never"].id] == "not_inspected"
    assert stages[a["revisit_only"].id] == "revisit_sufficient"  # the revisit gives the stage; the placeholder counts
    assert STATUS_BY_KEY["not_inspected"].label == "No inspection known"
    known_label = STATUS_BY_KEY["known_not_held"].label
    assert known_label == "Inspected (known from a later report): its letter is not held"

    listed = client.get("/areas/", {"stage": "known_not_held"}).content.decode()
    assert "Stockton-on-Tees" in listed and "Newcastle" not in listed and known_label in listed
    assert known_label in client.get("/areas/E06000004/").content.decode()  # the timeline's header
    assert "Inspected: outcome not recorded" in client.get("/areas/E06000005/").content.decode()
    assert "No inspection known" in client.get("/areas/E08000021/").content.decode()
    body = b"".join(client.get("/exports/areas.csv").streaming_content).decode("utf-8-sig")
    rows = {r["area_gss_code"] if "area_gss_code" in r else r["gss_code"]: r for r in __import__("csv").DictReader(body.splitlines())}
    assert rows["E06000004"]["stage"] == "known_not_held" and rows["E08000021"]["stage"] == "not_inspected"
    # The dashboard's key and map: each its own colour, none the grey of "no inspection known".
    html = client.get("/").content.decode()
    assert re.search(r'data-gss="E06000004" data-status="known_not_held"', html)
    assert 'data-key="known_not_held"' in html and known_label in html
    assert len({STATUS_BY_KEY[k].colour for k in ("known_not_held", "outcome_not_recorded", "not_inspected")}) == 3


def test_coverage_counts_add_up_and_say_what_each_means(client):
    a = _coverage_areas()
    _, areas = area_statuses()
    coverage = {row["gss_code"]: row["coverage"] for row in areas}
    assert coverage == {
        "E06000001": "whole", "E06000005": "whole", "E09000033": "whole",  # every fact from its own letter
        "E06000002": "partly",  # a revisit letter held, the initial inspection's letter not
        "E06000003": "partly",  # the 2024 report held; the May 2018 visit it names is not
        # Stockton: known only from a later document (issue 19 item 4: known, not "nothing")
        "E06000004": "secondary_only", "E08000021": "none",
    }
    d = dashboard_summary()
    counts = {key: d.coverage.count(key) for key, *_ in d.coverage.rows()}
    assert counts == {"whole": 3, "partly": 2, "official_only": 0, "secondary_only": 1, "none": 1}
    assert d.coverage.total == d.area_count == 7

    html = re.sub(r"\s+", " ", client.get("/").content.decode())
    for key, label, count, definition, url in d.coverage.rows():
        found = re.search(rf'data-key="{key}"><dt>{re.escape(escape(label))}</dt><dd><a class="coverage-count" href="([^"]+)"><strong>(\d+)</strong>', html)
        assert found and int(found.group(2)) == count, key
        assert escape(definition) in html
        # Item 6: every figure is a link to exactly its areas.
        listed = client.get(found.group(1).replace("&amp;", "&"))
        assert listed.status_code == 200, key
        assert len(re.findall(r'<th scope="row"><a href="/areas/E', listed.content.decode())) == count, key
    assert "3 + 2 + 0 + 1 + 1 = 7 current areas" in html
    # A region: the same classes, of its areas only.
    ne = dashboard_summary("North East").coverage
    assert (ne.count("whole"), ne.count("partly"), ne.count("secondary_only"), ne.count("none"), ne.total) == (2, 2, 1, 1, 6)
    del a


def test_currency_latest_publication_and_last_fetch(client, settings):
    from django.utils import timezone

    from inspections.models import FetchRun

    settings.FETCH_REPORTS_DAILY = False
    area = _area(region="North East")
    older = _inspection(area, start=dt.date(2016, 10, 3))
    Inspection.objects.filter(pk=older.pk).update(published_date=dt.date(2016, 12, 1))
    html = client.get("/").content.decode()
    assert "1 December 2016" in html
    assert "never fetched: fetching is off — see README" in html

    newer = _inspection(area, framework="2023", kind="full_inspection", start=dt.date(2024, 6, 3), outcome="positive")
    Inspection.objects.filter(pk=newer.pk).update(published_date=dt.date(2024, 7, 15))
    # A placeholder's date is not a publication held.
    Inspection.objects.filter(pk=_placeholder(area).pk).update(published_date=dt.date(2025, 1, 1))
    FetchRun.objects.create(source="ofsted", base_url="http://127.0.0.1/", status="failed",
                            finished_at=timezone.make_aware(dt.datetime(2026, 11, 29, 5, 17)))
    FetchRun.objects.create(source="ofsted", base_url="http://127.0.0.1/", status="succeeded", new_documents=3,
                            finished_at=timezone.make_aware(dt.datetime(2026, 11, 28, 5, 17)))
    from inspections.analysis.snapshot import forget

    forget()  # .update() bypasses the signals (the snapshot module's docstring says so)
    html = client.get("/").content.decode()
    assert '<span class="latest-published">15 July 2024</span>' in html
    assert '<dd class="latest-inspection">began 3 June 2024</dd>' in html
    assert "state none" not in html and "(the latest of the 2 of 2 held inspections whose publication date is known)" \
        in re.sub(r"\s+", " ", html)  # both held inspections state one
    third = _inspection(area, framework="2023", kind="full_inspection", start=dt.date(2021, 3, 1), outcome="positive")
    assert third.published_date is None
    html = re.sub(r"\s+", " ", client.get("/").content.decode())
    # Issue 19 item 9: "latest" says how many held inspections have a known publication date.
    assert ("(the latest of the 2 of 3 held inspections whose publication date is known; 1 states none, so a later "
            "one may be held)") in html
    assert "28 November 2026, 05:17" in html and "29 November 2026" not in html and "never fetched" not in html

    Inspection.objects.update(published_date=None)
    forget()
    html = client.get("/").content.decode()
    assert '<span class="latest-published">not known</span>' in html


def test_region_filter_scopes_every_figure_and_link(client):
    build_dataset(scale=0.3)  # 45 areas over the nine regions
    england = dashboard_summary()
    d = dashboard_summary("North East")
    in_region = LocalArea.objects.filter(end_date__isnull=True, region="North East").count()
    assert 0 < d.area_count == in_region < england.area_count
    assert d.coverage.total == in_region
    assert sum(b.count for b in d.status_bars) == in_region
    assert d.inspection_count == Inspection.objects.filter(area__region="North East", is_placeholder=False).count()
    assert 0 < d.inspection_count < england.inspection_count
    bars = [*d.status_bars, *(b for bs in d.outcome_bars.values() for b in bs),
            *(b for row in d.year_rows for b in row.bars), *(b for bs in d.revisit_bars.values() for b in bs)]
    for bar in bars:
        assert "region=North+East" in bar.url, bar.url
        listed = client.get(bar.url).context["page"].paginator.count
        assert listed == bar.count, f"{bar.label}: {bar.count} on the dashboard, {listed} at {bar.url}"

    response = client.get("/", {"region": "North East"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Local area SEND inspections in North East</h1>" in html
    assert '<option value="North East" selected>' in html
    # The map highlights the region: every area outside it is drawn faded, none inside.
    ne_codes = set(LocalArea.objects.filter(region="North East").values_list("gss_code", flat=True))
    shapes = re.findall(r'<a href="/areas/(\w+)/" class="(map-area[^"]*)"', html)
    assert shapes
    for gss, css in shapes:
        assert ("map-area-outside" in css) == (gss not in ne_codes), (gss, css)
    # England's page: nothing faded, links without a region.
    national = client.get("/").content.decode()
    assert "map-area-outside" not in national and "region=" not in re.sub(r'name="region"', "", national.split("<main")[-1])


@pytest.mark.parametrize("region", ["Narnia", "north east", "North East "])
def test_unknown_region_is_an_error_with_no_figures(client, region):
    build_dataset(scale=0.1)
    response = client.get("/", {"region": region})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown region" in html
    assert "d" not in response.context or response.context.get("d") is None
    assert 'class="map-area' not in html and 'class="bar-row' not in html and "coverage-count" not in html


def test_map_is_built_once_per_snapshot_and_region(client, monkeypatch):
    """Issue 15 item 7: the map's markup is not rebuilt per request; a change to the facts rebuilds it."""
    from inspections.analysis import views

    calls = []
    original = views._map_parts
    monkeypatch.setattr(views, "_map_parts", lambda d: calls.append(d.region) or original(d))
    area = _area()
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert client.get("/", {"region": "London"}).status_code == 200
    assert calls == ["", "London"]
    _inspection(area)  # a save: the snapshot is dropped, the next request rebuilds
    html = client.get("/").content.decode()
    assert calls == ["", "London", ""]
    assert 'data-gss="E06000001" data-status="wsoa_open"' in html


@pytest.mark.django_db
def test_outcomes_by_year_say_which_date_they_count_and_link_publication_years(client, settings):
    """Issue 11 item 5: the chart says it counts by the inspection's first day, and offers publication years."""
    settings.PUBLIC_READ = True
    from tests.factories import make_path

    make_path()
    page = client.get("/").content.decode()
    assert "Counted by the year each inspection <strong>started</strong>" in page
    assert "/analysis/trends/?period=calendar_year&amp;basis=publication" in page
    assert client.get("/analysis/trends/?period=calendar_year&basis=publication").status_code == 200
