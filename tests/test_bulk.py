"""sendtracker.bulk.update_rows stores exactly what Django's bulk_update stores, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from areas.models import LocalArea
from inspections.models import Inspection
from sendtracker import bulk
from tests.factories import make_area, make_document, make_inspection

FIELDS = ["start_date", "period_text", "outcome", "inspection_team", "confidence", "needs_review", "review_reasons",
          "source_document", "published_date"]


def _values(rows):
    return [tuple(getattr(r, Inspection._meta.get_field(f).attname) for f in FIELDS) for r in rows]


def _changed(rows, document):
    for n, row in enumerate(rows):
        row.start_date = dt.date(2017, 1, 1) + dt.timedelta(days=n) if n else None  # one undated row per area
        row.period_text = f"Spring {2017 + n} – “quoted”, it's" if n % 2 else ""
        row.outcome = "wsoa_required" if n % 2 else "wsoa_not_required"
        row.inspection_team = [{"name": f"Inspector {n}", "role": "HMI"}] if n % 2 else []
        row.confidence = 0.5 + n / 100
        row.needs_review = bool(n % 2)
        row.review_reasons = [f"reason {n}", "a; b"] if n % 2 else []
        row.source_document_id = document.pk if n % 2 else None
        row.published_date = None if n % 2 else dt.date(2018, 2, n + 1)
    return rows


@pytest.mark.django_db
def test_update_rows_stores_what_bulk_update_stores():
    area = make_area()
    document = make_document("text")
    rows = [make_inspection(area, start_date=dt.date(2016, 5, n + 1)) for n in range(7)]
    twins = [make_inspection(make_area(), start_date=dt.date(2016, 5, n + 1)) for n in range(7)]
    Inspection.all_objects.bulk_update(_changed(twins, document), FIELDS)
    with CaptureQueriesContext(connection) as queries:
        assert bulk.update_rows(Inspection, _changed(rows, document), FIELDS) == 7
    assert len(queries) == 1
    fresh = list(Inspection.all_objects.filter(pk__in=[r.pk for r in rows]).order_by("pk"))
    expected = list(Inspection.all_objects.filter(pk__in=[r.pk for r in twins]).order_by("pk"))
    assert _values(fresh) == _values(expected)
    assert fresh[1].period_text == "Spring 2018 – “quoted”, it's" and fresh[1].inspection_team[0]["name"] == "Inspector 1"
    assert fresh[0].start_date is None and fresh[1].start_date == dt.date(2017, 1, 2)


@pytest.mark.django_db
def test_update_rows_batches_and_refuses_what_it_cannot_write(monkeypatch):
    area = make_area()
    rows = [make_inspection(area, start_date=dt.date(2016, 5, n + 1)) for n in range(5)]
    monkeypatch.setattr(bulk, "BATCH", 2)
    for row in rows:
        row.lead_inspector = f"Lead {row.pk}"
    with CaptureQueriesContext(connection) as queries:
        bulk.update_rows(Inspection, rows, ["lead_inspector"])
    assert len(queries) == 3
    assert sorted(Inspection.all_objects.values_list("lead_inspector", flat=True)) == sorted(f"Lead {r.pk}" for r in rows)
    assert bulk.update_rows(Inspection, [], ["lead_inspector"]) == 0
    with pytest.raises(ValueError):
        bulk.update_rows(Inspection, rows, ["id"])


@pytest.mark.django_db
def test_update_rows_does_not_cut_a_value_too_long_for_its_column():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce a column's length")
    row = make_inspection(make_area(), start_date=dt.date(2016, 5, 1))
    row.period_text = "x" * 101
    from django.db import DataError, transaction

    with pytest.raises(DataError), transaction.atomic():
        bulk.update_rows(Inspection, [row], ["period_text"])


@pytest.mark.django_db
def test_insert_rows_stores_what_bulk_create_stores_and_sets_the_keys():
    """The same rows as bulk_create (None in every row of a column, JSON, dates, floats, auto_now_add), keys set."""
    area, twin_area = make_area(), make_area()
    document = make_document("text")

    def rows(area):
        return _changed([Inspection(area=area, framework="2016", kind="initial_inspection") for _ in range(4)], document)

    expected = Inspection.all_objects.bulk_create(rows(twin_area))
    with CaptureQueriesContext(connection) as queries:
        made = bulk.insert_rows(Inspection, rows(area))
    assert len(queries) == 1
    assert all(row.pk is not None and not row._state.adding for row in made)
    assert [r.pk for r in made] == sorted(r.pk for r in made)  # the keys of the rows in the order given
    fresh = list(Inspection.all_objects.filter(pk__in=[r.pk for r in made]).order_by("pk"))
    twins = list(Inspection.all_objects.filter(pk__in=[r.pk for r in expected]).order_by("pk"))
    assert _values(fresh) == _values(twins)
    assert [r.period_text for r in fresh] == [r.period_text for r in made]
    assert all(r.lead_inspector == "" for r in fresh)  # a field's default
    assert bulk.insert_rows(Inspection, []) == []
    with pytest.raises(ValueError):
        bulk.insert_rows(Inspection, fresh[:1])
    with pytest.raises(ValueError):  # a related object not saved yet, as bulk_create refuses it
        bulk.insert_rows(Inspection, [Inspection(area=LocalArea(name="unsaved"), framework="2016", kind="initial_inspection")])
    with pytest.raises(ValueError):  # a computed column needs one text per row
        bulk.insert_rows(Inspection, rows(area), computed={"period_text": ("upper({})", ["a"])})


@pytest.mark.django_db
def test_insert_rows_applies_auto_now_add_and_keeps_sql_null_apart_from_json_null():
    from django.contrib.contenttypes.models import ContentType

    from inspections.models import FieldCorrection

    kind = ContentType.objects.get_for_model(Inspection)
    made = bulk.insert_rows(FieldCorrection, [
        FieldCorrection(content_type=kind, object_id=n, action="confirm", username="a", old_value=None,
                        new_value={"n": n, "when": "2021-03-31"}) for n in range(3)])
    rows = list(FieldCorrection.objects.filter(pk__in=[r.pk for r in made]).order_by("pk"))
    assert [r.object_id for r in rows] == [0, 1, 2]
    assert all(r.created_at is not None and r.created_at == m.created_at for r, m in zip(rows, made))
    assert FieldCorrection.objects.filter(pk__in=[r.pk for r in made], old_value__isnull=True).count() == 3
    assert rows[2].new_value == {"n": 2, "when": "2021-03-31"}


@pytest.mark.django_db
def test_insert_rows_stores_a_computed_column_from_the_texts_given():
    if connection.vendor != "postgresql":
        pytest.skip("computed columns are PostgreSQL's (elsewhere the object's own value is stored)")
    area = make_area()
    made = bulk.insert_rows(Inspection, [Inspection(area=area, framework="2016", kind="initial_inspection",
                                                    start_date=dt.date(2017, 1, n + 1)) for n in range(2)],
                            computed={"period_text": ("upper({})", ["spring 2017", "summer 2017"])})
    assert list(Inspection.all_objects.filter(pk__in=[r.pk for r in made]).order_by("pk")
                .values_list("period_text", flat=True)) == ["SPRING 2017", "SUMMER 2017"]
