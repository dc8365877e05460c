"""The committed register table (areas/data/local_areas.csv): what it holds, and that it is what the build
script makes from the reference data."""

import datetime as dt
import importlib.util

import pytest

from areas.register import REGISTER_CSV, RegisterError, default_rows, read_register
from tests.conftest import PROJECT_ROOT, SHARED

ROWS = {row.register_code: row for row in default_rows()}
REGIONS = {
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West",
}  # fmt: skip
FORMER = {"BKM", "BMH", "CMA", "DOR", "NTH", "NYK", "POL", "SOM"}


def test_every_send_authority_current_and_former_is_there():
    current = {code for code, row in ROWS.items() if row.end_date is None}
    assert len(current) == 153  # 21 counties, 63 unitaries, 36 metropolitan, 32 London boroughs, City of London
    assert set(ROWS) - current == FORMER
    types = [row.authority_type for row in ROWS.values() if row.end_date is None]
    assert {t: types.count(t) for t in set(types)} == {"county": 21, "unitary": 63, "metropolitan": 36, "london": 33}
    assert {"IOS", "LND"} <= current
    assert all(row.gss_code[:3] in {"E06", "E08", "E09", "E10"} for row in ROWS.values())  # no districts (E07)


@pytest.mark.parametrize(
    ("former", "successors", "last_day"),
    [
        ("CMA", ("CBD", "WAF"), dt.date(2023, 3, 31)),
        ("NTH", ("NNT", "WNT"), dt.date(2021, 3, 31)),
        ("BMH", ("BPC",), dt.date(2019, 3, 31)),
        ("POL", ("BPC",), dt.date(2019, 3, 31)),
        ("DOR", ("DST", "BPC"), dt.date(2019, 3, 31)),
        ("NYK", ("NYE",), dt.date(2023, 3, 31)),
        ("SOM", ("SMT",), dt.date(2023, 3, 31)),
        ("BKM", ("BUC",), dt.date(2020, 3, 31)),
    ],
)
def test_former_authorities_end_the_day_before_their_successors_start(former, successors, last_day):
    row = ROWS[former]
    assert set(row.replaced_by) == set(successors)
    assert row.end_date == last_day
    for code in successors:
        assert ROWS[code].start_date == last_day + dt.timedelta(days=1)
        assert ROWS[code].end_date is None


def test_columns_are_filled_where_the_sources_allow():
    for row in ROWS.values():
        assert row.region in REGIONS, row
        assert row.dfe_la_code.isdigit() and len(row.dfe_la_code) == 3, row
        if row.end_date is None:
            assert row.ofsted_urn.isdigit(), row
            if row.register_code in {"CBD", "WAF"}:  # the lookup repeats Cumbria's figure for both halves
                assert row.population_0_25 is None
            else:
                assert row.population_0_25 and row.population_0_25 > 0, row
            assert len(row.stat_neighbours) == 10, row
            assert set(row.stat_neighbours) <= {r.gss_code for r in ROWS.values()}
            assert row.gss_code not in row.stat_neighbours
    current_dfe = [row.dfe_la_code for row in ROWS.values() if row.end_date is None]
    assert len(set(current_dfe)) == len(current_dfe)
    assert ROWS["DBY"].region == "East Midlands"  # mySociety says West Midlands; Ofsted's ONS region wins
    assert ROWS["BST"].name == "Bristol" and ROWS["DST"].name == "Dorset"
    assert "Hull" in ROWS["KHL"].alt_names and "Bournemouth" not in ROWS["BPC"].alt_names


def test_a_malformed_table_is_refused_with_the_line(tmp_path):
    text = REGISTER_CSV.read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace(",E0", ",X0", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(RegisterError, match="line 4"):
        read_register(bad)


@pytest.mark.shared
def test_the_committed_table_is_what_the_build_script_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("build_register", PROJECT_ROOT / "areas/data/build_register.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    out = tmp_path / "local_areas.csv"
    build.main(["--reference", str(SHARED / "reference"), "--out", str(out)])
    assert out.read_bytes() == REGISTER_CSV.read_bytes()


def test_every_region_in_the_register_is_one_of_englands_nine():
    import csv

    from areas.models import LocalArea
    from areas.register import REGISTER_CSV

    with open(REGISTER_CSV, encoding="utf-8") as f:
        regions = {row["region"] for row in csv.DictReader(f)}
    assert regions <= set(LocalArea.Region.values), regions - set(LocalArea.Region.values)
