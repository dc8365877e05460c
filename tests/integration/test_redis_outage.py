"""Issue 14 fault 5: a prefork worker (`-c 2`) must survive its broker going away while a task runs.

With celery/kombu 5.7.0 and redis-py 8.1.0 a worker died with `Unrecoverable error: AttributeError("'NoneType'
object has no attribute 'hostname'")`: after a connection loss Celery closes the broken connection, then the task
channel, and closing a kombu Redis channel that still holds unacknowledged messages looks up the (detached)
connection's hostname. `sendtracker/celery.py` turns that into a connection error, which Celery ignores.

- `test_a_channel_closed_after_its_connection_*` reproduces that defect deterministically (it fails without the
  guard in sendtracker/celery.py, and says so when a kombu release no longer needs the guard);
- `test_a_prefork_worker_survives_*` stops a redis-server of the test's OWN (never the machine's) for 6 s while
  documents are being processed by a real `-c 2` worker, starts it again, and requires the same worker process
  to finish every document.
"""

from __future__ import annotations

import time

import pytest
from kombu import Connection
from kombu.common import ignore_errors
from kombu.transport import redis as kombu_redis

from .conftest import wait_finished
from .test_upload_reliability import (  # noqa: F401  (fixtures)
    GOOD,
    SEED_FILES,
    PrivateRedis,
    assert_no_duplicate_facts,
    private_redis,
    upload,
)

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 6


def _late_close(url: str) -> None:
    """What Celery's consumer does after a connection loss, in order: a message is delivered and not yet
    acknowledged, the connection is closed (detaching its transport), then the channel is closed through
    `ignore_errors` (celery/worker/consumer/tasks.py: `ignore_errors(c, c.task_consumer.close)`)."""
    connection = Connection(url)
    channel = connection.channel()
    queue = connection.SimpleQueue("st-late-close", channel=channel)
    queue.put({"document": 1})
    message = queue.get(timeout=5)
    assert message.payload == {"document": 1}
    connection._do_close_transport()  # Connection.close(): `transport.client = None`
    ignore_errors(connection, channel.close)  # raises anything but a connection error


def test_a_channel_closed_after_its_connection_does_not_raise(tmp_path):
    import sendtracker.celery  # noqa: F401  installs the guard (as every worker does, via sendtracker/__init__)

    assert getattr(kombu_redis.Channel._connparams, "sendtracker_guard", False), "the guard is not installed"
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        _late_close(server.url)  # would raise AttributeError('... no attribute hostname') without the guard

        # The defect itself, with the guard lifted: when this stops raising, kombu fixed it; drop the guard.
        guarded = kombu_redis.Channel._connparams
        kombu_redis.Channel._connparams = guarded.__wrapped__
        try:
            with pytest.raises(AttributeError, match="hostname"):
                _late_close(server.url)
        finally:
            kombu_redis.Channel._connparams = guarded

        # The skipped restore loses nothing: both messages wait in Redis's unacked hash for the visibility timeout.
        import redis

        assert redis.Redis.from_url(server.url).hlen("unacked") == 2
    finally:
        server.stop()


# The pause holds each claimed document in 'processing': 3 s ends the running tasks while Redis is down (their
# acknowledgement cannot reach it), 9 s ends them after it is back (on a new connection).
@pytest.mark.parametrize("pause", ["3", "9"])
def test_a_prefork_worker_survives_a_six_second_broker_outage_mid_task(pause, areas, analyst_client, private_redis, celery_workers):
    worker = celery_workers.start(pool="prefork", concurrency=2, env={"SENDTRACKER_TEST_SLOW_SECONDS": pause})
    documents = upload(analyst_client, SEED_FILES[:4])
    worker.wait_for_log("SENDTRACKER_TEST_SLOW_SECONDS: pausing")

    private_redis.stop()
    time.sleep(OUTAGE_SECONDS)
    assert worker.alive, f"the worker exited while Redis was down:\n{worker.log()[-4000:]}"
    private_redis.start()

    finished = wait_finished([d.pk for d in documents], [worker], timeout=180)
    for doc in finished.values():
        assert doc.status in GOOD, (doc.original_name, doc.status, doc.error)
    assert worker.alive, worker.log()[-4000:]
    log = worker.log()
    assert "Connection to broker lost" in log, "the outage did not reach the worker: the test proved nothing"
    assert "Unrecoverable error" not in log, log[-4000:]
    assert_no_duplicate_facts()
