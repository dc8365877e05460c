"""Issue 13 item 5: review that finishes and speaks words.

- a document stops saying "Needs review" once every flagged fact read from it is settled (confirmed,
  corrected with "settles", or rejected), and not before;
- the review page shows what a reason is about (the responsible body and the action's text);
- the inspection team and the findings are shown as lists and edited as fields, never as JSON;
- codes (systemic_failings, sufficient_all, True) appear as the models' words;
- after each decision the analyst is taken to the next item of the queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from inspections.models import Document, Inspection
from inspections.review.services import fact_confirm, fact_correct, fact_reject
from tests.factories import make_area, make_document, make_inspection, make_path, make_weakness

pytestmark = pytest.mark.django_db

REASON = "A responsible body and its action were printed on one line."


@pytest.fixture
def flagged():
    document = make_document("Dear Director. Leaders across the partnership should act.", status=Document.Status.NEEDS_REVIEW,
                             error="Needs review: " + REASON)
    inspection = make_inspection(make_area("Kent"), document=document, framework="2023", start_date=dt.date(2024, 1, 8),
                                 outcome="systemic_failings", needs_review=True, review_reasons=["Dates unclear."])
    action = make_weakness(inspection, 1, document=document, kind="priority_action",
                           text="Leaders should reduce waiting times", responsible_bodies="Kent County Council",
                           needs_review=True, review_reasons=[REASON])
    return {"document": document, "inspection": inspection, "action": action}


def _status(document) -> str:
    document.refresh_from_db()
    return document.status


def test_document_stops_needing_review_only_when_every_flagged_fact_is_settled(flagged, analyst):
    document = flagged["document"]
    fact_confirm(fact=flagged["inspection"], user=analyst)
    assert _status(document) == Document.Status.NEEDS_REVIEW  # one fact still in doubt
    fact_correct(fact=flagged["action"], field="responsible_bodies", value="Kent County Council and NHS Kent",
                 user=analyst, resolves=None)
    assert _status(document) == Document.Status.DONE
    assert "Needs review" not in document.error


def test_rejecting_the_last_doubtful_fact_also_settles_the_document(flagged, analyst):
    fact_confirm(fact=flagged["inspection"], user=analyst)
    fact_reject(fact=flagged["action"], user=analyst, note="Not in the report")
    assert _status(flagged["document"]) == Document.Status.DONE


def test_a_correction_that_leaves_a_doubt_does_not_settle(flagged, analyst):
    fact_confirm(fact=flagged["inspection"], user=analyst)
    fact_correct(fact=flagged["action"], field="text", value="Leaders should cut waiting times", user=analyst)  # resolves nothing
    assert _status(flagged["document"]) == Document.Status.NEEDS_REVIEW


def test_review_page_shows_what_the_reason_is_about_in_words(client, analyst, flagged):
    client.force_login(analyst)
    html = client.get(reverse("review_fact", args=["weakness", flagged["action"].pk])).content.decode()
    assert REASON in html
    subject = html[html.index("What it is about"):html.index("Recorded values")]
    assert "Kent County Council" in subject and "Leaders should reduce waiting times" in subject
    assert "Area for priority action 1" in subject
    html = client.get(reverse("review_fact", args=["inspection", flagged["inspection"].pk])).content.decode()
    assert "Widespread and/or systemic failings" in html and ">systemic_failings<" not in html


def test_codes_appear_as_words_in_values_history_and_queue(client, analyst):
    path = make_path(weaknesses=1, sufficient=1)
    revisit, judgement = path["revisit"], path["judgements"][0]
    fact_correct(fact=revisit, field="overall", value="sufficient_none", user=analyst)
    Inspection.objects.filter(pk=path["inspection"].pk).update(needs_review=True)
    type(revisit).objects.filter(pk=revisit.pk).update(needs_review=True)
    client.force_login(analyst)
    html = client.get(reverse("review_fact", args=["revisit", revisit.pk])).content.decode()
    assert "Sufficient progress in none" in html
    history = html[html.index('id="history-h"'):]
    assert "Corrected</strong> overall" in history
    assert "from “Sufficient progress in every weakness” to “Sufficient progress in none”" in history
    assert "sufficient_all" not in history and "sufficient_none" not in history
    html = client.get(reverse("review_fact", args=["judgement", judgement.pk])).content.decode()
    values = html[html.index('id="values-h"'):html.index('id="history-h"')]
    assert "Sufficient progress" in values and ">True<" not in values and "True" not in values
    queue = client.get(reverse("review_queue")).content.decode()
    assert "Revisit or monitoring inspection" in queue and "Written statement of action required" in queue
    assert ">revisit<" not in queue and "wsoa_required" not in queue


def test_team_and_findings_are_lists_and_edited_as_fields_not_json(client, analyst):
    inspection = make_inspection(make_area("Kent"), needs_review=True, review_reasons=["Team garbled."],
                                 inspection_team=[{"name": "Jo Smith", "role": "HMI, lead inspector", "organisation": "Ofsted"}],
                                 findings={"main_findings": [{"text": "Leaders know the area well.", "span": [3, 30]}],
                                           "monitoring_inspection_within": "18 months"})
    client.force_login(analyst)
    url = reverse("review_fact", args=["inspection", inspection.pk])
    html = client.get(url).content.decode()
    assert "{'name'" not in html and "[{" not in html and '{"name"' not in html
    assert "Jo Smith, HMI, lead inspector (Ofsted)" in html
    assert 'name="c-inspection_team-team_0_name" value="Jo Smith"' in html  # a field per person and column
    assert "Main findings (one per line)" in html and "Monitoring inspection within" in html
    # add a person and a finding through the fields
    response = client.post(url, {
        "action": "correct:inspection_team", "c-inspection_team-field": "inspection_team",
        "c-inspection_team-team_0_name": "Jo Smith", "c-inspection_team-team_0_role": "HMI, lead inspector",
        "c-inspection_team-team_0_organisation": "Ofsted",
        "c-inspection_team-team_1_name": "Sam Patel", "c-inspection_team-team_1_role": "Children's services inspector",
        "c-inspection_team-team_1_organisation": "CQC",
    })
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.inspection_team[1] == {"name": "Sam Patel", "role": "Children's services inspector", "organisation": "CQC"}
    response = client.post(url, {
        "action": "correct:findings", "c-findings-field": "findings",
        "c-findings-finding_0": "Leaders know the area well.\nWaiting times are long.",
        "c-findings-finding_1": "18 months",
    })
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.findings["main_findings"] == [{"text": "Leaders know the area well.", "span": [3, 30]},
                                                    {"text": "Waiting times are long."}]  # the unchanged item keeps its span
    assert inspection.findings["monitoring_inspection_within"] == "18 months"
    # a role without a name is refused beside the field
    response = client.post(url, {"action": "correct:inspection_team", "c-inspection_team-field": "inspection_team",
                                 "c-inspection_team-team_0_role": "HMI"})
    assert response.status_code == 400 and "Give the person&#x27;s name" in response.content.decode()


def test_each_decision_leads_to_the_next_item(client, analyst, flagged):
    client.force_login(analyst)
    other = make_inspection(make_area("Surrey"), confidence=0.1, needs_review=True, review_reasons=["x"])
    response = client.post(reverse("review_fact", args=["inspection", flagged["inspection"].pk]), {"action": "confirm"})
    assert response.status_code == 302
    nxt = client.get(response["Location"])
    assert nxt.status_code == 302 and nxt["Location"] == reverse("review_fact", args=["inspection", other.pk])
    page = client.get(nxt["Location"]).content.decode()
    assert f'href="/review/next/?skip=inspection:{other.pk}"' in page and "Next item" in page
    # skipping the first leads to the second; nothing left shows the queue saying so
    assert client.get(f"/review/next/?skip=inspection:{other.pk}")["Location"] == reverse("review_fact", args=["weakness", flagged["action"].pk])
    fact_confirm(fact=other, user=analyst)
    fact_confirm(fact=flagged["action"], user=analyst)
    done = client.get("/review/next/")
    assert done.status_code == 200 and "Nothing else needs review." in done.content.decode()


def test_findings_with_text_leaves_and_the_subject_inspection_read_plainly(client, analyst):
    inspection = make_inspection(make_area("Kent"), findings={"monitoring_inspection_within": "18 months",
                                                              "main_findings": [{"text": "Leaders know the area.", "span": [0, 5]}]})
    weakness = make_weakness(inspection, 1, needs_review=True, review_reasons=["x"])
    client.force_login(analyst)
    html = client.get(reverse("review_fact", args=["inspection", inspection.pk])).content.decode()
    values = html[html.index('id="values-h"'):html.index('id="history-h"')]
    assert "18 months" in values and "Leaders know the area." in values and "dict_items" not in values
    subject = client.get(reverse("review_fact", args=["weakness", weakness.pk])).content.decode()
    subject = subject[subject.index("What it is about"):subject.index("Recorded values")]
    assert "Kent Initial inspection (2016 framework)" in subject  # the inspection it belongs to, named


def test_a_settled_document_stays_done_when_re_processed(analyst):
    """Real seed letters: the document that needs review on ingest (a secondary source) is settled by confirming
    its flagged facts, and re-processing it does not bring "Needs review" back (pipeline/write.py)."""
    import io

    from django.core.management import call_command

    from inspections.pipeline.run import ingest_document
    from inspections.review.services import FACT_MODELS
    from tests.conftest import SEEDS

    out = io.StringIO()
    call_command("load_areas", stdout=out)
    call_command("ingest", *sorted(str(p) for p in SEEDS.glob("*.txt")), stdout=out, stderr=out)
    flagged = list(Document.objects.filter(status=Document.Status.NEEDS_REVIEW))
    assert flagged, "the seeds include a document that needs review"
    for document in flagged:
        for model in FACT_MODELS.values():
            for fact in model.objects.filter(source_document=document, needs_review=True):
                fact_confirm(fact=fact, user=analyst)
        assert _status(document) == Document.Status.DONE
        Document.objects.filter(pk=document.pk).update(status=Document.Status.QUEUED)
        ingest_document(document.pk)
        assert _status(document) == Document.Status.DONE, document.error
