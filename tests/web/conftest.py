import datetime as dt

import pytest

from tests.factories import make_area, make_inspection, make_judgement, make_revisit, make_weakness


@pytest.fixture
def public_read(settings):
    """Read-only pages open to anonymous users, as in DEBUG (sendtracker/access.py)."""
    settings.PUBLIC_READ = True


@pytest.fixture
def judged_twice(db) -> dict:
    """Medway's 2017 inspection with two weaknesses: no. 1 judged at two revisits (insufficient on 1 October 2018,
    then sufficient on 3 February 2020), no. 2 never judged. Its text is a formula, for the CSV escaping test."""
    inspection = make_inspection(make_area("Medway", gss_code="E06000035"), start_date=dt.date(2017, 3, 6))
    twice = make_weakness(inspection, 1, text="=HYPERLINK(\"evil\")")
    never = make_weakness(inspection, 2, text="Never revisited")
    make_judgement(make_revisit(inspection, start_date=dt.date(2018, 10, 1)), twice, False)
    make_judgement(make_revisit(inspection, start_date=dt.date(2020, 2, 3)), twice, True)
    return {"inspection": inspection, "twice": twice, "never": never}
