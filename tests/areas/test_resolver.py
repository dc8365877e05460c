"""The name resolver on the committed register table: no database, so every name is checked in well under a second."""

import datetime as dt
import json

import pytest

from areas.register import area_records, default_rows
from areas.resolver import AreaRecord, AreaRegister, normalise
from tests.conftest import SEEDS, SHARED

REGISTER = AreaRegister(area_records(default_rows()))

# The only names the register itself gives to more than one area: a county and the unitary that replaced
# it on the same ground. Without a date they are "several"; with one, the area in force wins.
AMBIGUOUS = {
    "dorset": {"E10000009", "E06000059"},
    "buckinghamshire": {"E10000002", "E06000060"},
    "north yorkshire": {"E10000023", "E06000065"},
    "somerset": {"E10000027", "E06000066"},
}


def _a_day_in_force(record: AreaRecord) -> dt.date:
    return record.end_date or record.start_date or dt.date(2024, 1, 1)


def test_every_name_and_alternative_name_resolves_to_its_own_area_or_to_the_registers_own_ambiguity():
    checked, ambiguous = 0, set()
    for record in REGISTER.records:
        for value in (record.name, *record.alt_names):
            result = REGISTER.resolve(value)
            if result.ok:
                assert result.gss_code == record.gss_code, (value, result)
                assert result.score == 100.0
            else:
                assert set(result.candidates) == AMBIGUOUS[normalise(value)], (value, result)
                ambiguous.add((value, record.gss_code))
            checked += 1
    assert checked > 500  # names and spellings from mySociety, the Ofsted lookup and our own additions
    # Only the bare place name is shared; "Dorset County Council", "North Yorkshire Council" etc. are not.
    assert ambiguous == {
        ("Dorset", "E06000059"),
        ("Buckinghamshire", "E06000060"),
        ("North Yorkshire", "E06000065"),
        ("North Yorkshire", "E10000023"),
        ("Somerset", "E06000066"),
        ("Somerset", "E10000027"),
    }


def test_every_name_resolves_to_its_own_area_on_a_day_it_was_in_force():
    for record in REGISTER.records:
        on = _a_day_in_force(record)
        for value in (record.name, *record.alt_names):
            assert REGISTER.resolve(value, on=on).gss_code == record.gss_code, (value, on)


def test_no_other_name_is_shared_between_areas():
    shared = {}
    for record in REGISTER.records:
        for value in (record.name, *record.alt_names):
            shared.setdefault(normalise(value), set()).add(record.gss_code)
    assert {key: codes for key, codes in shared.items() if len(codes) > 1} == AMBIGUOUS


@pytest.mark.parametrize(
    ("name", "gss_code"),
    [
        ("Kingston upon Hull", "E06000010"),
        ("Hull", "E06000010"),
        ("Kingston Upon Hull, City of", "E06000010"),
        ("Telford & Wrekin", "E06000020"),
        ("Redcar & Cleveland", "E06000003"),
        ("Stockton-on-Tees Local Area Partnership", "E06000004"),
        ("Bournemouth, Christchurch and Poole", "E06000058"),
        ("Bristol", "E06000023"),
        ("City of York", "E06000014"),
        ("Herefordshire", "E06000019"),
        ("St Helens", "E08000013"),
        ("St. Helens", "E08000013"),
        ("Southend-on-Sea", "E06000033"),
        ("Windsor and Maidenhead", "E06000040"),
        ("Royal Borough of Windsor & Maidenhead", "E06000040"),
        ("Brighton and Hove", "E06000043"),
        ("Richmond upon Thames", "E09000027"),
        ("London Borough of Richmond-upon-Thames", "E09000027"),
        ("Isles of Scilly", "E06000053"),
        ("City of London", "E09000001"),
        ("London Corporation", "E09000001"),
        ("County Durham", "E06000047"),
        ("Hertfordshire SEND", "E10000015"),
        ("the local area of Kirklees", "E08000034"),
        ("Cumbria", "E10000006"),
        ("Northamptonshire", "E10000021"),
        ("West Northamptonshire", "E06000062"),
        ("Westmorland and Furness", "E06000064"),
    ],
)
def test_named_examples(name, gss_code):
    result = REGISTER.resolve(name)
    assert result.ok and result.gss_code == gss_code, result
    assert result.score == 100.0


