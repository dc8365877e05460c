"""Sending the e-mail digests (a Celery beat job calls `digests_send`) and saving an analyst's choices.

Never twice for the same item: each item sent is a `DigestDelivery` row (unique per subscription and item key),
written in the same transaction that sends the e-mail; if sending fails the transaction rolls back, nothing is
recorded, and the next run sends the items again. (A crash after the mail server accepted the message and before
the commit could repeat one digest: the only window left.) Only items held, or become overdue, after the
analyst subscribed are sent, so a new subscription does not start with the whole back catalogue.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from inspections.models import DigestDelivery, DigestSubscription

from .selectors import AlertItem, overdue_items, visit_items

log = logging.getLogger(__name__)

# A digest is due once this long after the last one (an hour's slack: beat runs hourly, not on the minute).
INTERVALS = {DigestSubscription.Frequency.DAILY: dt.timedelta(hours=23),
             DigestSubscription.Frequency.WEEKLY: dt.timedelta(days=6, hours=23)}


def _due(subscription: DigestSubscription, now: dt.datetime) -> bool:
    last = subscription.last_sent_at
    return last is None or now - last >= INTERVALS[subscription.frequency]


def _follows(subscription: DigestSubscription, item: AlertItem, area_codes: set[str]) -> bool:
    return subscription.everything or item.region in subscription.regions or item.area_gss in area_codes


def digest_items(subscription: DigestSubscription) -> list[AlertItem]:
    """What the subscription follows, held (or become overdue) since it started, not yet sent; oldest first."""
    area_codes = set(subscription.areas.values_list("gss_code", flat=True))
    items = [i for i in visit_items(since=subscription.started_at, limit=None) if _follows(subscription, i, area_codes)]
    if subscription.overdue:
        items += [i for i in overdue_items(limit=None)
                  if i.when >= subscription.started_at and _follows(subscription, i, area_codes)]
    sent = set(subscription.deliveries.filter(item_key__in=[i.key for i in items]).values_list("item_key", flat=True))
    return sorted((i for i in items if i.key not in sent), key=lambda i: (i.when, i.key))


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Send every due, active subscription its digest of new items; returns how many e-mails were sent. A
    subscription without new items is not mailed (its next digest is due a period later all the same)."""
    now = now or timezone.now()
    sent = 0
    for pk in DigestSubscription.objects.filter(active=True).values_list("pk", flat=True):
        try:
            sent += _send_one(pk, now)
        except Exception:  # one analyst's failure (mail server, address) must not stop the others
            log.exception("digest %s could not be sent; it will be tried again next run", pk)
    return sent


@transaction.atomic
def _send_one(pk: int, now: dt.datetime) -> int:
    subscription = DigestSubscription.objects.select_for_update().select_related("user").get(pk=pk)
    if not subscription.active or not _due(subscription, now) or not subscription.user.email:
        return 0
    items = digest_items(subscription)
    subscription.last_sent_at = now
    subscription.save(update_fields=["last_sent_at"])
    if not items:
        return 0
    DigestDelivery.objects.bulk_create([DigestDelivery(subscription=subscription, item_key=i.key) for i in items])
    _mail(subscription, items)
    return 1


def unsubscribe_url(subscription: DigestSubscription) -> str:
    return settings.SENDTRACKER_SITE_URL + reverse("alerts-unsubscribe", args=[subscription.token])


def _mail(subscription: DigestSubscription, items: list[AlertItem]) -> None:
    site = settings.SENDTRACKER_SITE_URL
    visits = [i for i in items if i.kind != "overdue"]
    overdue = [i for i in items if i.kind == "overdue"]
    lines = [f"sendtracker: {len(items)} new item{'s' if len(items) != 1 else ''} since your last digest.", ""]
    if visits:
        lines += ["Newly held inspections, revisits and monitoring inspections:", ""]
        lines += [f"- {i.title}\n  {i.summary}\n  {site}{i.link}" for i in visits] + [""]
    if overdue:
        lines += ["Visits that became overdue (no report of a later visit is held):", ""]
        lines += [f"- {i.title}\n  {site}{i.link}" for i in overdue] + [""]
    stop = unsubscribe_url(subscription)
    lines += ["--", f"Change what you follow: {site}{reverse('alerts')}", f"Unsubscribe: {stop}"]
    message = EmailMessage(
        subject=f"sendtracker {subscription.get_frequency_display().lower()} digest: {len(items)} new",
        body="\n".join(lines), to=[subscription.user.email],
        headers={"List-Unsubscribe": f"<{stop}>"},
        connection=get_connection(settings.DIGEST_EMAIL_BACKEND),
    )
    message.send(fail_silently=False)


def digest_subscription_save(*, user, frequency: str, everything: bool, regions: list[str], areas, overdue: bool,
                             active: bool) -> DigestSubscription:
    """Create or update `user`'s digest. A subscription switched on again starts afresh (no back catalogue)."""
    subscription, created = DigestSubscription.objects.get_or_create(user=user)
    if not created and active and not subscription.active:
        subscription.started_at = timezone.now()
    subscription.frequency, subscription.everything, subscription.regions = frequency, everything, list(regions)
    subscription.overdue, subscription.active = overdue, active
    subscription.full_clean()
    subscription.save()
    subscription.areas.set(areas)
    return subscription


def digest_unsubscribe(*, token: str) -> DigestSubscription | None:
    """Switch off the digest with this token; None when no digest has it."""
    subscription = DigestSubscription.objects.filter(token=token).first()
    if subscription is not None and subscription.active:
        subscription.active = False
        subscription.save(update_fields=["active"])
    return subscription
