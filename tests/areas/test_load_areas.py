"""load_areas / area_register_load, the selectors and the resolver on the loaded database."""

import datetime as dt

import pytest
from django.core.management import call_command

from areas.models import LocalArea
from areas.register import default_rows
from areas.resolver import AreaRegister
from areas.selectors import area_get_by_gss, area_predecessors, area_successors
from areas.services import area_register_load
from tests.factories import make_area

pytestmark = pytest.mark.django_db

LINKS = LocalArea.replaced_by.through


def _names(areas):
    return [area.name for area in areas]


def test_load_twice_gives_the_same_rows_and_links(capsys):
    call_command("load_areas")
    first = capsys.readouterr().out
    assert "161 areas: 161 created, 0 updated, 0 unchanged; replaced-by links: 11 added, 0 removed" in first
    counts = (LocalArea.objects.count(), LINKS.objects.count())
    call_command("load_areas")
    assert "161 areas: 0 created, 0 updated, 161 unchanged; replaced-by links: 0 added, 0 removed" in capsys.readouterr().out
    assert (LocalArea.objects.count(), LINKS.objects.count()) == counts == (161, 11)


def test_load_puts_back_an_edited_row_and_a_stray_link(areas):
    hull = areas["E06000010"]
    hull.name = "Hull (typo)"
    hull.save()
    hull.replaced_by.add(areas["E06000001"])
    summary = area_register_load(rows=default_rows())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 160)
    assert (summary.links_added, summary.links_removed) == (0, 1)
    hull.refresh_from_db()
    assert hull.name == "Kingston upon Hull" and not hull.replaced_by.exists()


def test_an_area_made_elsewhere_with_the_same_gss_code_is_updated_not_duplicated():
    made = make_area("Hartlepool BC", gss_code="E06000001", register_code="X1")
    summary = area_register_load(rows=default_rows())
    assert summary.created == 160 and summary.updated == 1
    made.refresh_from_db()
    assert (made.register_code, made.name, made.dfe_la_code) == ("HPL", "Hartlepool", "805")


def test_replaced_by_links(areas):
    assert _names(areas["E10000006"].replaced_by.order_by("name")) == ["Cumberland", "Westmorland and Furness"]
    assert _names(areas["E10000021"].replaced_by.order_by("name")) == ["North Northamptonshire", "West Northamptonshire"]
    assert _names(areas["E06000058"].replaced.order_by("name")) == ["Bournemouth", "Dorset County", "Poole"]
    assert _names(areas["E10000009"].replaced_by.order_by("name")) == ["Bournemouth, Christchurch and Poole", "Dorset"]


def test_successors_and_predecessors(areas):
    assert _names(area_successors(areas["E10000006"])) == ["Cumberland", "Westmorland and Furness"]
    assert _names(area_predecessors(areas["E06000063"])) == ["Cumbria"]
    assert _names(area_predecessors(areas["E06000058"])) == ["Bournemouth", "Dorset County", "Poole"]
    assert area_successors(areas["E06000001"]) == [] and area_predecessors(areas["E06000001"]) == []


def test_successors_and_predecessors_are_transitive_nearest_first():
    first, second, third = make_area("First"), make_area("Second"), make_area("Third")
    first.replaced_by.add(second)
    second.replaced_by.add(third)
    third.replaced_by.add(first)  # a mistaken cycle must not loop
    assert _names(area_successors(first)) == ["Second", "Third"]
    assert _names(area_predecessors(third)) == ["Second", "First"]


def test_area_get_by_gss(areas):
    assert area_get_by_gss("e06000010 ").name == "Kingston upon Hull"
    assert area_get_by_gss("E07000165") is None  # Harrogate, a district: not in the register


def test_the_register_from_the_database_resolves_and_sees_edits_at_once(areas):
    register = AreaRegister.from_db()
    assert len(register) == 161
    assert register.resolve("Hull").gss_code == "E06000010"
    assert AreaRegister.from_db() is register  # cached
    assert register.resolve("Dorset", on=dt.date(2017, 1, 23)).gss_code == "E10000009"
    assert register.get("E10000009").replaced_by == ("E06000058", "E06000059")
    hartlepool = areas["E06000001"]
    hartlepool.alt_names = [*hartlepool.alt_names, "The Monkey Hangers"]
    hartlepool.save()  # an admin edit: the signal clears the cache
    assert AreaRegister.from_db().resolve("Monkey Hangers").gss_code == "E06000001"


def test_admin_search_finds_alternative_names_and_gss_codes(areas, admin_client):
    def names(**params):
        response = admin_client.get("/admin/areas/localarea/", params)
        assert response.status_code == 200
        return {a.name for a in response.context["cl"].result_list}

    assert names(q="Hull City") == {"Kingston upon Hull"}
    assert names(q="E06000058") == {"Bournemouth, Christchurch and Poole"}
    assert names(region="North East", authority_type="metropolitan") == {
        "Gateshead", "Newcastle upon Tyne", "North Tyneside", "South Tyneside", "Sunderland",
    }  # fmt: skip
    assert names(in_force="former", region="South West") == {"Bournemouth", "Dorset County", "Poole", "Somerset"}
