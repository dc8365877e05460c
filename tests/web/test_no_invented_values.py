"""Property (issue 13, "done when"): over any facts, no page or export shows a date, outcome or count the
database does not hold — unknown stays unknown.

Hypothesis builds areas with inspections, WSOAs and revisits whose dates and outcomes may each be missing, some
marked needs review; then every date printed on the area's timeline, the lists and the CSV files must be one of
the dates stored for those facts, every "N months after" must be computed from two stored dates, every outcome
shown must be the stored one, and the lists' counts must equal the rows held.
"""

import csv
import datetime as dt
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areas.models import LocalArea
from inspections.facts.selectors import months_between
from inspections.models import Document, Inspection, Revisit, WrittenStatementOfAction
from inspections.vocabulary import OUTCOME_LABELS
from tests.factories import make_area, make_inspection, make_wsoa

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_read")]

MONTHS = "January February March April May June July August September October November December".split()
SHORT = [m[:3] for m in MONTHS]
LONG_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")
SHORT_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(SHORT) + r") (\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
GAP = re.compile(r"([\d.]+) months after the")

dates = st.one_of(st.none(), st.dates(min_value=dt.date(2016, 6, 1), max_value=dt.date(2025, 6, 1)))


@st.composite
def area_facts(draw):
    """One area's facts: an inspection (dates and outcome may be unknown), maybe a WSOA row, 0-2 revisits."""
    start = draw(dates)
    return {
        "start": start,
        "end": draw(st.one_of(st.none(), st.just(start + dt.timedelta(days=4)))) if start else None,
        "letter": draw(dates),
        "outcome": draw(st.sampled_from(["", "wsoa_required", "no_wsoa"])),
        "review": draw(st.booleans()),
        "wsoa": draw(st.one_of(st.none(), st.fixed_dictionaries({"required_on": dates, "fit": dates}))),
        "revisits": draw(st.lists(st.fixed_dictionaries({
            "start": dates, "letter": dates, "overall": st.sampled_from(["", "sufficient_all", "sufficient_some"]),
            "review": st.booleans(),
        }), max_size=2, unique_by=lambda r: r["start"])),
    }


def _build(facts: list[dict]) -> list[LocalArea]:
    areas = []
    for i, f in enumerate(facts):
        area = make_area(f"Prop {i}")
        inspection = make_inspection(area, start_date=f["start"], end_date=f["end"], letter_date=f["letter"],
                                     outcome=f["outcome"], needs_review=f["review"])
        if f["wsoa"] is not None:
            make_wsoa(inspection, required_on=f["wsoa"]["required_on"], fit_for_purpose_on=f["wsoa"]["fit"])
        for r in f["revisits"]:
            # Not make_revisit: its defaults add to the start date, which may be unknown here.
            Revisit.objects.create(inspection=inspection, kind="revisit", start_date=r["start"], letter_date=r["letter"],
                                   overall=r["overall"], needs_review=r["review"])
        areas.append(area)
    return areas


def _held_dates() -> set[dt.date]:
    held: set[dt.date] = set()
    for row in Inspection.objects.values_list("start_date", "end_date", "letter_date", "published_date",
                                              "previous_inspection_start", "previous_inspection_end"):
        held.update(d for d in row if d)
    for row in Revisit.objects.values_list("start_date", "end_date", "letter_date"):
        held.update(d for d in row if d)
    for row in WrittenStatementOfAction.objects.values_list("required_on", "fit_for_purpose_on"):
        held.update(d for d in row if d)
    held.update(d for d in LocalArea.objects.values_list("end_date", flat=True) if d)
    held.update(d for d in Document.objects.values_list("published_date", flat=True) if d)
    return held


def _shown_dates(text: str) -> set[dt.date]:
    shown = {dt.date(int(y), MONTHS.index(m) + 1, int(d)) for d, m, y in LONG_DATE.findall(text)}
    shown |= {dt.date(int(y), SHORT.index(m) + 1, int(d)) for d, m, y in SHORT_DATE.findall(text)}
    shown |= {dt.date(int(y), int(m), int(d)) for y, m, d in ISO_DATE.findall(text)}
    return shown


def _main(html: str) -> str:
    """The page's content without the footer (which carries no data) and without tags."""
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    # The print stamp (templates/_print_stamp.html) states when the page was printed and the data's date: the
    # clock, not a fact about an inspection.
    body = re.sub(r'<p class="print-only print-stamp">.*?</p>', "", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _reset() -> None:
    Revisit.objects.all().delete()
    WrittenStatementOfAction.objects.all().delete()
    Inspection.objects.all().delete()
    LocalArea.objects.all().delete()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=st.lists(area_facts(), min_size=1, max_size=3))
def test_pages_and_exports_show_only_held_values(client, facts):
    _reset()
    areas = _build(facts)
    held = _held_dates()
    all_dates: set[dt.date] = set(held)

    for area in areas:
        html = client.get(f"/areas/{area.gss_code}/").content.decode()
        text = _main(html)
        assert _shown_dates(text) <= held, (_shown_dates(text) - held, facts)
        # Every gap is months_between two held dates.
        pairs = {months_between(a, b) for a in all_dates for b in all_dates if a <= b}
        for months in GAP.findall(text):
            assert float(months) in pairs, (months, facts)

    for url in ("/inspections/", "/weaknesses/", "/areas/?include_former=true"):
        text = _main(client.get(url).content.decode())
        assert _shown_dates(text) <= held, (url, _shown_dates(text) - held)

    inspections_page = client.get("/inspections/")
    expected_rows = Inspection.objects.filter(is_placeholder=False).count() + Revisit.objects.count()
    assert inspections_page.context["page"].paginator.count == expected_rows
    summary = inspections_page.context["summary"]
    expected_review = (Inspection.objects.filter(is_placeholder=False, needs_review=True).count()
                       + Revisit.objects.filter(needs_review=True).count())
    assert summary.unconfirmed == expected_review
    # Every outcome shown is the one stored, in the vocabulary's words; an empty one is "Not recorded".
    stored = {(r["row_type"], r["row_id"]): r["row_outcome"] for r in inspections_page.context["rows"]}
    for key, outcome in stored.items():
        model = Inspection if key[0] == "inspection" else Revisit
        field = "outcome" if model is Inspection else "overall"
        assert getattr(model.objects.get(pk=key[1]), field) == outcome
    labels = {r["outcome_label"] for r in inspections_page.context["rows"]}
    assert labels <= set(OUTCOME_LABELS.values()) | {"Not recorded"}

    for name in ("inspections", "weaknesses", "areas"):
        body = b"".join(client.get(f"/exports/{name}.csv").streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(body)))
        if name == "inspections":
            assert len(rows) == expected_rows
        shown = _shown_dates(body)
        # Only the areas file computes a date (next_visit_due_by: a stated window, docs/CSV.md); the rest are held.
        if name == "areas":
            shown = {d for r in rows for k, v in r.items() if v and k != "next_visit_due_by" for d in _shown_dates(v)}
        assert shown <= held, (name, shown - held)
