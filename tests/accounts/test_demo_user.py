"""The demo login that scripts/serve creates (scripts/demo_user.py, published password) is an analyst without admin
rights: it uploads and reviews through the review contract, and cannot open the admin, add users, edit groups or
delete documents or facts."""

import runpy

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.models import Document, FieldCorrection, Inspection
from sendtracker.access import ANALYST_GROUP
from tests.conftest import PROJECT_ROOT
from tests.factories import make_path

pytestmark = pytest.mark.django_db

SCRIPT = str(PROJECT_ROOT / "scripts" / "demo_user.py")
USERNAME, PASSWORD = "analyst", "analyst-demo"


@pytest.fixture
def demo(monkeypatch, capsys):
    """Run the script as scripts/serve does (DEBUG off, SENDTRACKER_DEMO_LOGIN=1); returns (user, what it printed)."""
    monkeypatch.setenv("SENDTRACKER_DEMO_LOGIN", "1")
    runpy.run_path(SCRIPT)
    return get_user_model().objects.get(username=USERNAME), capsys.readouterr().out


def _log_in(client):
    response = client.post("/accounts/login/", {"username": USERNAME, "password": PASSWORD, "next": "/"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_the_demo_login_is_an_analyst_not_an_administrator(demo):
    user, printed = demo
    assert not user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [ANALYST_GROUP]
    assert user.has_perms(["inspections.add_document", "inspections.change_document", "inspections.review_fact"])
    for perm in ("auth.add_user", "auth.change_user", "auth.change_group", "inspections.delete_document",
                 "inspections.delete_inspection", "inspections.change_inspection", "inspections.add_inspection"):
        assert not user.has_perm(perm), perm
    assert f"Log in as {USERNAME} / {PASSWORD}" in printed


def test_an_earlier_superuser_demo_login_is_demoted(monkeypatch, capsys):
    """Clones served before this change hold a superuser 'analyst': running serve again takes the rights back."""
    old = get_user_model().objects.create_superuser(USERNAME, password=PASSWORD)
    old.groups.add(Group.objects.create(name="editors"))
    monkeypatch.setenv("SENDTRACKER_DEMO_LOGIN", "1")
    runpy.run_path(SCRIPT)
    old.refresh_from_db()
    assert not old.is_staff and not old.is_superuser
    assert list(old.groups.values_list("name", flat=True)) == [ANALYST_GROUP]
    assert "now an analyst only" in capsys.readouterr().out


def test_no_demo_login_in_production(monkeypatch, settings, capsys):
    settings.DEBUG = False
    monkeypatch.delenv("SENDTRACKER_DEMO_LOGIN", raising=False)
    runpy.run_path(SCRIPT)
    assert not get_user_model().objects.filter(username=USERNAME).exists()
    assert "no demo login created" in capsys.readouterr().out


def test_the_demo_login_uploads_and_reviews(client, demo):
    path = make_path(weaknesses=1, sufficient=1)
    _log_in(client)
    upload = client.post("/documents/upload/", {"files": SimpleUploadedFile("note.txt", b"A note, not a letter.")})
    assert upload.status_code == 302 and Document.objects.filter(original_name="note.txt").exists()
    inspection, weakness = path["inspection"], path["weaknesses"][0]
    url = f"/review/inspection/{inspection.pk}/"
    assert client.post(url, {"action": "confirm"}).status_code == 302
    assert client.post(url, {"action": "correct:start_date", "c-start_date-field": "start_date",
                             "c-start_date-value": "2017-03-07", "c-start_date-note": "misprint"}).status_code == 302
    assert client.post(f"/review/weakness/{weakness.pk}/", {"action": "reject", "note": "not in the letter"}).status_code == 302
    decisions = FieldCorrection.objects.filter(username=USERNAME)
    assert set(decisions.values_list("action", flat=True)) == {"confirm", "correct", "reject"}  # the reject carries its judgement
    inspection.refresh_from_db()
    assert str(inspection.start_date) == "2017-03-07" and "start_date" in inspection.locked_fields


def test_the_demo_login_cannot_use_the_admin(client, demo):
    user, _ = demo
    path = make_path(weaknesses=1, sufficient=1)
    document, inspection = path["document"], path["inspection"]
    _log_in(client)
    for url in ("/admin/", "/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
    client.post("/admin/auth/user/add/", {"username": "mallory", "usable_password": "true",
                                          "password1": "Mallory-pass-1", "password2": "Mallory-pass-1"})
    group = Group.objects.get(name=ANALYST_GROUP)
    client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "analyst", "permissions": []})
    client.post(f"/admin/inspections/document/{document.pk}/delete/", {"post": "yes"})
    client.post(f"/admin/inspections/inspection/{inspection.pk}/delete/", {"post": "yes"})
    assert not get_user_model().objects.filter(username="mallory").exists()
    assert group.permissions.filter(codename="review_fact").exists()
    assert Document.objects.filter(pk=document.pk).exists() and Inspection.objects.filter(pk=inspection.pk).exists()
