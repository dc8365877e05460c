from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Inspections"

    def ready(self) -> None:
        from inspections.ingest import tasks  # noqa: F401  registers the Celery tasks services enqueue by name
        from inspections.paths import services as paths  # noqa: F401  connects the signals that keep paths derived
        from inspections.review.groups import analyst_group_sync

        # After auth's own handler has created the permissions (auth is earlier in INSTALLED_APPS).
        post_migrate.connect(analyst_group_sync, sender=self, dispatch_uid="inspections.analyst_group_sync")
