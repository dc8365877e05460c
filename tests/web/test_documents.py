"""/documents/upload/, /documents/, /documents/<id>/ (+ the htmx status partial), re-processing, and the admin.

The pipeline itself is not run here (tasks are captured, not executed): these tests are about what the web
layer stores, refuses and queues.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import Document
from tests.factories import make_document

pytestmark = pytest.mark.django_db

PDF_HEAD = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
LETTER = b"Joint local area SEND inspection in Testshire\nOfsted and the Care Quality Commission (CQC) ...\n"


def _user(django_user_model, *codenames: str, name: str = "ana"):
    user = django_user_model.objects.create_user(name, password="pw")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="inspections", codename__in=codenames))
    return user


@pytest.fixture
def analyst(client, django_user_model):
    user = _user(django_user_model, "add_document", "view_document", "change_document")
    client.force_login(user)
    return user


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """The ids handed to the Celery task, instead of running it."""
    from inspections.ingest.tasks import ingest_document

    sent: list[int] = []
    monkeypatch.setattr(ingest_document, "delay", lambda document_id: sent.append(document_id))
    return sent


def _post(client, *files):
    return client.post(reverse("document_upload"), {"files": list(files)}, follow=True)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_upload_page_has_a_multiple_file_input_and_the_drop_zone_script(client, analyst):
    page = client.get(reverse("document_upload")).content.decode()
    assert 'type="file"' in page and " multiple" in page and 'enctype="multipart/form-data"' in page
    assert "js/upload.js" in page and "data-dropzone" in page
    assert "http://" not in page and "https://" not in page  # no CDN


def test_many_files_are_stored_and_queued_only_after_commit(client, analyst, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(
            client,
            SimpleUploadedFile("a.pdf", PDF_HEAD, content_type="application/pdf"),
            SimpleUploadedFile("b.txt", LETTER, content_type="text/plain"),
        )
    assert response.redirect_chain[-1][0] == reverse("document_list")
    documents = list(Document.objects.order_by("pk"))
    assert [d.original_name for d in documents] == ["a.pdf", "b.txt"]
    assert {d.status for d in documents} == {Document.Status.QUEUED}
    assert documents[0].uploaded_by == analyst
    assert enqueued == []  # nothing sent while the transaction was open
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert enqueued == [d.pk for d in documents]
    assert any("a.pdf: stored as" in m for m in _messages(response))


def test_identical_content_is_a_duplicate_not_stored_twice(client, analyst, enqueued, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, SimpleUploadedFile("first.txt", LETTER))
        response = _post(client, SimpleUploadedFile("again-renamed.txt", LETTER), SimpleUploadedFile("third.txt", LETTER))
    original = Document.objects.get(original_name="first.txt")
    duplicates = Document.objects.filter(status=Document.Status.DUPLICATE)
    assert {d.original_name for d in duplicates} == {"again-renamed.txt", "third.txt"}
    assert all(d.duplicate_of == original and not d.file for d in duplicates)
    assert enqueued == [original.pk]  # duplicates are never queued
    stored = [p for p in (settings.MEDIA_ROOT / "documents").rglob("*") if p.is_file()]
    assert len(stored) == 1
    assert f"again-renamed.txt: duplicate of #{original.pk} (first.txt); not stored again." in _messages(response)
    listing = client.get(reverse("document_list")).content.decode()
    assert f"duplicate of <a href=\"/documents/{original.pk}/\">#{original.pk} first.txt</a>" in listing


def test_files_over_the_size_limit_are_refused_and_not_stored(client, analyst, enqueued, settings):
    settings.MAX_UPLOAD_BYTES = 100
    response = _post(client, SimpleUploadedFile("big.txt", b"x" * 101), SimpleUploadedFile("small.txt", b"y" * 100))
    assert list(Document.objects.values_list("original_name", flat=True)) == ["small.txt"]
    assert "big.txt: refused. The file is 101\xa0bytes, larger than the upload limit of 100\xa0bytes." in _messages(response)


@pytest.mark.parametrize(
    ("name", "data", "accepted"),
    [
        ("report.pdf", b"\x00\x01\x02\x03binary junk\xff\xfe" * 50, False),  # a .pdf name does not make a PDF
        ("empty.pdf", b"", False),
        ("letter.exe", LETTER, True),  # plain text inside, whatever the name says
        ("scan.txt", PDF_HEAD, True),  # a PDF named .txt is a PDF
        ("fake.docx", b"PK\x03\x04" + b"junk" * 100, False),
    ],
)
def test_type_is_checked_by_content_not_name(client, analyst, enqueued, name, data, accepted):
    response = _post(client, SimpleUploadedFile(name, data, content_type="application/pdf"))
    assert Document.objects.filter(original_name=name).exists() is accepted
    if not accepted:
        [message] = _messages(response)
        assert message.startswith(f"{name}: refused.")
        assert ("empty" in message) if not data else ("not a type sendtracker reads" in message)


def test_no_file_is_a_form_error(client, analyst):
    response = client.post(reverse("document_upload"), {})
    assert response.status_code == 200
    assert "Choose at least one file." in response.content.decode()


def test_upload_needs_login_and_the_permission(client, django_user_model):
    assert client.get(reverse("document_upload")).status_code == 302
    client.force_login(_user(django_user_model, "view_document", name="reader"))
    assert client.get(reverse("document_upload")).status_code == 403
    assert client.post(reverse("document_upload"), {"files": [SimpleUploadedFile("a.txt", LETTER)]}).status_code == 403
    assert not Document.objects.exists()


@pytest.mark.parametrize("status", ["queued", "processing"])
def test_status_partial_polls_while_pending(client, analyst, status):
    document = make_document(status=status, progress=40)
    html = client.get(reverse("document_status", args=[document.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html and f'hx-get="/documents/{document.pk}/status/"' in html
    assert 'value="40"' in html


@pytest.mark.parametrize(
    ("status", "error"),
    [("done", ""), ("needs_review", "2 facts need review."), ("failed", "The PDF is encrypted with a password; upload an unprotected copy."),
     ("rejected", "This is not a local area SEND inspection document.")],
)
def test_status_partial_stops_polling_when_finished(client, analyst, status, error):
    document = make_document(status=status, error=error)
    html = client.get(reverse("document_status", args=[document.pk])).content.decode()
    assert "hx-trigger" not in html
    assert f"status-{status}" in html
    assert error in html


def test_detail_page_loads_vendored_htmx_and_shows_the_reason(client, analyst):
    document = make_document(status="failed", error="The PDF is damaged and cannot be opened (Incorrect password error).")
    html = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert "/static/vendor/htmx.min.js" in html
    assert "The PDF is damaged and cannot be opened" in html
    assert 'action="/documents/%d/reprocess/"' % document.pk in html


def test_vendored_htmx_is_served(client):
    from django.contrib.staticfiles import finders

    path = finders.find("vendor/htmx.min.js")
    assert path and "htmx" in open(path, encoding="utf-8").read(200)


def test_list_partial_for_htmx_polls_only_while_something_is_pending(client, analyst):
    make_document(status="done", name="old.pdf")
    pending = make_document(status="processing", name="new.pdf", progress=70)
    rows = client.get(reverse("document_list"), HTTP_HX_REQUEST="true").content.decode()
    assert rows.lstrip().startswith('<tbody id="document-rows"') and "every 2s" in rows and "70%" in rows
    Document.objects.filter(pk=pending.pk).update(status="done")
    rows = client.get(reverse("document_list"), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in rows and "new.pdf" in rows


def test_document_pages_need_the_view_permission(client, django_user_model):
    document = make_document()
    client.force_login(_user(django_user_model, name="nobody"))
    assert client.get(reverse("document_list")).status_code == 403
    assert client.get(reverse("document_detail", args=[document.pk])).status_code == 403


def test_reprocess_requeues_a_finished_document_after_commit(client, analyst, enqueued, django_capture_on_commit_callbacks):
    document = make_document(status="done", error="", attempts=1, progress=100)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("document_reprocess", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.progress, document.attempts) == ("queued", 0, 0)
    assert len(callbacks) == 1 and enqueued == [document.pk]


def test_reprocess_is_post_only_and_leaves_pending_documents_alone(client, analyst, enqueued):
    document = make_document(status="processing")
    assert client.get(reverse("document_reprocess", args=[document.pk])).status_code == 405
    client.post(reverse("document_reprocess", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == "processing" and enqueued == []


def test_admin_action_reprocesses_a_selection(admin_client, enqueued, django_capture_on_commit_callbacks):
    done = make_document(status="done")
    failed = make_document(status="failed", error="x")
    original = make_document(status="done")
    duplicate = make_document(status="duplicate", duplicate_of=original, sha256=original.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:inspections_document_changelist"),
            {"action": "reprocess", "_selected_action": [done.pk, failed.pk, duplicate.pk]},
        )
    assert sorted(enqueued) == sorted([done.pk, failed.pk])
    assert Document.objects.get(pk=duplicate.pk).status == "duplicate"


def test_admin_upload_uses_the_same_form_and_service(admin_client, enqueued, django_capture_on_commit_callbacks):
    assert admin_client.get(reverse("admin:inspections_document_add")).url == reverse("admin:inspections_document_upload")
    assert "Upload documents" in admin_client.get(reverse("admin:inspections_document_changelist")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:inspections_document_upload"),
                          {"files": [SimpleUploadedFile("x.txt", LETTER), SimpleUploadedFile("junk.pdf", b"\x00\xff" * 10)]})
    document = Document.objects.get()
    assert document.original_name == "x.txt" and enqueued == [document.pk]
