"""Build the project's area register table, areas/data/local_areas.csv, from the reference data.

    .venv/bin/python areas/data/build_register.py [--reference ../shared/reference] [--out areas/data/local_areas.csv]

Keeps one row for every English local authority that holds or held SEND duties (county councils,
unitary authorities, metropolitan districts, London boroughs, the City of London and the Isles of Scilly,
current and former), and only the columns the project uses. Inputs (see areas/data/README.md for
licences): mySociety's register of local authorities (uk_local_authorities.csv, lookup_name_to_registry.csv)
and data-to-insight's Ofsted/DfE lookup (ofsted_la_lookup.csv). The output is deterministic: rerunning on the
same inputs gives the same bytes, so a diff shows exactly what a reference update changed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: reuse the table's column list from areas.register

from areas.register import COLUMNS, join_list, read_register  # noqa: E402

# mySociety type -> LocalArea.authority_type. Non-metropolitan districts (NMD) and combined authorities
# are left out: they hold no SEND duties. The City of London (a "city corporation") sits with the London
# boroughs, as DfE and Ofsted list it.
TYPES = {"CTY": "county", "UA": "unitary", "MD": "metropolitan", "LBO": "london", "CC": "london"}

# Christchurch (a district of the old Dorset county) went to Bournemouth, Christchurch and Poole in 2019,
# so the old county's SEND duties passed to BCP as well as to Dorset Council; mySociety lists only the latter.
EXTRA_SUCCESSORS = {"DOR": ("BPC",)}

# DfE LA codes of former authorities the Ofsted lookup no longer lists (DfE's Get Information about
# Schools). Buckinghamshire, North Yorkshire and Somerset kept their code when the county became a unitary.
FORMER_DFE_CODES = {"BKM": "825", "BMH": "837", "DOR": "835", "NYK": "815", "SOM": "933"}

# Names seen in letters and reports that no reference file lists. (The lookup's `also_known_as` holds the
# same few, but as a comma-separated list of names that themselves contain commas, so it is not read.)
EXTRA_ALT_NAMES = {
    "BAS": ("Bath & NE Somerset", "BANES"),
    "BPC": ("BCP", "Bournemouth, Christchurch & Poole"),
    "KHL": ("Hull",),
    "LND": ("London Corporation",),  # Ofsted's name for it
    "SOS": ("Southend",),
    "TFW": ("Telford",),
}

# Register names that read oddly as the area's label; Ofsted's name is used instead.
DISPLAY_NAMES = {"DST": "Dorset", "SHN": "St Helens", "BST": "Bristol"}

# ONS region names (rgn22nm). The Ofsted lookup spells Yorkshire's both ways.
REGIONS = {
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West",
}  # fmt: skip

# Start dates before the 2009 reorganisation are left out: they predate SEND duties under the Children and
# Families Act 2014 and many are the date mySociety's register began (2005), not the council's.
FIRST_KEPT_START = dt.date(2009, 4, 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "local_areas.csv")
    args = parser.parse_args(argv)
    rows = build_rows(args.reference)
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    read_register(args.out)  # the loader's own checks, before anyone commits the table
    current = sum(1 for row in rows if not row["end_date"])
    print(f"wrote {len(rows)} areas ({current} current, {len(rows) - current} former) to {args.out}")


def build_rows(reference: Path) -> list[dict[str, str]]:
    register = [
        row
        for row in _read_csv(reference / "uk_local_authorities.csv")
        if row["nation"] == "England" and row["local-authority-type"] in TYPES
    ]
    by_code = {row["local-authority-code"]: row for row in register}
    successors = {
        code: _split(row["replaced-by"], ",") + EXTRA_SUCCESSORS.get(code, ()) for code, row in by_code.items()
    }
    predecessors = defaultdict(list)
    for code, after in successors.items():
        for successor in after:
            if successor not in by_code:
                raise SystemExit(f"{code} is replaced by {successor}, which is not a SEND authority in the register")
            predecessors[successor].append(code)
    ofsted = _ofsted_rows(reference / "ofsted_la_lookup.csv", by_code)
    names = defaultdict(list)
    for row in _read_csv(reference / "lookup_name_to_registry.csv"):
        names[row["local-authority-code"]].append(row["la-name"])

    out = []
    for code in sorted(by_code):
        row, lookup = by_code[code], ofsted.get(code, {})
        gss = row["gss-code"]
        name = DISPLAY_NAMES.get(code, row["nice-name"])
        start = _date(row["start-date"])
        out.append(
            {
                "register_code": code,
                "gss_code": gss,
                "name": name,
                "official_name": row["official-name"].replace("  ", " ").strip(),
                "authority_type": TYPES[row["local-authority-type"]],
                "region": _region(code, by_code, ofsted, successors),
                "dfe_la_code": lookup.get("la_code") or FORMER_DFE_CODES.get(code, ""),
                "ofsted_urn": lookup.get("urn") or _carried_urn(code, ofsted, successors),
                "start_date": start.isoformat() if start and start >= FIRST_KEPT_START else "",
                "end_date": _end_date(row, [by_code[s] for s in successors[code]]),
                "replaced_by": join_list(successors[code]),
                "alt_names": join_list(
                    _alt_names(
                        name,
                        [row["nice-name"], row["official-name"], *_split_names(row["alt-names"]), *names[code]],
                        [lookup.get("local_authority_ons_name", "")],
                        EXTRA_ALT_NAMES.get(code, ()),
                    )
                ),
                "stat_neighbours": join_list(
                    n for n in _split(lookup.get("stat_neighbours_la_code", ""), ",") if n != gss
                ),
                "population_0_25": _population(code, ofsted, by_code, successors, predecessors),
            }
        )
    known = {row["gss_code"] for row in out}
    for row in out:  # a neighbour list may name a code the register does not hold (none today): drop it
        row["stat_neighbours"] = join_list(n for n in row["stat_neighbours"].split("|") if n in known)
    return out


def _ofsted_rows(path: Path, by_code: dict[str, dict]) -> dict[str, dict[str, str]]:
    """Register code -> its row of the Ofsted lookup. The lookup keys current authorities by `la_code_new`
    (their GSS code); former ones (Cumbria, Northamptonshire, Poole) have none and are found by `ltla23cd`.
    Matching the current rows by `ltla23cd` instead would be wrong: Cumberland's row carries Cumbria's code."""
    code_by_gss = {row["gss-code"]: code for code, row in by_code.items()}
    found: dict[str, dict[str, str]] = {}
    for row in _read_csv(path):
        gss = row["la_code_new"] or row["ltla23cd"]
        if gss in code_by_gss:
            found[code_by_gss[gss]] = row
    return found


def _region(code, by_code, ofsted, successors) -> str:
    """Ofsted's ONS region first (mySociety's has slips, e.g. Derbyshire in the West Midlands); a former
    authority missing from both takes its successor's."""
    for candidate in (ofsted.get(code, {}).get("rgn22nm", ""), by_code[code]["region"]):
        region = _canonical_region(candidate)
        if region:
            return region
    for successor in successors[code]:
        region = _region(successor, by_code, ofsted, successors)
        if region:
            return region
    raise SystemExit(f"no region for {code}")


