"""Fetching and importing with a REAL Celery worker on PostgreSQL + Redis (tests marked `integration`):
documents fetched from the local imitation of the Ofsted site, and an archive imported with `--wait`, are
processed by the worker process, not in this one."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from inspections.ingest.sources.fetch import default_client, fetch_reports_run
from inspections.ingest.sources.ofsted import OfstedReportsSource
from inspections.models import Document, FetchRun
from tests.integration.conftest import areas, celery_worker, celery_workers, wait_finished, worker_env  # noqa: F401
from tests.sources.conftest import add_seed_letters
from tests.sources.test_import_archive import make_zip, mixed_members, table

pytestmark = pytest.mark.integration


def test_fetched_documents_are_processed_by_the_worker_and_faults_lose_nothing(areas, celery_worker, fake_ofsted):
    publications = add_seed_letters(fake_ofsted)
    fake_ofsted.fail(f"/v1/file/{publications[0].file_id}", 500)  # retried within the run
    fake_ofsted.stall(f"/v1/file/{publications[1].file_id}", 1.5, times=2)  # times out twice: left for next run
    options = {"delay": 0, "backoff": 0.01, "timeout": 0.5, "retries": 1}
    with default_client(**options) as client:
        first = fetch_reports_run(source=OfstedReportsSource(fake_ofsted.base_url), client=client)
    assert first.status == FetchRun.Status.PARTIAL and first.new_documents == 4, first.errors
    with default_client(**options) as client:
        second = fetch_reports_run(source=OfstedReportsSource(fake_ofsted.base_url), client=client)
    assert second.status == FetchRun.Status.SUCCEEDED and second.new_documents == 1, second.errors
    ids = list(Document.objects.values_list("pk", flat=True))
    documents = wait_finished(ids, [celery_worker], timeout=120)
    assert len(documents) == 5
    for doc in documents.values():
        assert doc.status in {Document.Status.DONE, Document.Status.NEEDS_REVIEW}, (doc.original_name, doc.error)
        assert doc.source_url.startswith(fake_ofsted.base_url) and doc.published_date
    assert "succeeded" in celery_worker.log()
    with default_client(**options) as client:
        third = fetch_reports_run(source=OfstedReportsSource(fake_ofsted.base_url), client=client)
    assert third.new_documents == 0 and third.already_held == 5


def test_import_archive_waits_for_the_worker_and_reports_final_outcomes(areas, celery_worker, tmp_path, capsys):
    archive = tmp_path / "letters.zip"
    archive.write_bytes(make_zip(mixed_members()))
    call_command("import_archive", str(archive), "--timeout", "180")
    out = capsys.readouterr().out
    counts = table(out)
    assert counts["done"] + counts["needs review"] == 8, out
    assert (counts["rejected"], counts["failed"], counts["duplicate (already held)"], counts["refused (not stored)"]) == (1, 1, 1, 2), out
    assert "still queued" not in out
    assert not Document.objects.filter(status__in=["queued", "processing"]).exists()
