"""No fact changes in the Django admin (inspections/review/admin.py): the fact admins are read-only for everyone,
superusers included, and link each fact to its review page, the one place it is confirmed, corrected or rejected
(audited as a FieldCorrection and locked). An inspection added by hand can therefore never reach the CSV."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from inspections.models import FieldCorrection, Inspection, SourceLetter
from inspections.review.services import FACT_MODELS
from sendtracker.access import ANALYST_GROUP
from tests.factories import make_path

pytestmark = pytest.mark.django_db

ADMIN_NAMES = {"inspection": "inspection", "wsoa": "writtenstatementofaction", "revisit": "revisit",
               "weakness": "significantweakness", "judgement": "progressjudgement"}


@pytest.fixture
def facts():
    path = make_path(weaknesses=2, sufficient=1)
    return {"inspection": path["inspection"], "wsoa": path["wsoa"], "revisit": path["revisit"],
            "weakness": path["weaknesses"][0], "judgement": path["judgements"][0]}


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="pw-not-used")


@pytest.fixture
def staff_analyst(db):
    """The case the issue reproduced: an analyst who also has admin access."""
    user = get_user_model().objects.create_user("sam", password="pw-not-used", is_staff=True)
    user.groups.add(Group.objects.get(name=ANALYST_GROUP))
    return user


def _admin(slug: str, suffix: str) -> str:
    return f"/admin/inspections/{ADMIN_NAMES[slug]}/{suffix}"


@pytest.mark.parametrize("slug", FACT_MODELS)
def test_a_fact_cannot_be_added_changed_or_deleted_in_the_admin_even_by_a_superuser(client, superuser, facts, slug):
    fact = facts[slug]
    client.force_login(superuser)
    before = {f.name: getattr(fact, f.attname) for f in type(fact)._meta.fields}

    page = client.get(_admin(slug, f"{fact.pk}/change/"))
    html = page.content.decode()
    assert page.status_code == 200, "viewable"
    assert 'name="_save"' not in html and "Delete" not in html.split('id="content"')[1]
    assert f'href="/review/{slug}/{fact.pk}/"' in html, "the way to change it"

    data = {f.name: "" for f in type(fact)._meta.fields if f.name != "id"}
    assert client.post(_admin(slug, f"{fact.pk}/change/"), data).status_code == 403
    assert client.get(_admin(slug, "add/")).status_code == 403
    assert client.post(_admin(slug, "add/"), data).status_code == 403
    assert client.post(_admin(slug, f"{fact.pk}/delete/"), {"post": "yes"}).status_code == 403

    fact = type(fact).all_objects.get(pk=fact.pk)
    assert {f.name: getattr(fact, f.attname) for f in type(fact)._meta.fields} == before
    assert not FieldCorrection.objects.exists()


@pytest.mark.parametrize("slug", FACT_MODELS)
def test_the_fact_list_links_each_fact_to_its_review_page_and_offers_no_delete(client, superuser, facts, slug):
    client.force_login(superuser)
    html = client.get(_admin(slug, "")).content.decode()
    assert f'href="/review/{slug}/{facts[slug].pk}/"' in html
    assert "delete_selected" not in html and "Add " not in html.split('id="content"')[1].split("</h1>")[0]


def test_a_staff_analyst_cannot_edit_or_add_a_fact_and_nothing_reaches_the_csv(client, staff_analyst, facts):
    inspection = facts["inspection"]
    client.force_login(staff_analyst)
    change = {"area": inspection.area_id, "framework": "2016", "kind": "initial_inspection", "start_date": "2019-01-07",
              "outcome": "no_wsoa", "source_kind": "letter", "confidence": "1.0", "needs_review": ""}
    assert client.post(_admin("inspection", f"{inspection.pk}/change/"), change).status_code == 403
    assert client.post(_admin("inspection", "add/"), {**change, "start_date": "2020-05-05"}).status_code == 403
    inspection.refresh_from_db()
    assert str(inspection.start_date) == "2017-03-06" and inspection.outcome == "wsoa_required"
    assert Inspection.all_objects.count() == 1
    csv = b"".join(client.get("/exports/inspections.csv").streaming_content).decode("utf-8-sig")
    assert "2020-05-05" not in csv and "2019-01-07" not in csv


def test_the_letters_facts_are_projected_from_are_read_only_too(client, superuser, facts):
    document = facts["inspection"].source_document
    letter = SourceLetter.objects.create(document=document, position=0, kind="initial_inspection", framework="2016",
                                         area=facts["inspection"].area, fingerprint="f", span_start=0, span_end=10,
                                         data={"outcome": "wsoa_required"})
    client.force_login(superuser)
    assert client.post(f"/admin/inspections/sourceletter/{letter.pk}/change/",
                       {"data": '{"outcome": "no_wsoa"}'}).status_code == 403
    assert client.post(f"/admin/inspections/sourceletter/{letter.pk}/delete/", {"post": "yes"}).status_code == 403
    letter.refresh_from_db()
    assert letter.data == {"outcome": "wsoa_required"}


def test_the_review_page_the_admin_links_to_is_where_a_fact_changes(client, staff_analyst, facts):
    """The contract still works for the same user: the decision is audited and locked."""
    inspection = facts["inspection"]
    client.force_login(staff_analyst)
    response = client.post(f"/review/inspection/{inspection.pk}/", {"action": "reject", "note": "not this area"})
    assert response.status_code == 302
    assert FieldCorrection.objects.filter(object_id=inspection.pk, action="reject").exists()
    assert Inspection.all_objects.get(pk=inspection.pk).rejected
