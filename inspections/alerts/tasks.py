"""The digest job: beat runs it hourly; it mails only the subscriptions that are due (daily or weekly)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="inspections.alerts.tasks.send_digests", acks_late=False, soft_time_limit=600, time_limit=660)
def send_digests() -> int:
    """Not acks_late: a digest lost with its worker is sent by the next hourly run (deliveries are recorded only
    with a sent e-mail, so nothing is sent twice either way). Returns how many e-mails were sent."""
    from .services import digests_send

    return digests_send()