@pytest.mark.parametrize(
    "district",
    ["Harrogate", "South Northamptonshire", "Northampton", "South Somerset", "East Hertfordshire", "Christchurch",
     "Richmondshire", "Gloucester", "London", "Greater Manchester"],
)  # fmt: skip
def test_a_district_or_other_non_send_body_does_not_resolve(district):
    result = REGISTER.resolve(district)
    assert not result.ok
    assert result.reason == f"no area matches {district!r}"
    assert result.candidates == ()


@pytest.mark.parametrize(
    ("name", "on", "gss_code"),
    [
        ("Dorset", dt.date(2017, 1, 23), "E10000009"),  # the county's 2016-framework inspection
        ("Dorset", dt.date(2024, 3, 11), "E06000059"),
        ("Dorset County Council", dt.date(2018, 3, 11), "E10000009"),
        ("Dorset Council", dt.date(2020, 1, 1), "E06000059"),
        # One area is so called, but it did not exist on the date: never the answer (issue 12, kind 7).
        ("Dorset County Council", dt.date(2024, 3, 11), None),
        ("Dorset Council", dt.date(2016, 1, 1), None),
        ("North Yorkshire County Council", None, "E10000023"),
        ("North Yorkshire", dt.date(2023, 3, 31), "E10000023"),
        ("North Yorkshire", dt.date(2023, 4, 1), "E06000065"),
        ("Somerset", dt.date(2022, 5, 9), "E10000027"),
        ("Somerset", dt.datetime(2024, 1, 1, 9, 30), "E06000066"),
        ("Buckinghamshire", dt.date(2019, 5, 1), "E10000002"),
        ("Buckinghamshire", dt.date(2020, 4, 1), "E06000060"),
    ],
)
def test_a_shared_name_is_settled_by_the_date(name, on, gss_code):
    assert REGISTER.resolve(name, on=on).gss_code == gss_code


def test_the_date_choice_is_explained():
    result = REGISTER.resolve("North Yorkshire", on=dt.date(2019, 6, 1))
    assert result.reason == (
        "matched 'North Yorkshire' to North Yorkshire (E10000023, the one in force on 2019-06-01; "
        "not North Yorkshire (E06000065))"
    )
    assert set(result.candidates) == AMBIGUOUS["north yorkshire"]


def test_a_former_authority_is_never_matched_after_its_end_and_the_reason_names_its_successors():
    # Issue 12, kind 7: "Cumbria" for a 2024 inspection is one of its successors, and the text does not say which.
    result = REGISTER.resolve("Cumbria", on=dt.date(2024, 5, 1))
    assert not result.ok and result.candidates == ("E10000006",)
    assert result.reason == (
        "'Cumbria' names Cumbria, which no longer existed on 2024-05-01 (it ended on 2023-03-31; "
        "its successors are E06000063, E06000064)"
    )
    early = REGISTER.resolve("West Northamptonshire", on=dt.date(2019, 5, 1))
    assert not early.ok and "did not exist yet on 2019-05-01 (it began on 2021-04-01)" in early.reason
    assert REGISTER.resolve("Northamptonshire", on=dt.date(2022, 6, 6)).gss_code is None
    assert REGISTER.resolve("Northamptonshire", on=dt.date(2019, 6, 6)).gss_code == "E10000021"


def test_a_dated_authority_matched_without_a_date_carries_a_warning():
    result = REGISTER.resolve("Cumbria")
    assert result.gss_code == "E10000006" and "existed only from its start to 2023-03-31" in result.warning
    assert REGISTER.resolve("Rutland").warning == ""


