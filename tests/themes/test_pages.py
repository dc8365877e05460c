"""Themes on the pages and in the exports: the weaknesses filter and CSV columns, the analysis page (tables, CSV,
SVG, areas behind each count), the about page; uncertain themes never shown as fact; query counts bounded."""

from __future__ import annotations

import csv
import io

import pytest

from inspections.models import WeaknessTheme
from inspections.themes import quality
from inspections.themes.services import themes_classify
from tests.factories import make_area, make_inspection, make_judgement, make_revisit, make_weakness

pytestmark = pytest.mark.django_db

EHC = "the poor quality of EHC plans"
WAIT = "the long waiting times for neurodevelopmental assessments"
BREAKS = "the limited availability of short breaks for families of disabled children"


@pytest.fixture(autouse=True)
def _public(settings):
    settings.PUBLIC_READ = True


@pytest.fixture
def uncertain_social_care(monkeypatch):
    """Pretend the measurement found social care unreliably (the committed one may not)."""
    real = quality.uncertain_themes()
    monkeypatch.setattr(quality, "uncertain_themes", lambda: frozenset(real | {"social_care"}))
    import inspections.themes.selectors as selectors

    monkeypatch.setattr(selectors, "uncertain_themes", lambda: frozenset(real | {"social_care"}))


def build(n_areas: int = 2):
    """n areas (North East / London alternately), each: a 2016 inspection with three weaknesses judged at a revisit
    (EHC quality sufficient, waiting not, short breaks not), and a 2023 inspection with a priority action judged
    effective at monitoring and an area for improvement."""
    out = []
    for i in range(n_areas):
        area = make_area(region="North East" if i % 2 == 0 else "London")
        initial = make_inspection(area)
        ws = [make_weakness(initial, n, text=t) for n, t in enumerate((EHC, WAIT, BREAKS), start=1)]
        revisit = make_revisit(initial)
        for w, ok in zip(ws, (True, False, False)):
            make_judgement(revisit, w, ok)
        full = make_inspection(area, framework="2023", start_date=initial.start_date.replace(year=2024))
        pa = make_weakness(full, 1, kind="priority_action", text="Leaders should urgently reduce waiting times for CAMHS.")
        make_weakness(full, 1, kind="improvement_area", text="Leaders should improve the local offer.")
        make_judgement(make_revisit(full, overall=""), pa, True)
        out.append(area)
    themes_classify()
    return out


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_weaknesses_filter_by_theme_and_the_csv_columns(client, uncertain_social_care):
    build(1)
    page = client.get("/weaknesses/", {"theme": "health_waiting"})
    assert page.status_code == 200
    html = page.content.decode()
    assert WAIT in html and "CAMHS" in html and EHC not in html
    rows = read_csv(client.get("/exports/weaknesses.csv", {"theme": "health_waiting"}))
    assert {r["text"] for r in rows} == {WAIT, "Leaders should urgently reduce waiting times for CAMHS."}
    assert all(r["themes"] == "health_waiting" and r["themes_method"] == "rules-1" for r in rows)
    every = read_csv(client.get("/exports/weaknesses.csv"))
    breaks = next(r for r in every if r["text"] == BREAKS)
    # Found, but the rules find it unreliably: in themes_uncertain, never in themes.
    assert breaks["themes"] == "" and breaks["themes_uncertain"] == "social_care"
    listed = client.get("/weaknesses/", {"theme": "social_care"}).content.decode()
    assert "(uncertain)" in listed and BREAKS in listed
    assert client.get("/exports/weaknesses.csv", {"theme": "nonsense"}).status_code == 400


