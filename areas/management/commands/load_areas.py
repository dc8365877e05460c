from django.core.management.base import BaseCommand, CommandError

from areas.register import REGISTER_CSV, RegisterError, read_register
from areas.services import area_register_load


class Command(BaseCommand):
    help = "Load or update the area register from areas/data/local_areas.csv (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(REGISTER_CSV), help="the register table (default: %(default)s)")

    def handle(self, *args, file: str, verbosity: int, **options):
        try:
            summary = area_register_load(rows=read_register(file))
        except (OSError, RegisterError) as error:
            raise CommandError(f"the register table {file} cannot be loaded: {error}") from error
        if verbosity:
            self.stdout.write(str(summary))
