"""Choosing the area of a letter whose printed name the register could not match: a decision like any other —
audited, locked, surviving re-processing — after which the document is read as that area's."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from inspections.models import Document, FieldCorrection, Inspection, SourceLetter
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def register():
    call_command("load_areas", stdout=io.StringIO())


@pytest.fixture
def analyst(client, django_user_model):
    user = django_user_model.objects.create_user("ada", password="pw")
    user.groups.add(Group.objects.get(name="analyst"))
    client.force_login(user)
    return user


def misnamed_letter(tmp_path) -> Document:
    """Stockton's seed letter with its area misprinted "Gatehsead" everywhere: no area matches."""
    text = (SEEDS / "004_88fbfc01210d008c.txt").read_text()
    for name in ("Stockton-on-\nTees", "Stockton-on- Tees", "Stockton-on-Tees", "Stockton"):
        text = text.replace(name, "Gatehsead")
    path = tmp_path / "gatehsead.txt"
    path.write_text(text)
    call_command("ingest", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return Document.objects.get(original_name="gatehsead.txt")


def test_choosing_the_area_is_audited_locked_and_survives_reprocessing(client, register, analyst, tmp_path):
    document = misnamed_letter(tmp_path)
    letter = SourceLetter.objects.get(document=document)
    assert letter.area_id is None and not Inspection.objects.filter(source_document=document).exists()
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert f"/review/letters/{letter.pk}/area/" in page  # the way to fix it
    search = client.get(f"/review/letters/{letter.pk}/area/").content.decode()
    assert "Gateshead" in search and "E08000037" in search  # the misprint finds its area
    response = client.post(f"/review/letters/{letter.pk}/area/", {"gss": "E08000037", "note": "misprint"})
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/"
    decision = FieldCorrection.objects.get(object_id=document.pk, field="letter_area")
    assert decision.username == "ada" and decision.new_value["gss_code"] == "E08000037" and decision.note == "misprint"
    inspection = Inspection.objects.get(source_document=document)
    assert inspection.area.gss_code == "E08000037"
    # Re-processing reads it as Gateshead's again.
    _reprocess(document)  # tasks run in-process here: the pipeline has run again when this returns
    assert Inspection.objects.get(source_document=document).area.gss_code == "E08000037"
    assert SourceLetter.objects.get(document=document).area.gss_code == "E08000037"
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "Areas chosen by analysts" in page and "chosen by ada" in page


def _reprocess(document):
    from inspections.ingest.services import document_reprocess

    document.refresh_from_db()
    document_reprocess(documents=[document])


def test_an_area_must_be_chosen_from_the_register(client, register, analyst, tmp_path):
    letter = SourceLetter.objects.get(document=misnamed_letter(tmp_path))
    response = client.post(f"/review/letters/{letter.pk}/area/", {"gss": "E99999999"})
    assert response.status_code == 400 and "Choose one of the areas listed" in response.content.decode()
    assert not FieldCorrection.objects.filter(field="letter_area").exists()


def test_only_analysts_choose(client, register, tmp_path, django_user_model):
    letter = SourceLetter.objects.get(document=misnamed_letter(tmp_path))
    client.force_login(django_user_model.objects.create_user("viewer", password="pw"))
    assert client.post(f"/review/letters/{letter.pk}/area/", {"gss": "E08000037"}).status_code == 403
