"""Paths as at a date (`inspections/paths/selectors.paths_as_at`): derived again from the stored facts by the one
`derive_path`, never stored, in a fixed number of queries; the stored path (today's) is left as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from inspections.models import AreaPath
from inspections.paths.derive import derive_path
from inspections.paths.selectors import area_facts, paths_as_at
from tests.factories import make_area, make_dataset, make_inspection, make_judgement, make_path, make_revisit, make_weakness

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_path_as_at_a_date_is_derive_path_of_the_same_facts_and_nothing_is_stored():
    area = make_area("Medway")
    inspection = make_inspection(area, start_date=D(2017, 3, 6), outcome="wsoa_required")
    weakness = make_weakness(inspection, 1)
    make_judgement(make_revisit(inspection, start_date=D(2019, 5, 13), overall="sufficient_all"), weakness, True)
    stored = AreaPath.objects.get(area=area)
    derived_at = stored.derived_at

    then = paths_as_at([area.pk], as_at=D(2018, 6, 30))[area.pk]
    assert then == derive_path(area_facts([area.pk])[area.pk], as_at=D(2018, 6, 30))
    assert (then.stage, then.wsoa_open, then.revisit_start) == ("wsoa_open", True, None)
    assert paths_as_at([area.pk], as_at=D(2019, 5, 13))[area.pk].stage == "revisit_sufficient"  # started that day
    stored.refresh_from_db()
    assert stored.stage == "revisit_sufficient" and stored.derived_at == derived_at


@pytest.mark.parametrize("areas", [2, 20])
def test_paths_as_at_read_six_queries_whatever_the_number_of_areas_and_one_when_asked_again(django_assert_num_queries, areas):
    rows = make_dataset(areas)
    ids = [r["area"].pk for r in rows]
    with django_assert_num_queries(6):  # the stored paths' stamp, then the facts (5)
        paths = paths_as_at(ids, as_at=D(2019, 6, 30))
    assert set(paths) == set(ids)
    with django_assert_num_queries(1):  # the same question, nothing changed: the answer kept
        assert paths_as_at(ids, as_at=D(2019, 6, 30)) is paths
    make_path(make_area("Later"))  # a fact changes: its area's path is re-derived, so the stamp moves
    with django_assert_num_queries(6):
        assert paths_as_at(ids, as_at=D(2019, 6, 30)) is not paths


def test_a_visit_known_only_to_the_month_counts_as_at_a_date_from_the_first_of_that_month():
    """Northamptonshire's 2016 inspection is dated "May 2017" only (a note of Ofsted's statistics) and no
    publication date: the areas list as at 31 March 2021 showed it "No inspection known" while the inspections list
    and the dashboard counted it (analysis/periods.py's rule, which the path as at a date now follows too)."""
    area = make_area("Northamptonshire")
    inspection = make_inspection(area, start_date=None, period_text="May 2017", date_precision="month",
                                 outcome="wsoa_required", source_kind="official")
    make_revisit(inspection, start_date=None, letter_date=None, period_text="February 2019", overall="sufficient_all")
    assert paths_as_at([area.pk], as_at=D(2017, 4, 30))[area.pk].stage == "not_inspected"
    assert paths_as_at([area.pk], as_at=D(2017, 5, 1))[area.pk].stage == "wsoa_open"
    assert paths_as_at([area.pk], as_at=D(2019, 1, 31))[area.pk].stage == "wsoa_open"
    assert paths_as_at([area.pk], as_at=D(2019, 2, 1))[area.pk].stage == "revisit_sufficient"
    assert AreaPath.objects.get(area=area).stage == "revisit_sufficient"
