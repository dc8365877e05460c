"""≥50 broken or hostile uploads, each generated in code (tests/pipeline/bad_inputs.py), through the upload form,
the upload service and the task (in-process), as an analyst's upload would go.

Each must end either refused at upload (nothing stored) or stored and then failed/rejected by the pipeline —
with a reason a person can read, no letters or facts written, and a harmless stored file name.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from inspections.models import Document, Inspection, SignificantWeakness, SourceLetter
from inspections.ingest.services import document_upload
from inspections.ingest.forms import UploadForm
from tests.pipeline.bad_inputs import bad_inputs

pytestmark = pytest.mark.django_db

CASES = bad_inputs()
FAILED_OR_REJECTED = {Document.Status.FAILED, Document.Status.REJECTED}


def test_there_are_at_least_fifty_cases():
    assert len(CASES) >= 50
    assert len({case_id for case_id, _, _ in CASES}) == len(CASES)


def assert_readable(message: str) -> None:
    assert message and len(message) < 400, message
    assert "Traceback" not in message and "Error(" not in message and "\x00" not in message, message
    assert message[0].isupper() and message.rstrip(")").endswith("."), message


def assert_safe_stored_name(document: Document, media_root) -> None:
    name = document.file.name
    assert name.startswith("documents/"), name
    assert ".." not in name.split("/") and "\\" not in name and "\x00" not in name
    assert all(ch.isprintable() for ch in name), repr(name)
    base = name.rsplit("/", 1)[-1]
    assert base and not base.startswith(".") and len(base.encode()) <= 255
    path = (media_root / name).resolve()
    assert path.is_file() and path.is_relative_to(media_root.resolve())
    shown = document.original_name
    assert "/" not in shown and "\\" not in shown and "\x00" not in shown and len(shown) <= 255


def upload_one(name: str, data: bytes, capture) -> tuple[Document | None, str]:
    """The upload form + service, with the queued task run at commit. -> (document, refusal reason)."""
    form = UploadForm(data={}, files=MultiValueDict({"files": [SimpleUploadedFile(name, data)]}))
    assert form.is_valid(), form.errors
    if form.refused:
        return None, form.refused[0].reason
    with capture(execute=True):
        [document] = document_upload(files=form.accepted, user=None)
    document.refresh_from_db()
    return document, ""


@pytest.mark.parametrize(("case_id", "name", "data"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_ends_refused_failed_or_rejected_with_a_reason(case_id, name, data, settings, django_capture_on_commit_callbacks):
    document, refusal = upload_one(name, data, django_capture_on_commit_callbacks)
    if document is None:
        assert_readable(refusal)
        assert not Document.objects.exists()
    else:
        assert document.status in FAILED_OR_REJECTED, (case_id, document.status, document.error)
        assert_readable(document.error)
        assert document.progress == 100 and document.finished_at is not None
        assert_safe_stored_name(document, settings.MEDIA_ROOT)
    # Nothing partial: no letter and no fact came out of a bad file.
    assert not SourceLetter.objects.exists()
    assert not Inspection.all_objects.exists() if hasattr(Inspection, "all_objects") else not Inspection.objects.exists()
    assert not SignificantWeakness.objects.exists()


@pytest.mark.parametrize(
    ("case_id", "expected"),
    [
        ("encrypted-pdf-user-password", "encrypted with a password"),
        ("truncated-pdf-0.5", "damaged"),
        ("pdf-bomb-page-count", "more than the limit of 400"),
        ("pdf-no-text-layer", "no text"),
        ("whitespace-only", "no text"),
        ("text-over-char-limit", "more than the limit of 5,000,000"),
        ("docx-zip-of-junk", "not a type sendtracker reads"),
        ("zero-bytes", "empty (0 bytes)"),
        ("binary-junk-2", "not a type sendtracker reads"),
    ],
)
def test_the_reason_names_the_problem(case_id, expected, django_capture_on_commit_callbacks):
    [(_, name, data)] = [case for case in CASES if case[0] == case_id]
    document, refusal = upload_one(name, data, django_capture_on_commit_callbacks)
    assert expected in (refusal or document.error)


def test_html_scripts_are_stripped_before_classifying(django_capture_on_commit_callbacks):
    """The script text says 'local area SEND inspection'; the visible page does not: rejected, not parsed."""
    [(_, name, data)] = [case for case in CASES if case[0] == "html-scripts-not-send"]
    document, _ = upload_one(name, data, django_capture_on_commit_callbacks)
    assert document.status == Document.Status.REJECTED
    assert "SEND inspection" not in document.text and "Cake recipes" in document.text


def test_hostile_names_over_http_are_stored_safely(client, django_user_model, settings, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("ana")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_document", "view_document"]))
    client.force_login(user)
    files = [SimpleUploadedFile(name, data) for case_id, name, data in CASES if case_id.startswith("name-")]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("document_upload"), {"files": files})
    documents = list(Document.objects.all())
    assert len(documents) == len(files)
    for document in documents:
        assert_safe_stored_name(document, settings.MEDIA_ROOT)
        assert document.status == Document.Status.REJECTED, (document.original_name, document.error)
