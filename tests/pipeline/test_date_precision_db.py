"""Visits dated only to the month or the year, end to end: store -> pipeline -> fact tables -> the area's timeline.

The day is never invented: start_date stays empty, the period is kept as written with its precision, and the
timeline shows it as the text gave it. A numeric letter date is read day first (UK order).
"""

from __future__ import annotations

import io
from datetime import date

import pytest

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def public_read(settings):
    """Read-only pages open to anonymous users, as in DEBUG."""
    settings.PUBLIC_READ = True


def ingest(text: str, name: str):
    from inspections.models import Document
    from inspections.pipeline.run import ingest_document
    from inspections.pipeline.store import document_store

    document = document_store(stream=io.BytesIO(text.encode("utf-8")), original_name=name)
    report = ingest_document(document.pk)
    document.refresh_from_db()
    assert document.status in {Document.Status.DONE, Document.Status.NEEDS_REVIEW}, report
    return document


def test_a_revisit_and_its_inspection_known_to_the_month_are_stored_with_their_precision(areas, client, public_read):
    from inspections.models import Inspection, Revisit

    text = (
        "SEND services in Salford were inspected by Ofsted and the CQC in June 2017, when six areas of weakness were "
        "identified.\n\nInspectors re-visited Salford in May 2019 and found sufficient progress made in the following two "
        "areas:\n\n  • Joint commissioning of services.\n\n  • The local offer.\n\nWhat happens next\n"
    )
    ingest(text, "salford_months.txt")
    (revisit,) = Revisit.objects.all()
    assert (revisit.start_date, revisit.period_text, revisit.date_precision) == (None, "May 2019", "month")
    assert revisit.overall == "sufficient_some" and revisit.source_kind == "secondary"
    inspection = Inspection.objects.get(pk=revisit.inspection_id)
    assert (inspection.start_date, inspection.period_text, inspection.date_precision) == (None, "June 2017", "month")
    page = client.get(f"/areas/{inspection.area.gss_code}/").content.decode()
    assert "May 2019 (only the month is stated)" in page
    assert "June 2017 (only the month is stated)" in page


def test_an_inspection_with_its_dates_is_at_day_precision(areas):
    from inspections.models import Inspection

    ingest("Ofsted and the CQC inspected SEND services in Trafford between 4 and 8 March 2019. A written statement of "
           "action was required.", "trafford_days.txt")
    (inspection,) = Inspection.objects.all()
    assert (inspection.start_date, inspection.period_text, inspection.date_precision) == (date(2019, 3, 4), "", "day")


def test_a_numeric_letter_date_is_read_day_first(areas):
    from inspections.models import Inspection, Revisit
    from tests.conftest import FIXTURES

    seed = (FIXTURES / "seeds" / "001_3cc412fc11709ace.txt").read_text(encoding="utf-8")
    assert "\n7 January 2022\n" in seed
    ingest(seed.replace("\n7 January 2022\n", "\n07/01/2022\n"), "numeric_date.txt")
    dated = [r.letter_date for r in [*Inspection.objects.filter(is_placeholder=False), *Revisit.objects.all()] if r.letter_date]
    assert dated == [date(2022, 1, 7)]  # never "Letter: not known"


def test_the_inspections_list_shows_a_month_only_visit_as_written(areas, client, public_read):
    ingest("Special educational needs services in Salford were inspected by Ofsted and the Care Quality Commission in "
           "January 2017. The council was told to provide a written statement of action.", "salford_list.txt")
    page = client.get("/inspections/").content.decode()
    assert "January 2017" in page
