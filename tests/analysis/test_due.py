"""due.py on hand-worked examples: which visit is next, its window, the date it is counted from, and what is
left out. Every expected date below was worked out by hand from the stated months."""

import datetime as dt

import pytest

from inspections.analysis.due import (
    Event,
    add_months,
    due_within,
    next_visit,
    read_expectations,
)

D = dt.date
FULL_3Y = "The next full area SEND inspection will be within approximately three years."
MONITORING_18 = "A monitoring inspection will be carried out within approximately 18 months."


def test_add_months_clamps_to_the_months_end():
    assert add_months(D(2023, 8, 31), 18) == D(2025, 2, 28)
    assert add_months(D(2022, 8, 31), 18) == D(2024, 2, 29)  # leap year
    assert add_months(D(2024, 1, 15), 36) == D(2027, 1, 15)
    assert add_months(D(2024, 11, 30), 2) == D(2025, 1, 30)


def test_read_expectations_reads_kind_months_and_what_it_counts_from():
    found = read_expectations(f"{MONITORING_18} {FULL_3Y}")
    assert [(e.kind, e.months) for e in found] == [("monitoring_inspection", 18), ("full_inspection", 36)]
    assert found[0].sentence == MONITORING_18
    five = read_expectations("The next full Area SEND inspection will be within approximately 5 years.")
    assert [(e.kind, e.months) for e in five] == [("full_inspection", 60)]
    prev = read_expectations("The next full area SEND inspection will be within approximately three years of the "
                             "previous full inspection.")
    assert prev[0].of_previous_full is True
    assert read_expectations("The next inspection will be within approximately several years.") == []
    assert read_expectations("") == []


def test_positive_2023_inspection_counts_five_years_from_its_last_day():
    events = [Event("full_inspection", 1, start=D(2023, 6, 5), end=D(2023, 6, 9), outcome="positive",
                    sentence="The next full area SEND inspection will be within approximately five years.")]
    v = next_visit(events)
    assert (v.kind, v.due_from, v.due_by, v.counted_from, v.months) == (
        "full_inspection", D(2023, 6, 9), D(2028, 6, 9), "inspection_end", 60)
    assert v.source == ("inspection", 1) and "five years" in v.sentence and not v.unconfirmed


def test_systemic_failings_next_is_the_monitoring_inspection_the_earlier_window():
    events = [Event("full_inspection", 7, start=D(2023, 9, 11), end=D(2023, 9, 15), outcome="systemic_failings",
                    sentence=f"{MONITORING_18} {FULL_3Y}", needs_review=True)]
    v = next_visit(events)
    assert (v.kind, v.due_from, v.due_by) == ("monitoring_inspection", D(2023, 9, 15), D(2025, 3, 15))
    assert v.unconfirmed  # the fact awaits review: counted, and said so


def test_after_monitoring_its_own_statement_wins_counted_from_what_it_names():
    full = Event("full_inspection", 7, start=D(2023, 9, 11), end=D(2023, 9, 15), sentence=f"{MONITORING_18} {FULL_3Y}")
    of_previous = Event("monitoring_inspection", 30, parent_id=7, start=D(2025, 2, 3), end=D(2025, 2, 5),
                        sentence="The next full area SEND inspection will be within approximately three years of "
                                 "the previous full inspection.")
    v = next_visit([full, of_previous])
    assert (v.kind, v.due_from, v.due_by, v.source) == ("full_inspection", D(2023, 9, 15), D(2026, 9, 15), ("revisit", 30))
    of_this = Event("monitoring_inspection", 31, parent_id=7, start=D(2025, 2, 3), end=D(2025, 2, 5),
                    sentence="The next full area SEND inspection will be within approximately 18 months of this "
                             "monitoring inspection.")
    v = next_visit([full, of_this])
    assert (v.due_from, v.due_by) == (D(2025, 2, 5), D(2026, 8, 5))
    silent = Event("monitoring_inspection", 32, parent_id=7, start=D(2025, 2, 3), end=D(2025, 2, 5))
    v = next_visit([full, silent])  # the monitoring report says nothing: the full inspection's 3 years stand
    assert (v.kind, v.due_by, v.source) == ("full_inspection", D(2026, 9, 15), ("inspection", 7))


def test_end_date_unknown_falls_back_to_publication_then_letter_then_left_out():
    base = dict(kind="full_inspection", fact_id=1, start=D(2024, 1, 8), sentence=FULL_3Y)
    v = next_visit([Event(**base, published=D(2024, 3, 1), letter=D(2024, 2, 20))])
    assert (v.counted_from, v.due_from, v.due_by) == ("publication", D(2024, 3, 1), D(2027, 3, 1))
    v = next_visit([Event(**base, letter=D(2024, 2, 20))])
    assert (v.counted_from, v.due_by) == ("letter", D(2027, 2, 20))
    v = next_visit([Event(**base)])
    assert (v.due_from, v.due_by, v.reason, v.months) == (None, None, "date counted from unknown", 36)


def test_2016_paths_state_no_window_so_no_date_is_invented():
    wsoa = Event("initial_inspection", 3, start=D(2017, 3, 6), end=D(2017, 3, 10), outcome="wsoa_required")
    v = next_visit([wsoa])
    assert (v.kind, v.due_by, v.reason) == ("revisit", None, "the letter states no window for the revisit")
    revisited = [wsoa, Event("revisit", 4, parent_id=3, start=D(2018, 10, 1), end=D(2018, 10, 3))]
    v = next_visit(revisited)
    assert (v.kind, v.due_by) == ("full_inspection", None)
    assert "2023-framework" in v.reason
    stated = Event("initial_inspection", 5, start=D(2017, 3, 6), end=D(2017, 3, 10), outcome="wsoa_required",
                   sentence="Ofsted and CQC will revisit the area within approximately 18 months.")
    assert next_visit([stated]).due_by == D(2018, 9, 10)
    assert next_visit([]).reason == "no inspection known"


def test_the_latest_full_inspection_is_the_one_that_counts():
    old = Event("full_inspection", 1, start=D(2018, 1, 8), end=D(2018, 1, 12), sentence=FULL_3Y)
    new = Event("full_inspection", 2, start=D(2024, 5, 13), end=D(2024, 5, 17), sentence=FULL_3Y)
    assert next_visit([new, old]).due_by == D(2027, 5, 17)


def test_due_within_splits_overdue_due_later_and_unknown():
    today = D(2025, 6, 1)
    visits = {
        1: next_visit([Event("full_inspection", 1, end=D(2022, 1, 10), sentence=FULL_3Y)]),  # due 2025-01-10: overdue
        2: next_visit([Event("full_inspection", 2, end=D(2022, 9, 1), sentence=FULL_3Y)]),  # 2025-09-01: in 92 days
        3: next_visit([Event("full_inspection", 3, end=D(2023, 9, 1), sentence=FULL_3Y)]),  # 2026-09-01: later
        4: next_visit([]),  # unknown
    }
    rows, left_out = due_within(visits, today=today, months=6)
    assert [(r.area_id, r.status, r.days) for r in rows] == [(1, "overdue", -142), (2, "due", 92)]
    assert left_out == {"unknown": 1, "later": 1}
    rows, left_out = due_within(visits, today=today, months=0)
    assert [r.area_id for r in rows] == [1] and left_out == {"unknown": 1, "later": 2}
    with pytest.raises(ValueError):
        due_within(visits, today=today, months=-1)
