"""/areas/, /inspections/, /weaknesses/: stages, filters, sorting, pagination, access and query bounds."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from inspections.models import SignificantWeakness
from inspections.facts.selectors import area_list, inspection_rows, stage_label, weakness_rows
from tests.factories import (
    make_area,
    make_dataset,
    make_inspection,
    make_path,
    make_revisit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_read")]

LIST_MAX_QUERIES = 3  # count + page rows (+ page details, /inspections/); regions are a fixed set, no query


def _areas(**filters):
    return {row["name"]: row for row in area_list(filters=filters)}


def test_stage_labels_follow_the_path():
    make_path(make_area("Revisited"), weaknesses=4, sufficient=3)
    make_path(make_area("Open"), revisit=False)
    make_path(make_area("Newer"), with_2023=True)
    make_inspection(make_area("Clean"), outcome="no_wsoa", start_date=dt.date(2016, 11, 7))
    make_area("Never")
    rows = _areas()
    # One vocabulary (issue 13 item 9): the dashboard key's words first, the records' detail in brackets.
    assert stage_label(rows["Revisited"]) == "Revisit: not sufficient in all (3 of 4 weaknesses judged sufficient)"
    assert rows["Revisited"]["stage"] == "revisit_insufficient"
    assert stage_label(rows["Open"]) == "2016: WSOA required, no revisit yet (inspected 2017)"
    assert rows["Open"]["wsoa_open"] is True or rows["Open"]["wsoa_open"] == 1
    assert stage_label(rows["Newer"]) == "2023: inconsistent"
    assert stage_label(rows["Clean"]) == "2016: no WSOA required (inspected 2016)"
    assert stage_label(rows["Never"]) == "No inspection known"  # nothing held, nothing named (issue 11 item 4)


def test_stage_matches_the_dashboard_status():
    """A click on a dashboard colour lands on /areas/?stage=<key>: both must count the same areas."""
    from inspections.analysis.selectors import area_statuses

    make_dataset(12)
    statuses, _ = area_statuses()
    for row in area_list(filters={}):
        assert statuses[row["id"]] == row["stage"], row["name"]


def test_area_filters():
    make_path(make_area("Hartlepool", region="North East"), revisit=False)
    make_path(make_area("Medway", region="South East", authority_type="unitary"), weaknesses=2, sufficient=2)
    make_path(make_area("Kent", region="South East", authority_type="county"), with_2023=True)
    make_area("Cumbria", region="North West", end_date=dt.date(2023, 3, 31))
    assert set(_areas(region="South East")) == {"Medway", "Kent"}
    assert set(_areas(authority_type="county")) == {"Kent"}
    assert set(_areas(framework="2023")) == {"Kent"}
    assert set(_areas(stage="wsoa_open")) == {"Hartlepool"}
    assert set(_areas(wsoa_open="true")) == {"Hartlepool"}
    assert set(_areas(stage="revisit_sufficient")) == {"Medway"}
    assert set(_areas(revisit_result="sufficient_all")) == {"Medway"}
    assert set(_areas(latest_outcome="inconsistent")) == {"Kent"}
    assert set(_areas(q="medw")) == {"Medway"}
    assert "Cumbria" not in _areas()
    assert "Cumbria" in _areas(include_former="true")


def test_area_free_text_finds_alternative_names():
    make_area("Kingston upon Hull, City of", alt_names=["Hull", "Kingston upon Hull"])
    make_area("Hartlepool")
    assert set(_areas(q="hull")) == {"Kingston upon Hull, City of"}


def test_area_sorting():
    make_inspection(make_area("B"), start_date=dt.date(2018, 1, 1))
    make_inspection(make_area("A"), start_date=dt.date(2017, 1, 1))
    make_area("C")
    assert list(_areas(sort="-name")) == ["C", "B", "A"]
    assert list(_areas(sort="-date")) == ["B", "A", "C"]  # never inspected: last either way
    assert list(_areas(sort="date")) == ["A", "B", "C"]


def test_inspection_rows_include_revisits_and_monitoring():
    path = make_path(make_area("Medway"), weaknesses=4, sufficient=3, with_2023=True)
    rows = list(inspection_rows(filters={"sort": "date"}))
    assert [r["row_kind"] for r in rows] == ["initial_inspection", "revisit", "full_inspection", "monitoring_inspection"]
    initial, revisit, _full, _monitoring = rows
    assert initial["weakness_count"] == 4 and initial["wsoa_required"] == "true"
    assert revisit["row_outcome"] == "sufficient_some" and revisit["weakness_count"] == 4
    assert revisit["row_framework"] == "2016" and revisit["area_gss_code"] == path["area"].gss_code
    assert initial["source_file"] == path["document"].original_name


def test_inspection_filters():
    make_path(make_area("Hartlepool", region="North East"), sufficient=4, weaknesses=4)
    secondary = make_inspection(make_area("Middlesbrough", region="North East"), start_date=dt.date(2019, 5, 1),
                                source_kind="secondary", needs_review=True)
    make_path(make_area("Medway", region="South East"), with_2023=True, revisit=False)

    def names(**f):
        return sorted((r["area_name"], r["row_kind"]) for r in inspection_rows(filters=f))

    assert names(kind="revisit") == [("Hartlepool", "revisit")]
    assert names(outcome="sufficient_all") == [("Hartlepool", "revisit")]
    assert names(year="2019") == [("Middlesbrough", "initial_inspection")]
    assert names(source_kind="secondary") == names(needs_review="true") == [("Middlesbrough", "initial_inspection")]
    assert names(framework="2023") == [("Medway", "full_inspection"), ("Medway", "monitoring_inspection")]
    assert {n for n, _ in names(region="North East")} == {"Hartlepool", "Middlesbrough"}
    assert names(area=secondary.area.gss_code) == names(area="middles")


def test_weakness_rows_one_per_judgement(judged_twice):
    rows = [(r["number"], r["judgement"], r["judged_on"]) for r in weakness_rows(filters={"sort": "judged_on"})]
    assert sorted(rows, key=lambda r: (r[0], r[2] or dt.date.max)) == [
        (1, "insufficient", dt.date(2018, 10, 1)),
        (1, "sufficient", dt.date(2020, 2, 3)),
        (2, "empty", None),
    ]
    assert [r["number"] for r in weakness_rows(filters={"judgement": "empty"})] == [judged_twice["never"].number]
    assert [r["judged_on"] for r in weakness_rows(filters={"judgement": "sufficient"})] == [dt.date(2020, 2, 3)]


def test_weakness_filters():
    make_path(make_area("Hartlepool"), weaknesses=2, sufficient=1)
    path = make_path(make_area("Kent", region="South East"), revisit=False, with_2023=True)
    path["weaknesses"][0].text = "Co-production with parents is weak"
    path["weaknesses"][0].save()
    assert [r["area_name"] for r in weakness_rows(filters={"text": "co-production"})] == ["Kent"]
    # The search's matcher: every spelling of the word finds it, and exclusions work as they do in search.
    for spelling in ("coproduction", "co-producing", "Co-Production"):
        assert [r["area_name"] for r in weakness_rows(filters={"text": spelling})] == ["Kent"], spelling
    left = [r["text"] for r in weakness_rows(filters={"text": "-coproduction"})]
    assert left and "Co-production with parents is weak" not in left
    assert {r["weakness_kind"] for r in weakness_rows(filters={"framework": "2023"})} == {"priority_action"}
    assert {r["area_name"] for r in weakness_rows(filters={"kind": "priority_action"})} == {"Kent"}
    assert len(list(weakness_rows(filters={"area": "hartlepool", "judgement": "insufficient"}))) == 1
    assert {r["area_name"] for r in weakness_rows(filters={"year": "2024"})} == {"Kent"}
    assert {r["area_name"] for r in weakness_rows(filters={"region": "South East"})} == {"Kent"}


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="PostgreSQL's pg_trgm index (set DATABASE_URL)")
def test_weakness_text_filter_uses_trigram_index():
    """`text` matches as the search page does (its stored vector on PostgreSQL); a text with no word to search for
    (one letter) falls back to icontains, which migration inspections/0006 serves with a gin_trgm_ops index of
    upper(text), so the substring match need not read every row."""
    path = make_path(make_area("Kent"), revisit=False)
    path["weaknesses"][0].text = "Weak CO-PRODUCTION with parents"
    path["weaknesses"][0].save()
    rows = weakness_rows(filters={"text": "co-production"})
    assert [r["area_name"] for r in rows] == ["Kent"]
    with connection.cursor() as cursor:
        # A handful of test rows would be read in full (or in key order) anyway: leave the planner only the bitmap.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        # The filter's own lookup on the weakness table (the list joins and sorts around it).
        sql, params = SignificantWeakness.objects.filter(text__icontains="co-production").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "inspections_weakness_text_trgm" in plan


@pytest.mark.parametrize("url", ["/areas/", "/inspections/", "/weaknesses/"])
def test_list_pages_render_filters_sorting_and_csv_link(client, url):
    make_path(make_area("Hartlepool", region="North East"))
    response = client.get(url, {"region": "North East", "sort": "-date"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hartlepool" in html
    assert "<caption>" in html and 'scope="col"' in html and 'aria-sort="descending"' in html
    export = url.strip("/")
    assert f'href="/exports/{export}.csv?region=North+East&amp;sort=-date"' in html
    assert 'name="region"' in html and "selected" in html
    assert "[invalid name]" not in html


def test_pagination_keeps_filters(client):
    for i in range(55):
        make_area(f"Area {i:02d}", region="London")
    response = client.get("/areas/", {"region": "London", "sort": "name"})
    html = response.content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?region=London&amp;sort=name&amp;page=2"' in html
    second = client.get("/areas/", {"region": "London", "sort": "name", "page": 2}).content.decode()
    assert "Area 54" in second and "Area 00" not in second


def test_invalid_filter_value_shows_error_not_500(client):
    make_area("Hartlepool")
    response = client.get("/inspections/", {"kind": "nonsense", "year": "abc"})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


@pytest.mark.parametrize("url", ["/areas/", "/inspections/", "/weaknesses/"])
def test_unknown_region_is_an_error_not_an_empty_list(client, django_assert_max_num_queries, url):
    make_path(make_area("Hartlepool", region="North East"))
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        html = client.get(url, {"region": "Atlantis"}).content.decode()
    # Issue 13 item 2: the bad filter is named and NO rows are shown (never every row in its place).
    assert 'class="error"' in html and "Hartlepool" not in html
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        assert "Hartlepool" in client.get(url, {"region": "North East"}).content.decode()


@pytest.mark.parametrize("url", ["/areas/", "/inspections/", "/weaknesses/"])
def test_read_pages_need_login_when_not_public(client, settings, url):
    settings.PUBLIC_READ = False
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)
    client.force_login(get_user_model().objects.create_user("analyst"))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/areas/", "/inspections/", "/weaknesses/", "/areas/?stage=revisit_insufficient&framework=2016&q=a"])
def test_list_queries_bounded_at_1x_and_10x(client, django_assert_max_num_queries, url):
    counts = []
    for size in (3, 30):
        make_dataset(size)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        client.get(url)


def test_placeholders_are_inspection_rows_saying_which_later_document_they_are_known_from():
    """Issue 19 item 4: a visit known only from a later document is a record of its own, listed and exported with
    a column naming that document (it was once left out, and the analysis called the area "not inspected")."""
    from tests.factories import make_document

    area = make_area("Redcar and Cleveland")
    later = make_document(name="redcar-revisit.pdf")
    placeholder = make_inspection(area, start_date=None, is_placeholder=True, document=later)
    make_revisit(placeholder, start_date=dt.date(2021, 11, 22), overall="sufficient_all")
    rows = sorted((r["row_kind"], r["area_name"], r["row_known_from"]) for r in inspection_rows())
    assert rows == [("initial_inspection", "Redcar and Cleveland", "redcar-revisit.pdf"),
                    ("revisit", "Redcar and Cleveland", "")]


def test_rejected_judgement_is_not_a_row():
    path = make_path(make_area("Medway"), weaknesses=2, sufficient=1)
    path["judgements"][0].rejected = True
    path["judgements"][0].save()
    rows = sorted((r["number"], r["judgement"]) for r in weakness_rows())
    assert rows == [(1, "empty"), (2, "insufficient")]


@pytest.mark.parametrize("sort", ["-date", "area", "kind", "-outcome", "weaknesses"])
def test_inspection_page_rows_equal_the_export_rows(sort):
    """The page reads keys then details (PagedRows); every page must be the export's rows, in its order."""
    make_dataset(40)
    rows = inspection_rows(filters={"sort": sort})
    streamed = list(rows.iterator())
    assert rows.count() == len(streamed) > 50
    assert list(rows[0:50]) + list(rows[50:200]) == streamed


