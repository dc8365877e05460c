"""`python manage.py export inspections|weaknesses|areas FILE [--filter key=value ...]`

Writes the same CSV as /exports/<name>.csv (same selector, FilterSet and columns; see docs/CSV.md).
`-` as FILE writes to standard output. An invalid filter is an error (no file is written); the sources and
licence statements are written beside FILE as FILE.attribution.txt (docs/CSV.md, "Attribution")."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from pathlib import Path

from inspections.facts.exports import EXPORTS, attribution_text, errors_text, export_lines, export_to_file, filter_errors


class Command(BaseCommand):
    help = "Export inspections, weaknesses or areas as CSV (the same rows as the web export)."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(EXPORTS))
        parser.add_argument("file", help="Output path, or - for standard output.")
        parser.add_argument(
            "--filter", action="append", default=[], metavar="KEY=VALUE",
            help="A list filter, as in the page's URL (e.g. --filter region='North East' --filter year=2017).",
        )

    def handle(self, *args, name, file, filter, **options):
        filters = QueryDict(mutable=True)
        for item in filter:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--filter expects KEY=VALUE, got {item!r}")
            filters.appendlist(key, value)
        errors = filter_errors(name, filters)
        if errors:
            raise CommandError(f"Invalid filter, nothing exported:\n{errors_text(errors)}")
        if file == "-":
            for line in export_lines(name, filters):
                sys.stdout.write(line)
            return
        count = export_to_file(name, file, filters)
        sidecar = Path(f"{file}.attribution.txt")
        sidecar.write_text(attribution_text(), encoding="utf-8")
        self.stdout.write(f"Wrote {count} {name} rows to {file} (sources and licences: {sidecar})")