def _canonical_region(value: str) -> str:
    canonical = {region.casefold(): region for region in REGIONS}
    return canonical.get(value.strip().casefold(), "")


def _carried_urn(code, ofsted, successors) -> str:
    """An Ofsted URN belongs to the DfE LA code: a former authority whose sole successor kept its DfE code
    (Buckinghamshire, North Yorkshire, Somerset) shares the successor's URN."""
    after = successors[code]
    if len(after) == 1 and FORMER_DFE_CODES.get(code) == ofsted.get(after[0], {}).get("la_code"):
        return ofsted[after[0]]["urn"]
    return ""


def _end_date(row: dict[str, str], successors: list[dict[str, str]]) -> str:
    """The last day in force. mySociety sometimes gives the successor's first day instead (Cumbria ends
    2023-04-01, the day Cumberland starts); a date lookup must not find both in force, so end the day before."""
    end = _date(row["end-date"])
    if end is None:
        return ""
    starts = [_date(s["start-date"]) for s in successors if s["start-date"]]
    if starts and end >= min(starts):
        end = min(starts) - dt.timedelta(days=1)
    return end.isoformat()


def _population(code, ofsted, by_code, successors, predecessors) -> str:
    """The lookup's 0-25 population belongs to the area named in `ltla23_ons`. For North Yorkshire and
    Somerset that is the old county, whose boundary the new unitary kept, so the figure holds for both;
    Cumberland's and Westmorland and Furness's rows repeat Cumbria's figure, which fits neither."""
    gss = by_code[code]["gss-code"]
    lookup = ofsted.get(code)
    if lookup and lookup["ltla23_ons"] in ("", gss):
        return lookup["ons_population_0-25"]
    if lookup:
        before = [p for p in predecessors[code] if by_code[p]["gss-code"] == lookup["ltla23_ons"]]
        if before and successors[before[0]] == (code,):
            return lookup["ons_population_0-25"]
        return ""
    # a former authority without a row of its own: the figure of a sole successor with the same boundary
    after = successors[code]
    if len(after) == 1 and ofsted.get(after[0], {}).get("ltla23_ons") == gss:
        return ofsted[after[0]]["ons_population_0-25"]
    return ""


def _alt_names(name: str, *groups) -> list[str]:
    """Every other spelling, once (case-insensitively), the capitalised form kept when both appear."""
    seen: dict[str, str] = {name.casefold(): name}
    for group in groups:
        for raw in group:
            value = " ".join(raw.split())
            key = value.casefold()
            if not value:
                continue
            if key not in seen or (seen[key].islower() and not value.islower()):
                seen[key] = value
    return sorted((value for key, value in seen.items() if key != name.casefold()), key=str.casefold)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:  # the Ofsted lookup starts with a BOM
        return list(csv.DictReader(handle))


def _split(value: str, sep: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(sep) if part.strip())


def _split_names(value: str) -> tuple[str, ...]:
    """mySociety's alt-names: separated by a bare comma, while names keep ", " ("Bristol, City of")."""
    return tuple(part.strip() for part in re.split(r",(?! )", value or "") if part.strip())


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


if __name__ == "__main__":
    main()