def test_an_analysts_theme_is_a_fact_even_when_the_rules_are_uncertain(client, analyst, uncertain_social_care):
    from inspections.models import SignificantWeakness
    from inspections.review.services import weakness_themes_correct

    build(1)
    weakness = SignificantWeakness.objects.get(text=BREAKS)
    weakness_themes_correct(weakness=weakness, themes=["social_care", "coproduction"], user=analyst)
    row = next(r for r in read_csv(client.get("/exports/weaknesses.csv")) if r["text"] == BREAKS)
    # Taxonomy order, whatever order the database joined them in; nothing uncertain: a person decided.
    assert (row["themes"], row["themes_uncertain"], row["themes_method"]) == ("coproduction;social_care", "", "analyst")


def test_the_analysis_page_counts_what_gets_fixed_with_the_areas_behind(client):
    first, second = build(2)
    html = client.get("/analysis/themes/").content.decode()
    assert "Weaknesses not resolved at revisit, by theme" in html
    rows = read_csv(client.get("/analysis/themes.csv"))
    def cell(table, scope, theme, column):
        return next(r for r in rows if (r["table"], r["scope"], r["theme"], r["column"]) == (table, scope, theme, column))
    assert cell("revisit", "England", "ehcp_quality", "sufficient")["count"] == "2"
    assert cell("revisit", "England", "health_waiting", "insufficient")["count"] == "2"
    assert set(cell("revisit", "England", "health_waiting", "insufficient")["area_gss_codes"].split()) == {
        first.gss_code, second.gss_code}
    assert cell("monitoring", "England", "health_waiting", "priority_action")["count"] == "2"
    assert cell("monitoring", "England", "health_waiting", "effective")["count"] == "2"
    assert cell("monitoring", "England", "local_offer", "improvement_area")["count"] == "2"
    assert rows[0]["facts_as_of"] is not None
    # A region, and an area's statistical neighbours.
    second.stat_neighbours = [first.gss_code]
    second.save()
    scoped = read_csv(client.get("/analysis/themes.csv", {"region": "London", "area": second.gss_code}))
    assert next(r for r in scoped if (r["table"], r["scope"], r["theme"], r["column"]) ==
                ("revisit", "London", "health_waiting", "insufficient"))["area_gss_codes"] == second.gss_code
    neighbours = f"{second.name}'s statistical neighbours"
    assert next(r for r in scoped if (r["table"], r["scope"], r["theme"], r["column"]) ==
                ("revisit", neighbours, "health_waiting", "insufficient"))["area_gss_codes"] == first.gss_code
    # The England count links to the weaknesses behind it, and that list has as many rows.
    assert 'href="/weaknesses/?theme=health_waiting&amp;framework=2016&amp;kind=significant_weakness&amp;judgement=insufficient"' in html
    assert 'href="/analysis/themes.svg?table=revisit"' in html and 'href="/analysis/themes.csv"' in html
    listed = read_csv(client.get("/exports/weaknesses.csv", {"theme": "health_waiting", "framework": "2016",
                                                             "kind": "significant_weakness", "judgement": "insufficient"}))
    assert len(listed) == 2


def test_the_charts_are_svg_and_bad_scopes_are_refused(client):
    build(1)
    svg = client.get("/analysis/themes.svg", {"table": "monitoring"})
    assert svg["Content-Type"].startswith("image/svg+xml") and b"<svg" in svg.content and b"Health waiting" in svg.content
    assert client.get("/analysis/themes.svg", {"table": "x"}).status_code == 400
    assert client.get("/analysis/themes/", {"region": "Atlantis"}).status_code == 400
    assert client.get("/analysis/themes/", {"area": "E99999999"}).status_code == 400


def test_the_about_page_gives_the_measured_table(client):
    html = client.get("/analysis/themes/about/").content.decode()
    record = quality.measured()
    assert f"micro-averaged F1 {record['micro_f1']}" in html
    assert 'data-theme="other"' in html and "uncertain" in html


@pytest.mark.parametrize("n_areas", [2, 20])
def test_query_counts_do_not_grow_with_the_data(client, django_assert_max_num_queries, n_areas):
    build(n_areas)
    assert WeaknessTheme.objects.count() >= 5 * n_areas
    with django_assert_max_num_queries(12):  # England: 2 + 3, the data's date, the area chooser, session/user
        assert client.get("/analysis/themes/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/weaknesses/", {"theme": "health_waiting"}).status_code == 200


