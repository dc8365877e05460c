"""Build the England table shipped with the product, inspections/datasets/data/england.csv, from Ofsted's datasets.

    .venv/bin/python inspections/datasets/data/build_england.py [--reference ../shared/reference] [--out inspections/datasets/data/england.csv]

Reads every dataset file under the reference folder's ofsted-statistics/ and d2i-send-scrape/ with the product's
own readers (inspections/datasets/kinds.py) and writes one row per inspection or revisit they state, with the file,
sheet, row and columns each was read from (kinds.TABLE lists the columns). `./scripts/serve` ingests the table like
any dataset, so a clone without ../shared still shows England; importing the original files as well changes nothing
(each row's line is the one the original's reader makes, so the two count once). Licences and attribution:
inspections/datasets/data/README.md. The output is deterministic: a rebuild on the same inputs gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))  # run as a script: reuse the product's readers

from inspections.datasets.kinds import TABLE, read_dataset, table_rows  # noqa: E402
from inspections.datasets.tables import CSV, HTML, read_tables, spreadsheet_type  # noqa: E402


def read_folder(reference: Path) -> list:
    reads = []
    for path in sorted([*(reference / "ofsted-statistics").iterdir(), *(reference / "d2i-send-scrape").iterdir()]):
        if not path.is_file() or path.name.startswith("LICENSE"):
            continue
        data = path.read_bytes()
        content_type = spreadsheet_type(data) or (HTML if b"<table" in data.lower() else CSV)
        read = read_dataset(read_tables(data, content_type), raw=data)
        if read is None:
            raise SystemExit(f"{path}: not a dataset the product reads (no known column headings)")
        reads.append(read)
    return reads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "england.csv")
    args = parser.parse_args(argv)
    rows = table_rows(read_folder(args.reference))
    with args.out.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=TABLE, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{args.out}: {len(rows)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
