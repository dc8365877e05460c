"""Two workers writing the same area at once (PostgreSQL: real row locks; SQLite has one writer anyway)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection

from inspections.models import Inspection, ProgressJudgement, Revisit
from inspections.pipeline.run import ingest_document
from inspections.pipeline.store import document_store

from .conftest import SEED_FILES, path_of, snapshot, wipe

pytestmark = [
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="needs PostgreSQL (DATABASE_URL) for concurrent writers"),
    pytest.mark.django_db(transaction=True),
]


def _store(name):
    with path_of(name).open("rb") as stream:
        return document_store(stream=stream, original_name=name).pk


def _run_together(ids):
    barrier = threading.Barrier(len(ids))
    errors = []

    def work(document_id):
        try:
            barrier.wait()
            ingest_document(document_id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_two_workers_on_one_area_serialise_and_agree_with_sequential_ingest(register, monkeypatch):
    from inspections.pipeline import write

    meet = {"barrier": None}

    def meeting_projection(records, _project=write.project_area, **kwargs):
        # Unserialised writers would both arrive here and each project without the other's letters; with the
        # area lock the second writer is still waiting for the lock, so the first one waits out the timeout.
        try:
            meet["barrier"].wait(timeout=1.0)
        except threading.BrokenBarrierError:
            pass
        return _project(records, **kwargs)

    monkeypatch.setattr(write, "project_area", meeting_projection)
    names = [SEED_FILES[0], SEED_FILES[3]]  # Middlesbrough's initial letter and its council revisit report
    meet["barrier"] = threading.Barrier(1)
    for name in names:
        ingest_document(_store(name))
    expected = snapshot()
    for _ in range(3):
        wipe()
        meet["barrier"] = threading.Barrier(2)
        _run_together([_store(name) for name in names])
        assert snapshot() == expected
        middlesbrough = Inspection.objects.get(area__gss_code="E06000002")
        assert not middlesbrough.is_placeholder
        assert Revisit.objects.get().inspection == middlesbrough
        assert ProgressJudgement.objects.count() == 4
