"""E-mail digests: what an analyst follows, each item once, only when due, an unsubscribe link that works
without a login, and a failed send that loses nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inspections.alerts.services import digest_subscription_save, digests_send
from inspections.models import DigestDelivery, DigestSubscription
from tests.factories import make_area, make_document, make_inspection, make_revisit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.DIGEST_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SENDTRACKER_SITE_URL = "https://sendtracker.example"


@pytest.fixture
def analyst(django_user_model):
    return django_user_model.objects.create_user("ana", email="ana@example.org")


def subscribe(user, **choices) -> DigestSubscription:
    options = dict(frequency="daily", everything=False, regions=[], areas=[], overdue=True, active=True)
    options.update(choices)
    subscription = digest_subscription_save(user=user, **options)
    DigestSubscription.objects.filter(pk=subscription.pk).update(started_at=timezone.now() - dt.timedelta(hours=1))
    subscription.refresh_from_db()
    return subscription


def test_a_digest_sends_each_followed_item_once(analyst):
    north = make_area("Northtown", "E06900001", region="North East")
    south = make_area("Southville", "E06900002", region="South West")
    subscribe(analyst, regions=["North East"])
    first = make_inspection(north, document=make_document())
    make_inspection(south, document=make_document())  # not followed
    now = timezone.now()
    assert digests_send(now=now) == 1
    [message] = mail.outbox
    assert message.to == ["ana@example.org"] and "1 new" in message.subject
    assert "Northtown: Initial inspection (2016 framework), 6 March 2017 to 10 March 2017" in message.body
    assert "Southville" not in message.body
    assert f"https://sendtracker.example/facts/inspection/{first.pk}/" in message.body
    token = DigestSubscription.objects.get().token
    assert f"Unsubscribe: https://sendtracker.example/alerts/unsubscribe/{token}/" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<https://sendtracker.example/alerts/unsubscribe/{token}/>"

    assert digests_send(now=now + dt.timedelta(hours=2)) == 0  # not due again yet
    assert digests_send(now=now + dt.timedelta(days=1)) == 0  # due, but nothing new: no e-mail
    revisit = make_revisit(first, document=make_document())
    assert digests_send(now=now + dt.timedelta(days=2)) == 1
    assert len(mail.outbox) == 2
    assert f"/facts/revisit/{revisit.pk}/" in mail.outbox[1].body and f"/facts/inspection/{first.pk}/" not in mail.outbox[1].body
    assert DigestDelivery.objects.count() == 2


def test_weekly_everything_and_overdue(analyst):
    area = make_area("Southville", "E06900002", region="South West")
    subscription = subscribe(analyst, frequency="weekly", everything=True)
    # An overdue window that ended after the subscription started (18 months after the inspection ended).
    ended = timezone.localdate() - dt.timedelta(days=549)
    make_inspection(area, framework="2023", start_date=ended - dt.timedelta(days=4), end_date=ended,
                    document=make_document(), next_inspection_text="A monitoring inspection will be carried out "
                    "within approximately 18 months.")
    DigestSubscription.objects.filter(pk=subscription.pk).update(started_at=timezone.now() - dt.timedelta(days=30))
    now = timezone.now()
    assert digests_send(now=now) == 1
    body = mail.outbox[0].body
    assert "Southville: Area SEND inspection (2023 framework)" in body
    assert "Visits that became overdue" in body and "Southville: Monitoring inspection overdue since" in body
    assert digests_send(now=now + dt.timedelta(days=3)) == 0  # weekly: not due


def test_items_held_before_subscribing_are_not_sent(analyst):
    area = make_area("Northtown", "E06900001", region="North East")
    make_inspection(area, document=make_document())
    digest_subscription_save(user=analyst, frequency="daily", everything=True, regions=[], areas=[], overdue=False,
                             active=True)
    assert digests_send() == 0 and not mail.outbox


def test_a_failed_send_records_nothing_and_the_next_run_sends(analyst, settings, monkeypatch):
    area = make_area("Northtown", "E06900001", region="North East")
    subscribe(analyst, areas=[area])
    make_inspection(area, document=make_document())
    from django.core.mail import EmailMessage

    def broken(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    assert digests_send() == 0
    assert not DigestDelivery.objects.exists() and DigestSubscription.objects.get().last_sent_at is None
    monkeypatch.undo()
    settings.DIGEST_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digests_send() == 1 and len(mail.outbox) == 1


def test_unsubscribe_works_without_a_login_and_only_on_post(client, analyst):
    subscription = subscribe(analyst, everything=True)
    url = reverse("alerts-unsubscribe", args=[subscription.token])
    page = client.get(url)
    assert page.status_code == 200 and "ana@example.org" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.active, "a GET (a mail scanner following the link) must change nothing"
    assert client.post(url).status_code == 200
    subscription.refresh_from_db()
    assert not subscription.active
    make_inspection(make_area(), document=make_document())
    assert digests_send() == 0
    unknown = client.get(reverse("alerts-unsubscribe", args=["not-a-token"]))
    assert unknown.status_code == 302 and "/accounts/login/" in unknown["Location"]


def test_the_settings_page_saves_what_an_analyst_follows(client, analyst):
    make_area("Northtown", "E06900001", region="North East")
    client.force_login(analyst)
    assert client.get(reverse("alerts")).status_code == 200
    refused = client.post(reverse("alerts"), {"active": "on", "frequency": "daily"})
    assert "Choose what to follow" in refused.content.decode()
    saved = client.post(reverse("alerts"), {"active": "on", "frequency": "weekly", "regions": ["London"],
                                            "areas": ["E06900001"], "overdue": "on"})
    assert saved.status_code == 302
    subscription = DigestSubscription.objects.get(user=analyst)
    assert (subscription.frequency, subscription.regions, subscription.active) == ("weekly", ["London"], True)
    assert list(subscription.areas.values_list("gss_code", flat=True)) == ["E06900001"]


def test_digests_are_checked_by_beat_hourly():
    from tests.sources.test_fetch_schedule import beat_schedule

    assert beat_schedule()["send-digests"] == "3600.0"