def test_inspections_list_links_documents_only_for_readers_who_may_open_them(client):
    from django.contrib.auth.models import Permission

    from tests.factories import make_document

    document = make_document(name="hartlepool-letter.pdf")
    make_inspection(make_area("Hartlepool"), document=document)
    link = f'href="/documents/{document.pk}/"'
    html = client.get("/inspections/").content.decode()
    # Issue 13 item 13: the source is named by what it is, not by its stored file name.
    assert "Ofsted/CQC letter or report on Hartlepool" in html and link not in html
    assert "hartlepool-letter.pdf" not in html
    analyst = get_user_model().objects.create_user("a", password="pw")
    analyst.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(analyst)
    assert link in client.get("/inspections/").content.decode()


def test_an_area_named_whole_is_that_area_not_every_name_containing_it():
    """`area=York` is York, not North Yorkshire; `area=Hull` (an alternative name) is Kingston upon Hull, not
    Solihull; a whole name also finds the areas whose name begins with it as a word (Dorset and the former Dorset
    County), never one only linked to it (the county covered part of Bournemouth, Christchurch and Poole); a part
    of a name still finds every area it is part of. The same on the areas, inspections and weaknesses lists."""
    for name, alt in (("York", []), ("North Yorkshire", []), ("Kingston upon Hull", ["Hull", "Hull City Council"]),
                      ("Solihull", []), ("Derby", []), ("Derbyshire", []), ("Dorset", []),
                      ("Dorset County", ["Dorset County Council"]), ("Bournemouth, Christchurch and Poole", ["BCP"]),
                      ("Lincolnshire", []), ("North Lincolnshire", [])):
        make_path(make_area(name, alt_names=alt), weaknesses=1, sufficient=1)
    from areas.models import LocalArea

    county = LocalArea.objects.get(name="Dorset County")
    county.replaced_by.set(LocalArea.objects.filter(name__in=["Dorset", "Bournemouth, Christchurch and Poole"]))

    def everywhere(value):
        areas = set(_areas(area=value))
        inspections = {r["area_name"] for r in inspection_rows(filters={"area": value})}
        weaknesses = {r["area_name"] for r in weakness_rows(filters={"area": value})}
        assert areas == inspections == weaknesses, value
        return areas

    assert everywhere("York") == everywhere("york ") == {"York"}
    assert everywhere("Hull") == everywhere("hull city council") == {"Kingston upon Hull"}
    assert everywhere("Derby") == {"Derby"}
    assert everywhere("Lincolnshire") == {"Lincolnshire"}
    assert everywhere("Dorset") == {"Dorset", "Dorset County"}  # the council and the county named after it
    assert everywhere("BCP") == {"Bournemouth, Christchurch and Poole"}  # not the county that covered part of it
    assert everywhere("Dorset County Council") == {"Dorset County"}
    assert everywhere("yorkshire") == {"North Yorkshire"}  # a part of a name: every area it is part of
    assert everywhere("derb") == {"Derby", "Derbyshire"}
    assert everywhere("50%") == set()  # LIKE's wildcards are the text's own characters
    assert everywhere(_areas()["Solihull"]["gss_code"]) == {"Solihull"}
