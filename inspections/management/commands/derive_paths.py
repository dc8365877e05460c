"""`manage.py derive_paths [--stale]`: derive and store every area's path (inspections/paths/services.py).

Paths are kept current by the writer and by any save of a fact; run this after loading facts some other way
(a database restore, `loaddata`, a bulk import), or with `--stale` after upgrading (only areas without a stored
path or with another derivation VERSION). Idempotent."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from inspections.paths.services import area_paths_refresh_all


class Command(BaseCommand):
    help = "Derive and store every area's path (stage, coverage, next visit) from its facts."

    def add_arguments(self, parser):
        parser.add_argument("--stale", action="store_true", help="only areas with no stored path or an older version")

    def handle(self, *args, stale: bool = False, **options):
        started = time.perf_counter()
        written = area_paths_refresh_all(stale_only=stale)
        self.stdout.write(f"Derived {written} area path(s) in {time.perf_counter() - started:.2f} s.")
