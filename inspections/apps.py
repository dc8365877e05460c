from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Inspections"

    def ready(self) -> None:
        # Register every Celery task with the worker (autodiscovery only finds `inspections.tasks`): those services
        # enqueue by name, and those beat sends (a task a worker does not know is discarded with an error).
        from inspections.alerts import tasks as alert_tasks  # noqa: F401
        from inspections.ingest import tasks  # noqa: F401
        from inspections.ingest.sources import tasks as source_tasks  # noqa: F401
        from inspections.paths import services as paths  # noqa: F401  connects the signals that keep paths derived
        from inspections.review.groups import analyst_group_sync

        # After auth's own handler has created the permissions (auth is earlier in INSTALLED_APPS).
        post_migrate.connect(analyst_group_sync, sender=self, dispatch_uid="inspections.analyst_group_sync")
