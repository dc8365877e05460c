"""Issue 13 item 7: a monitoring inspection speaks 2023 — effective action / not effective action (or the
report's own words) — and lists every area for priority action of the inspection it follows up, saying
"Not reported" where the report does not judge one. On the timeline and on the review pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import make_area, make_inspection, make_judgement, make_revisit, make_weakness

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("ada", password="pw-not-used")
    user.groups.add(Group.objects.get(name="analyst"))
    return user


@pytest.fixture
def monitored():
    area = make_area("Kent", gss_code="E10000016")
    full = make_inspection(area, framework="2023", start_date=dt.date(2024, 2, 5), outcome="systemic_failings")
    actions = [make_weakness(full, n, kind="priority_action", text=f"Priority action {n}: leaders should act on {topic}")
               for n, topic in enumerate(["waiting times", "EHC plans", "transitions"], start=1)]
    make_weakness(full, 1, kind="improvement_area", text="Improvement area: the local offer is hard to find")
    monitoring = make_revisit(full, start_date=dt.date(2025, 3, 3), overall="sufficient_some", overall_text="")
    judged = [make_judgement(monitoring, actions[0], True), make_judgement(monitoring, actions[1], False)]
    return {"area": area, "actions": actions, "monitoring": monitoring, "judged": judged}


def _step(html: str) -> str:
    start = html.index("Monitoring inspection (2023 framework), 3 March 2025")
    return html[start:html.index("</li>", start)]


def test_timeline_lists_every_priority_action_in_2023_words(client, settings, monitored):
    settings.PUBLIC_READ = True
    step = _step(client.get(f"/areas/{monitored['area'].gss_code}/").content.decode())
    for n, topic in enumerate(["waiting times", "EHC plans", "transitions"], start=1):
        assert f"Priority action {n}: leaders should act on {topic}" in step
    assert step.count("Not effective action") == 1 and step.count("Effective action</span>") == 1
    assert "Not reported" in step  # action 3: the report does not judge it
    assert "Effective action on some areas for priority action, not on others" in step
    assert "Sufficient progress" not in step and "Insufficient progress" not in step and "weakness" not in step.lower()
    assert "local offer" not in step  # an area for improvement is not followed up by a monitoring inspection


def test_the_reports_own_words_win(client, settings, monitored):
    settings.PUBLIC_READ = True
    monitoring = monitored["monitoring"]
    monitoring.overall_text = "The local area partnership has taken effective action on two of the three priority actions."
    monitoring.save(update_fields=["overall_text"])
    step = _step(client.get(f"/areas/{monitored['area'].gss_code}/").content.decode())
    assert monitoring.overall_text in step and "not on others" not in step


def test_review_pages_speak_2023_for_a_monitoring_inspection(client, analyst, monitored):
    client.force_login(analyst)
    html = client.get(reverse("review_fact", args=["judgement", monitored["judged"][1].pk])).content.decode()
    values = re.sub(r"<[^>]+>", " ", html[html.index('id="values-h"'):html.index('id="history-h"')])  # the words shown
    assert "Not effective action" in values and "progress" not in values.lower()
    html = client.get(reverse("review_fact", args=["revisit", monitored["monitoring"].pk])).content.decode()
    assert "Effective action on some areas for priority action, not on others" in html
    assert "Sufficient progress in some weaknesses" not in html


def test_a_2016_revisit_keeps_its_own_words(client, settings):
    settings.PUBLIC_READ = True
    area = make_area("Medway", gss_code="E06000035")
    inspection = make_inspection(area)
    weakness = make_weakness(inspection, 1)
    revisit = make_revisit(inspection, overall="sufficient_all")
    make_judgement(revisit, weakness, True)
    html = client.get(f"/areas/{area.gss_code}/").content.decode()
    assert "Sufficient progress in every weakness" in html and "Effective action" not in html


def test_queue_and_document_page_say_a_monitoring_result_in_2023_words(client, analyst, monitored):
    from tests.factories import make_document

    document = make_document("Monitoring inspection letter.", status="needs_review")
    type(monitored["monitoring"]).objects.filter(pk=monitored["monitoring"].pk).update(
        needs_review=True, review_reasons=["Dates unclear."], source_document=document, span_start=0, span_end=10)
    client.force_login(analyst)
    queue = client.get(reverse("review_queue")).content.decode()
    assert "Effective action on some areas for priority action, not on others" in queue
    assert "Sufficient progress in some weaknesses" not in queue
    page = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert "Monitoring inspection (2023 framework)" in page
    assert "Effective action on some areas for priority action, not on others" in page