def test_several_matches_are_named_and_not_guessed():
    result = REGISTER.resolve("Dorset")
    assert not result.ok and result.gss_code is None
    assert result.candidates == ("E10000009", "E06000059")
    assert result.reason == (
        "'Dorset' matches several areas: Dorset County (E10000009), Dorset (E06000059) "
        "(no date given to choose between them)"
    )


def test_alternative_names_are_labelled_in_the_reason():
    assert REGISTER.resolve("Hull").reason == "matched 'Hull' to Kingston upon Hull (alternative name)"
    assert REGISTER.resolve("Hartlepool").reason == "matched 'Hartlepool' to Hartlepool"


def test_a_misspelling_matches_by_fuzzy_score_with_a_lower_score():
    result = REGISTER.resolve("Middlesborough")
    assert result.gss_code == "E06000002"
    assert 90 <= result.score < 100
    assert "fuzzy match" in result.reason


def test_a_fuzzy_near_tie_is_reported_as_several():
    register = AreaRegister(
        [AreaRecord("E06000901", "Barchester", (), None, None), AreaRecord("E06000902", "Barchestor", (), None, None)]
    )
    result = register.resolve("Barchestar")
    assert not result.ok
    assert set(result.candidates) == {"E06000901", "E06000902"}
    assert result.reason.startswith("'Barchestar' is about equally close to several areas: ")


@pytest.mark.parametrize("empty", ["", "   ", "Council", "--"])
def test_an_empty_name_is_no_match(empty):
    assert not REGISTER.resolve(empty).ok


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("London Borough of Hammersmith & Fulham", "hammersmith and fulham"),
        ("Council of the Isles of Scilly", "isles of scilly"),
        ("City of London Corporation", "city of london"),
        ("Bristol, City of", "bristol"),
        ("Stockton-on-Tees Local Area Partnership", "stockton on tees"),
        ("Leicester City Council", "leicester"),
        ("Wakefield Metropolitan District Council", "wakefield"),
        ("The Royal Borough of Greenwich", "greenwich"),
        ("Saint Helens", "st helens"),
    ],
)
def test_normalise(raw, key):
    assert normalise(raw) == key


def test_the_seed_letters_areas_resolve_to_their_labelled_codes():
    labels = json.loads((SEEDS / "labels.json").read_text())
    letters = [letter for entry in labels["files"] for letter in entry["letters"] if letter.get("gss_code")]
    assert letters
    for letter in letters:
        on = dt.date.fromisoformat(letter["letter_date"]) if letter.get("letter_date") else None
        assert REGISTER.resolve(letter["area"], on=on).gss_code == letter["gss_code"], letter["area"]


@pytest.mark.shared
def test_every_2023_report_area_resolves_to_its_labelled_code():
    lines = (SHARED / "corpus" / "labels" / "reports-2023.jsonl").read_text().splitlines()
    labels = [json.loads(line) for line in lines if line.strip()]
    assert len(labels) >= 29
    for label in labels:
        on = dt.date.fromisoformat(label["inspection_start"])
        for name in {label["area_name_in_report"], label["lookup_name"]}:
            result = REGISTER.resolve(name, on=on)
            assert result.gss_code == label["ons_code"], (name, result)


def test_a_date_that_does_not_settle_a_shared_name_says_why():
    old = AreaRecord("E10000901", "Wessex", (), None, dt.date(2019, 3, 31))
    new = AreaRecord("E06000901", "Wessex", (), dt.date(2019, 4, 1), None)
    twin = AreaRecord("E06000902", "Wessex", (), dt.date(2019, 4, 1), None)
    assert AreaRegister([old, new]).resolve("Wessex", on=dt.date(2019, 4, 1)).gss_code == "E06000901"
    both = AreaRegister([old, new, twin]).resolve("Wessex", on=dt.date(2020, 1, 1))
    assert not both.ok and both.reason.endswith("(more than one in force on 2020-01-01)")
    early = AreaRegister([new, twin]).resolve("Wessex", on=dt.date(2018, 1, 1))
    assert not early.ok and early.reason.endswith("(none in force on 2018-01-01)")
