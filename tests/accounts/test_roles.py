"""README "Who may do what": one test per cell of the roles table. Each action is tried for real (a POST where the
action writes) and judged by its effect, not only by the status code:

- "yes": it happened (the page was served, the row was written or deleted);
- "login": sent to a login page, nothing happened;
- "no": refused to a logged-in user (403, or the admin's "not authorised" login page), nothing happened.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.models import Document, FieldCorrection, Inspection, SourceLetter
from tests.factories import make_path

pytestmark = pytest.mark.django_db

ROLES = ["anonymous, PUBLIC_READ off", "anonymous, PUBLIC_READ on", "analyst", "admin"]

# action: expected outcome per role, in ROLES' order. The README table is this table.
TABLE = {
    "read pages (dashboard, areas, lists, fact pages, exports, search)": ("login", "yes", "yes", "yes"),
    "open documents and download originals": ("login", "login", "yes", "yes"),
    "upload documents": ("login", "login", "yes", "yes"),
    "re-process a document": ("login", "login", "yes", "yes"),
    "confirm, correct or reject a fact (review)": ("login", "login", "yes", "yes"),
    "open the Django admin": ("login", "login", "no", "yes"),
    "add users": ("login", "login", "no", "yes"),
    "edit groups and their permissions": ("login", "login", "no", "yes"),
    "delete documents": ("login", "login", "no", "yes"),
    "add, change or delete a fact in the admin": ("login", "login", "no", "no"),
}


@pytest.fixture
def sample():
    path = make_path(weaknesses=1, sufficient=1)
    path["document"].file.save("letter.txt", ContentFile(b"A letter."), save=True)
    # A letter read from the document: deleting the document takes it along, though its admin is read-only.
    SourceLetter.objects.create(document=path["document"], position=0, kind="initial_inspection", framework="2016",
                                area=path["area"], fingerprint="f", span_start=0, span_end=9, data={})
    return path


def _login_redirect(response) -> bool:
    return response.status_code == 302 and "/login/" in response["Location"]


def _read(client, sample):
    urls = ["/", "/areas/", f"/areas/{sample['area'].gss_code}/", "/inspections/", "/weaknesses/", "/search/?q=local",
            f"/facts/inspection/{sample['inspection'].pk}/", "/exports/inspections.csv"]
    responses = [client.get(url) for url in urls]
    return responses[0], all(r.status_code == 200 for r in responses)


def _documents(client, sample):
    pk = sample["document"].pk
    page, file = client.get(f"/documents/{pk}/"), client.get(f"/documents/{pk}/file/")
    return page, page.status_code == 200 and file.status_code == 200 and b"".join(file.streaming_content) == b"A letter."


def _upload(client, sample):
    response = client.post("/documents/upload/", {"files": SimpleUploadedFile("new.txt", b"A note about nothing.")})
    return response, Document.objects.filter(original_name="new.txt").exists()


def _reprocess(client, sample):
    pk = sample["document"].pk
    response = client.post(f"/documents/{pk}/reprocess/")
    return response, response.status_code == 302 and response["Location"] == f"/documents/{pk}/"


def _review(client, sample):
    response = client.post(f"/review/inspection/{sample['inspection'].pk}/", {"action": "confirm"})
    return response, FieldCorrection.objects.filter(action="confirm").exists()


def _admin(client, sample):
    response = client.get("/admin/")
    return response, response.status_code == 200


def _add_user(client, sample):
    response = client.post("/admin/auth/user/add/", {"username": "mallory", "usable_password": "true",
                                                     "password1": "Mallory-pass-1", "password2": "Mallory-pass-1"})
    return response, get_user_model().objects.filter(username="mallory").exists()


def _edit_group(client, sample):
    group = Group.objects.get(name="analyst")
    response = client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "analysts-renamed", "permissions": []})
    return response, Group.objects.filter(name="analysts-renamed").exists()


def _delete_document(client, sample):
    pk = sample["document"].pk
    response = client.post(f"/admin/inspections/document/{pk}/delete/", {"post": "yes"})
    return response, not Document.objects.filter(pk=pk).exists()


def _fact_in_admin(client, sample):
    inspection = sample["inspection"]
    base = "/admin/inspections/inspection/"
    data = {"area": inspection.area_id, "framework": "2016", "kind": "initial_inspection", "start_date": "2020-05-05",
            "outcome": "no_wsoa", "source_kind": "letter", "confidence": "1.0"}
    responses = [client.post(f"{base}add/", data), client.post(f"{base}{inspection.pk}/change/", data),
                 client.post(f"{base}{inspection.pk}/delete/", {"post": "yes"})]
    changed = (Inspection.all_objects.count() != 1
               or Inspection.all_objects.get(pk=inspection.pk).start_date.isoformat() != "2017-03-06")
    # All three must agree: the add is the first response, and all were refused alike.
    assert len({(r.status_code, _login_redirect(r)) for r in responses}) == 1, [r.status_code for r in responses]
    return responses[0], changed


ACTIONS = dict(zip(TABLE, [_read, _documents, _upload, _reprocess, _review, _admin, _add_user, _edit_group,
                           _delete_document, _fact_in_admin]))


def _as(role: str, client, settings):
    settings.PUBLIC_READ = role == "anonymous, PUBLIC_READ on"
    if role == "analyst":
        user = get_user_model().objects.create_user("ada", password="pw-not-used")
        user.groups.add(Group.objects.get(name="analyst"))
        client.force_login(user)
    elif role == "admin":
        client.force_login(get_user_model().objects.create_superuser("root", password="pw-not-used"))
    return role in ("analyst", "admin")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", TABLE)
def test_roles_table(client, settings, sample, action, role):
    expected = TABLE[action][ROLES.index(role)]
    logged_in = _as(role, client, settings)
    response, happened = ACTIONS[action](client, sample)
    if happened:
        outcome = "yes"
    elif _login_redirect(response) and not logged_in:
        outcome = "login"
    else:
        assert response.status_code in (302, 403), response.status_code  # refused, never an error page
        outcome = "no"
    assert outcome == expected, (action, role, response.status_code, response.get("Location"))


def test_the_readme_table_is_this_table():
    from tests.conftest import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text()
    words = {"yes": "yes", "no": "no", "login": "login page"}
    for action, outcomes in TABLE.items():
        row = f"| {action} | " + " | ".join(words[o] for o in outcomes) + " |"
        assert row in readme, row
