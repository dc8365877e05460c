"""The Celery app, plus two worker safeguards (issue 14):

- a worker checks its database before it takes any message (`worker_init`): one started with a wrong or
  unreachable DATABASE_URL exits non-zero with the reason, instead of consuming messages it cannot process;
- kombu's Redis transport is kept from killing a worker when a broker outage makes Celery close a channel after
  its connection (see `_guard_redis_channel_closed_late`).
"""

from __future__ import annotations

import functools
import logging
import os
import sys

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendtracker.settings")

log = logging.getLogger(__name__)

app = Celery("sendtracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Exit status of a worker refused at start because its database cannot be reached (EX_UNAVAILABLE, sysexits.h).
EXIT_DATABASE_UNREACHABLE = 69


def database_problem() -> str | None:
    """Connect to the default database and run one query.

    Returns None when it answers, otherwise one readable line naming the database (never its password) and the
    error. Closes the connection either way, so a forked pool child opens its own.
    """
    from django.db import connection

    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return None
    except Exception as exc:  # any driver error means the same thing here: this worker cannot do its job
        settings = connection.settings_dict
        where = f"{connection.vendor} database {settings.get('NAME')!r}"
        if settings.get("HOST"):
            where += f" on {settings['HOST']}:{settings.get('PORT') or 'default port'}"
        first_line = next(iter(str(exc).strip().splitlines()), "")  # drivers add hints on further lines
        return f"cannot reach the {where}: {type(exc).__name__}: {first_line}"
    finally:
        connection.close()


@worker_init.connect
def _refuse_to_start_without_a_database(sender=None, **kwargs) -> None:
    """Runs in the worker's main process before it connects to the broker, so it has taken no message yet.

    A worker that cannot reach its database would take messages and leave every document 'queued' with no
    attempt recorded (issue 14, fault 4). Exiting is right: the supervisor (compose's restart policy, systemd)
    starts it again, and it only consumes once the database answers.
    """
    problem = database_problem()
    if problem is None:
        return
    # Celery's logging is set up by now (to stderr or --logfile); without it, logging's last resort prints it.
    log.critical("sendtracker worker not started: %s. Check DATABASE_URL.", problem)
    sys.exit(EXIT_DATABASE_UNREACHABLE)


def _guard_redis_channel_closed_late() -> None:
    """Turn kombu's AttributeError for a channel closed after its connection into a connection error.

    Why: when Redis goes away, Celery closes the broken connection (which detaches the transport:
    `transport.client = None`) and then, while restarting its consumer, closes the task channel. Closing a Redis
    channel restores its unacknowledged messages with a brand-new connection pool, built from
    `transport.client.hostname`, and so raises `AttributeError: 'NoneType' object has no attribute 'hostname'`.
    Celery only ignores *connection* errors around that close, so the AttributeError stopped the whole worker
    ("Unrecoverable error"). Reproduced with kombu 5.5.4, 5.6.2 and 5.7.0 (the newest) — no release fixes it, and
    the error is raised before redis-py is called, so no redis-py version does either (kombu#582 is the same
    defect in 3.x). Raising the transport's own ConnectionError instead lets Celery ignore it and reconnect.

    Nothing is lost by skipping that restore: the Redis transport keeps every delivered, unacknowledged message
    in its `unacked` hash until it is acknowledged, and any worker re-queues it after `visibility_timeout`
    (CELERY_VISIBILITY_TIMEOUT); the task itself is idempotent (the document claim skips a finished document).
    tests/integration/test_redis_outage.py shows the defect is still there (remove this guard when it is not).
    """
    try:
        from kombu.transport import redis as kombu_redis
        from redis.exceptions import ConnectionError as RedisConnectionError
    except ImportError:  # the redis extra is not installed: nothing to guard
        return
    original = kombu_redis.Channel._connparams
    if getattr(original, "sendtracker_guard", False):
        return

    @functools.wraps(original)
    def _connparams(self, *args, **kwargs):
        transport = self.connection
        if transport is None or transport.client is None:
            raise RedisConnectionError(
                "the broker connection was closed before this channel; its unacknowledged messages stay in Redis "
                "and are re-queued after the visibility timeout"
            )
        return original(self, *args, **kwargs)

    _connparams.sendtracker_guard = True
    kombu_redis.Channel._connparams = _connparams


_guard_redis_channel_closed_late()
