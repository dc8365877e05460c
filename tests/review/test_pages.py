"""/review/ and /review/<model>/<id>/: the queue, the fact beside its highlighted source, the decision forms."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import FieldCorrection, Inspection, SignificantWeakness
from inspections.review.services import fact_correct
from tests.factories import make_document, make_inspection, make_path, make_weakness

pytestmark = pytest.mark.django_db

QUEUE_MAX_QUERIES = 8
FACT_PAGE_MAX_QUERIES = 9

LETTER = ("Dear Director\n" + "Preamble. " * 300 + "\nThe inspection took place from 6 to 10 March <2017> & ended."
          + "\nMore text. " * 300)


@pytest.fixture
def fact():
    document = make_document(LETTER)
    return make_inspection(document=document, phrase="6 to 10 March <2017> & ended", needs_review=True,
                           confidence=0.3, review_reasons=["The inspection dates were not found."])


def _review_url(obj, slug="inspection"):
    return reverse("review_fact", kwargs={"model": slug, "pk": obj.pk})


def test_fact_page_highlights_the_escaped_passage_with_context(client, analyst, fact):
    client.force_login(analyst)
    html = client.get(_review_url(fact)).content.decode()
    assert '<mark id="passage">6 to 10 March &lt;2017&gt; &amp; ended</mark>' in html
    assert "<2017>" not in html  # the document text is escaped, never trusted
    window = html.split('class="source-window"')[1].split("</div>")[0]
    assert "took place from" in window and "Preamble." in window and "More text." in window
    assert window.count("Preamble.") < 300  # a window of context, not the whole document
    assert "js/review.js" in html  # scrolls the passage into view
    assert "The inspection dates were not found." in html
    assert 'value="confirm"' in html and 'value="reject"' in html and 'value="correct:start_date"' in html


def test_correct_through_the_form_then_the_fact_page_shows_who_and_the_history(client, analyst, fact, settings):
    client.force_login(analyst)
    response = client.post(_review_url(fact), {
        "action": "correct:start_date", "c-start_date-field": "start_date",
        "c-start_date-value": "2017-03-07", "c-start_date-note": "Letter misprint", "c-start_date-settles": "on",
    })
    assert response.status_code == 302
    fact.refresh_from_db()
    assert fact.start_date == dt.date(2017, 3, 7) and not fact.needs_review
    settings.PUBLIC_READ = True
    client.logout()
    html = client.get(reverse("fact_detail", kwargs={"model": "inspection", "pk": fact.pk})).content.decode()
    assert "Corrected</span> <span class=\"muted\">by ada on" in html
    assert "Letter misprint" in html and "from “2017-03-06” to “2017-03-07”" in html
    assert 'value="correct:start_date"' not in html  # no forms on the public page


def test_invalid_correction_is_shown_beside_its_field(client, analyst, fact):
    client.force_login(analyst)
    response = client.post(_review_url(fact), {
        "action": "correct:outcome", "c-outcome-field": "outcome", "c-outcome-value": "splendid",
    })
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not FieldCorrection.objects.exists()


def test_confirm_and_reject_through_the_page(client, analyst, fact):
    client.force_login(analyst)
    assert client.post(_review_url(fact), {"action": "confirm", "note": "ok"}).status_code == 302
    fact.refresh_from_db()
    assert not fact.needs_review
    refused = client.post(_review_url(fact), {"action": "reject", "note": ""})
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    response = client.post(_review_url(fact), {"action": "reject", "note": "Duplicate of another letter"})
    # on to the next item of the queue (issue 13 item 5), which is the queue itself when nothing is left
    assert response.status_code == 302 and response["Location"] == f"{reverse('review_next')}?skip=inspection:{fact.pk}"
    assert not Inspection.objects.filter(pk=fact.pk).exists()
    # The public page no longer shows it; the review page still does, marked rejected, with no forms.
    assert client.get(reverse("fact_detail", kwargs={"model": "inspection", "pk": fact.pk})).status_code == 404
    html = client.get(_review_url(fact)).content.decode()
    assert "badge-rejected" in html and 'value="confirm"' not in html


def test_rejected_fact_leaves_lists_and_exports(client, analyst, settings):
    settings.PUBLIC_READ = True
    path = make_path(weaknesses=2)
    weakness = path["weaknesses"][0]
    weakness.text = "Unmistakable misread weakness"
    weakness.save()
    assert "Unmistakable misread weakness" in client.get("/exports/weaknesses.csv").getvalue().decode()
    client.force_login(analyst)
    client.post(_review_url(weakness, "weakness"), {"action": "reject", "note": "Not a weakness"})
    assert SignificantWeakness.all_objects.get(pk=weakness.pk).rejected
    assert "Unmistakable misread weakness" not in client.get("/exports/weaknesses.csv").getvalue().decode()
    assert "Unmistakable misread weakness" not in client.get("/weaknesses/").content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_lists_every_kind_of_doubtful_fact_with_bounded_queries(client, analyst, django_assert_max_num_queries):
    client.force_login(analyst)
    counts = []
    for size in (2, 20):
        for _ in range(size):
            path = make_path(weaknesses=2)
            for obj in (path["inspection"], path["weaknesses"][0], path["revisit"], path["judgements"][0], path["wsoa"]):
                type(obj).objects.filter(pk=obj.pk).update(needs_review=True, confidence=0.5)
        make_document(status="needs_review", name=f"doubtful-{size}.pdf")
        with django_assert_max_num_queries(QUEUE_MAX_QUERIES):
            html = client.get("/review/").content.decode()
        counts.append(_count(client, "/review/"))
    assert counts[0] == counts[1]  # the same number of queries for 10x the rows
    for slug in ("inspection", "weakness", "revisit", "judgement", "wsoa"):
        assert f"/review/{slug}/" in html
    assert "doubtful-20.pdf" in html
    assert "Rows 1–50 of 110" in html  # 22 paths x 5 facts, paginated


def test_fact_pages_have_bounded_queries_for_every_kind(client, analyst, django_assert_max_num_queries):
    client.force_login(analyst)
    path = make_path(weaknesses=2)
    fact_correct(fact=path["weaknesses"][0], field="text", value="Corrected text", user=analyst)
    for slug, obj in [("inspection", path["inspection"]), ("weakness", path["weaknesses"][0]),
                      ("revisit", path["revisit"]), ("judgement", path["judgements"][0]), ("wsoa", path["wsoa"])]:
        with django_assert_max_num_queries(FACT_PAGE_MAX_QUERIES):
            response = client.get(_review_url(obj, slug))
        assert response.status_code == 200, slug
    assert client.get(reverse("review_fact", kwargs={"model": "nonsense", "pk": 1})).status_code == 404


def test_timeline_marks_a_corrected_fact(client, analyst, settings):
    settings.PUBLIC_READ = True
    path = make_path(weaknesses=1)
    fact_correct(fact=path["inspection"], field="lead_inspector", value="Jo Smith HMI", user=analyst)
    html = client.get(f"/areas/{path['area'].gss_code}/").content.decode()
    assert "badge-corrected" in html and f"/facts/inspection/{path['inspection'].pk}/" in html


def test_weakness_without_source_says_so(client, analyst):
    client.force_login(analyst)
    weakness = make_weakness(make_inspection())
    assert "No source passage is recorded" in client.get(_review_url(weakness, "weakness")).content.decode()


def test_public_fact_page_names_the_document_without_a_link_readers_would_be_refused(client, fact, settings):
    settings.PUBLIC_READ = True
    html = client.get(reverse("fact_detail", kwargs={"model": "inspection", "pk": fact.pk})).content.decode()
    assert fact.source_document.original_name in html
    assert f'href="/documents/{fact.source_document_id}/"' not in html
    assert client.get(f"/documents/{fact.source_document_id}/").status_code in (302, 403)


def test_analyst_fact_page_links_the_document(client, analyst, fact):
    client.force_login(analyst)
    html = client.get(_review_url(fact)).content.decode()
    assert f'href="/documents/{fact.source_document_id}/"' in html
