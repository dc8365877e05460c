"""Issue 13 item 4: a document's page leads to what was read from it, and analysts can open the original.

The page names its area(s), links each inspection/revisit it produced, counts its facts and, when it needs
review, lists the facts to check with their reasons. The original file is served through a permission-checked
view reading Django's storage, never a public /media/ URL."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from inspections.models import Document
from tests.factories import make_area, make_document, make_inspection, make_path, make_weakness

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client, django_user_model):
    user = django_user_model.objects.create_user("ana", password="pw")
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="inspections", codename__in=["view_document", "review_fact"]))
    client.force_login(user)
    return user


def test_processed_document_links_its_area_stages_and_counts_its_facts(client, analyst):
    path = make_path(make_area("Medway", gss_code="E06000035"), weaknesses=2, sufficient=1)
    html = client.get(reverse("document_detail", args=[path["document"].pk])).content.decode()
    assert 'href="/areas/E06000035/">Medway</a>' in html
    assert f'href="/facts/inspection/{path["inspection"].pk}/"' in html
    assert f'href="/facts/revisit/{path["revisit"].pk}/"' in html
    assert "Initial inspection (2016 framework)" in html  # words, not initial_inspection
    assert "Written statement of action required" in html and "wsoa_required" not in html
    # 1 inspection + 1 WSOA + 1 revisit + 2 weaknesses + 2 judgements
    assert "7 in all: 1 inspection, 1 written statement of action, 1 revisit or monitoring inspection, " \
           "2 weaknesses or priority actions, 2 progress judgements" in html
    assert "To check" not in html


def test_needs_review_document_lists_the_facts_to_check_with_their_reasons(client, analyst):
    document = make_document("Dear Director. The inspection found weaknesses.", status=Document.Status.NEEDS_REVIEW)
    inspection = make_inspection(make_area("Kent"), document=document)
    doubtful = make_weakness(inspection, 3, document=document, text="Leaders do not know the waiting times",
                             needs_review=True, review_reasons=["A responsible body and its action were printed on one line."])
    html = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert "1 to check" in html
    assert f'href="/review/weakness/{doubtful.pk}/"' in html
    assert "A responsible body and its action were printed on one line." in html
    assert "Leaders do not know the waiting times" in html


def test_a_letter_naming_no_known_area_is_said_plainly(client, analyst):
    from inspections.models import SourceLetter

    document = make_document("Some letter text.", status=Document.Status.NEEDS_REVIEW)
    SourceLetter.objects.create(document=document, position=0, kind="initial_inspection", framework="2016",
                                area_name_printed="Atlantis", fingerprint="x", span_start=0, span_end=5, data={},
                                needs_review=True, review_reasons=["No local area is called Atlantis."])
    html = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert "No fact was recorded from this document (1 letter read)" in html
    assert "“Atlantis” produced no facts: No local area is called Atlantis." in html


def test_the_original_file_is_served_through_storage_to_analysts_only(client, analyst, django_user_model, settings):
    document = make_document("A letter.", name="kent-letter.pdf", content_type="application/pdf")
    document.file.save("kent.pdf", ContentFile(b"%PDF-1.4 fake"), save=True)
    detail = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    url = reverse("document_file", args=[document.pk])
    assert f'href="{url}"' in detail and "/media/" not in detail
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 fake"
    assert response["Content-Type"] == "application/pdf" and "inline" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "sandbox"
    # uploaded HTML would run in the site's origin: downloaded, never shown inline
    html_doc = make_document("<p>x</p>", name="page.html", content_type="text/html")
    html_doc.file.save("page.html", ContentFile(b"<script>alert(1)</script>"), save=True)
    assert "attachment" in client.get(reverse("document_file", args=[html_doc.pk]))["Content-Disposition"]
    # a reader without the permission is refused; an anonymous visitor is sent to log in, even with PUBLIC_READ
    settings.PUBLIC_READ = True
    client.force_login(django_user_model.objects.create_user("rita", password="pw"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_missing_file_is_a_404_with_the_reason(client, analyst):
    document = make_document("A letter.")
    document.file.name = "documents/2020/01/gone.pdf"
    document.save(update_fields=["file"])
    response = client.get(reverse("document_file", args=[document.pk]))
    assert response.status_code == 404
    assert client.get(reverse("document_file", args=[make_document().pk])).status_code == 404  # no file at all


def test_admin_links_the_file_through_the_checked_view_not_media(admin_client):
    document = make_document("A letter.", name="kent.pdf")
    document.file.save("kent.pdf", ContentFile(b"%PDF-1.4"), save=True)
    html = admin_client.get(reverse("admin:inspections_document_change", args=[document.pk])).content.decode()
    assert f'href="{reverse("document_file", args=[document.pk])}"' in html and "/media/" not in html


def test_seed_documents_pages_lead_to_what_the_pipeline_read(client, analyst):
    """Real data: the five seed documents ingested as scripts/serve does; every processed document names at least
    one area and links each inspection or revisit it produced; its counts agree with the fact tables."""
    import io

    from django.core.management import call_command

    from inspections.models import Inspection, Revisit, SignificantWeakness
    from tests.conftest import SEEDS

    out = io.StringIO()
    call_command("load_areas", stdout=out)
    call_command("ingest", *sorted(str(p) for p in SEEDS.glob("*.txt")), stdout=out, stderr=out)
    processed = Document.objects.filter(status__in=[Document.Status.DONE, Document.Status.NEEDS_REVIEW])
    assert processed.count() >= 3
    for document in processed:
        html = client.get(reverse("document_detail", args=[document.pk])).content.decode()
        stages = [*Inspection.objects.filter(source_document=document), *Revisit.objects.filter(source_document=document)]
        for stage in stages:
            slug = "inspection" if isinstance(stage, Inspection) else "revisit"
            assert f'href="/facts/{slug}/{stage.pk}/"' in html, (document.original_name, stage)
        if stages:
            assert 'href="/areas/E06' in html or 'href="/areas/E' in html
        weaknesses = SignificantWeakness.objects.filter(source_document=document).count()
        if weaknesses:
            assert f"{weaknesses} weakness" in html, document.original_name
        if document.status == Document.Status.NEEDS_REVIEW:
            assert "To check" in html
