"""Atom feeds of newly held visits (England, a region, an area) and of overdue visits: valid Atom as feedparser
reads it, filtered as asked, linked from the pages they filter."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.urls import reverse

from inspections.models import Document
from tests.factories import make_area, make_document, make_inspection, make_revisit

pytestmark = pytest.mark.django_db

MONITORING_SENTENCE = "A monitoring inspection will be carried out within approximately 18 months."


@pytest.fixture
def held():
    north = make_area("Northtown", "E06900001", region="North East")
    south = make_area("Southville", "E06900002", region="South West")
    old = make_document()
    Document.objects.filter(pk=old.pk).update(created_at=dt.datetime(2025, 1, 2, 9, tzinfo=dt.timezone.utc))
    first = make_inspection(north, document=old)
    revisit = make_revisit(first, document=make_document())
    full = make_inspection(south, framework="2023", start_date=dt.date(2023, 1, 9), end_date=dt.date(2023, 1, 13),
                           document=make_document(), next_inspection_text=MONITORING_SENTENCE)
    monitoring_parent = make_inspection(north, framework="2023", start_date=dt.date(2024, 5, 6), document=make_document())
    monitoring = make_revisit(monitoring_parent, document=make_document(), start_date=dt.date(2025, 9, 1))
    secondary = make_inspection(make_area("Elsewhere", "E06900003"), document=make_document(), source_kind="secondary")
    placeholder = make_inspection(south, start_date=dt.date(2016, 10, 3), is_placeholder=True, document=make_document())
    return {"north": north, "south": south, "first": first, "revisit": revisit, "full": full,
            "monitoring": monitoring, "secondary": secondary, "placeholder": placeholder}


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_england_feed_is_valid_atom_with_every_held_visit_newest_first(client, held, settings):
    settings.PUBLIC_READ = True
    feed = parsed(client, reverse("feed-visits"))
    ids = [entry.id for entry in feed.entries]
    expected = {f"sendtracker:inspection:{held[k].pk}" for k in ("first", "full")} | {
        f"sendtracker:revisit:{held[k].pk}" for k in ("revisit", "monitoring")} | {
        f"sendtracker:inspection:{held['monitoring'].inspection.pk}"}
    assert set(ids) == expected  # no secondary fact, no placeholder: nothing of theirs is held
    assert ids[-1] == f"sendtracker:inspection:{held['first'].pk}"  # held in 2025: the oldest
    entry = next(e for e in feed.entries if e.id == f"sendtracker:revisit:{held['monitoring'].pk}")
    assert entry.title.startswith("Northtown: Monitoring inspection (2023 framework), 1 September 2025")
    assert entry.link.endswith(reverse("fact_detail", args=["revisit", held["monitoring"].pk]))
    assert entry.updated_parsed and entry.summary


def test_region_and_area_feeds_hold_only_theirs(client, held, settings):
    settings.PUBLIC_READ = True
    south = parsed(client, reverse("feed-visits") + "?region=South West")
    assert [e.id for e in south.entries] == [f"sendtracker:inspection:{held['full'].pk}"]
    assert "South West" in south.feed.title
    north = parsed(client, reverse("feed-area-visits", args=["E06900001"]))
    assert len(north.entries) == 4 and "Northtown" in north.feed.title
    assert client.get(reverse("feed-visits") + "?region=Atlantis").status_code == 404
    assert client.get(reverse("feed-area-visits", args=["E09999999"])).status_code == 404


def test_the_overdue_feed_lists_a_visit_whose_window_has_passed(client, held, settings):
    settings.PUBLIC_READ = True
    feed = parsed(client, reverse("feed-overdue"))
    [entry] = [e for e in feed.entries if "Southville" in e.title]
    assert entry.title == "Southville: Monitoring inspection overdue since 13 July 2024"
    assert entry.id == "sendtracker:overdue:E06900002:monitoring_inspection:2024-07-13"
    assert entry.link.endswith(reverse("area_detail", args=["E06900002"]))
    assert "no report of a later visit is held" in entry.summary
    assert not parsed(client, reverse("feed-overdue") + "?region=London").entries


def test_feeds_follow_public_read(client, held, settings):
    settings.PUBLIC_READ = False
    response = client.get(reverse("feed-visits"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_pages_link_to_their_feeds(client, held, settings):
    settings.PUBLIC_READ = True
    dashboard = client.get("/?region=South West").content.decode()
    assert ('<link rel="alternate" type="application/atom+xml" title="Newly held inspections and visits: South West" '
            'href="/feeds/visits.atom?region=South%20West">') in dashboard
    assert 'href="/feeds/overdue.atom?region=South%20West"' in dashboard
    timeline = client.get(reverse("area_detail", args=["E06900001"])).content.decode()
    assert 'type="application/atom+xml" title="Newly held inspections and visits: Northtown" href="/feeds/areas/E06900001/visits.atom"' in timeline
    due = client.get(reverse("analysis-due")).content.decode()
    assert 'type="application/atom+xml" title="Visits overdue: England" href="/feeds/overdue.atom"' in due
