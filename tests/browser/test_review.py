"""The analyst's review path in real Chromium: log in -> review queue -> fact beside its highlighted
passage (scrolled into view) -> correct a date -> the history shows it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from inspections.models import Inspection
from tests.factories import make_document, make_inspection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTER = "Dear Director\n" + "Background paragraph.\n" * 200 + "The inspection took place from 6 to 10 March 2017.\n" + "Closing.\n" * 100


def test_log_in_review_and_correct(page, live_server, shot):
    user = get_user_model().objects.create_user("ada", password="a-long-test-password")
    user.groups.add(Group.objects.get(name="analyst"))
    fact = make_inspection(document=make_document(LETTER), phrase="6 to 10 March 2017", needs_review=True,
                           confidence=0.3, review_reasons=["The inspection dates were not found."])

    page.goto(f"{live_server.url}/review/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=f"Review inspection #{fact.pk}").click()

    mark = page.locator("mark#passage")
    assert mark.inner_text() == "6 to 10 March 2017"
    box = page.locator(".source-window").bounding_box()
    spot = mark.bounding_box()
    assert box["y"] <= spot["y"] <= box["y"] + box["height"]  # scrolled into view inside its box
    shot(page, "review-fact")

    page.locator("details.correct", has=page.locator('button[value="correct:start_date"]')).locator("summary").click()
    page.locator("#id_c-start_date-value").fill("2017-03-07")
    page.locator("#id_c-start_date-note").fill("Misprint")
    page.locator('button[value="correct:start_date"]').click()
    # The correction settled the only doubt: on to the next item, here the queue saying nothing is left.
    assert page.get_by_text(f"Corrected the start date of inspection #{fact.pk}").is_visible()
    assert page.get_by_text("Nothing else needs review.").is_visible()
    page.goto(f"{live_server.url}/facts/inspection/{fact.pk}/")
    assert page.locator(".history-list").inner_text().startswith("Corrected start date by ada")
    fact = Inspection.objects.get(pk=fact.pk)
    assert str(fact.start_date) == "2017-03-07" and not fact.needs_review
    shot(page, "review-corrected")