def test_the_dashboard_shows_themes_by_framework_and_outcome_and_the_two_rankings(client):
    build(2)
    html = client.get("/").content.decode()
    assert "What goes wrong: weakness themes (England)" in html
    assert "2016: themes most often judged not sufficiently progressed at revisit" in html
    # health_waiting: 2 of its 2 judgements insufficient; social_care the same; ehcp_quality none insufficient.
    ranking = html.split("judged not sufficiently progressed at revisit")[1].split("</ol>")[0]
    assert 'data-theme="health_waiting"' in ranking and "2 of 2 judged" in ranking and "ehcp_quality" not in ranking
    recurring = html.split("themes recurring as priority actions")[1].split("</ol>")[0]
    assert 'data-theme="health_waiting"' in recurring and "2 priority actions in 2 areas" in recurring
    table = html.split('id="dashboard-themes"')[1].split("</table>")[0]
    assert 'data-theme="local_offer"' in table


def test_the_area_page_loads_its_themes_beside_neighbours_and_england(client, django_assert_max_num_queries):
    first, second = build(2)
    first.stat_neighbours = [second.gss_code]
    first.save()
    page = client.get(f"/areas/{first.gss_code}/").content.decode()
    assert f'hx-get="/analysis/themes/area/{first.gss_code}/part/"' in page
    with django_assert_max_num_queries(6):
        part = client.get(f"/analysis/themes/area/{first.gss_code}/part/").content.decode()
    row = part.split('data-theme="health_waiting"')[1].split("</tr>")[0]
    # The area: 2 of its 5 items (a weakness and a priority action); its neighbour the same; England 4 of 10.
    assert "(40%)" in row and f"/weaknesses/?area={first.gss_code}&amp;theme=health_waiting" in row
    assert client.get("/analysis/themes/area/E99999999/").status_code == 404
    assert client.get(f"/analysis/themes/area/{first.gss_code.lower()}/").status_code == 200


def test_the_fact_page_shows_why_and_an_analyst_sets_the_themes_there(client, analyst):
    from inspections.models import SignificantWeakness

    build(1)
    weakness = SignificantWeakness.objects.get(text=WAIT)
    public = client.get(f"/facts/weakness/{weakness.pk}/").content.decode()
    assert 'data-theme="health_waiting"' in public and "because of “neurodevelopmental”" in public
    assert "Save themes" not in public
    client.force_login(analyst)
    url = f"/review/weakness/{weakness.pk}/"
    assert "Save themes" in client.get(url).content.decode()
    bad = client.post(url, {"action": "themes", "themes": ["other", "workforce"]})
    assert bad.status_code == 400 and "cannot be chosen with a theme" in bad.content.decode()
    assert client.post(url, {"action": "themes"}).status_code == 400
    done = client.post(url, {"action": "themes", "themes": ["health_waiting", "workforce"], "note": "names staffing"})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert page.count("Set by an analyst") == 2 and 'data-theme="workforce"' in page
    themes_classify()  # a later run of the rules keeps the analyst's choice
    assert set(WeaknessTheme.objects.filter(weakness=weakness).values_list("theme", flat=True)) == {"health_waiting", "workforce"}


def test_the_admin_lists_themes_read_only(admin_client):
    build(1)
    listing = admin_client.get("/admin/inspections/weaknesstheme/?theme=health_waiting")
    assert listing.status_code == 200 and "neurodevelopmental" in listing.content.decode()
    row = WeaknessTheme.objects.first()
    assert admin_client.post(f"/admin/inspections/weaknesstheme/{row.pk}/change/", {"theme": "other"}).status_code == 403
    assert admin_client.get("/admin/inspections/weaknesstheme/add/").status_code == 403
