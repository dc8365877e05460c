"""Schemathesis against the live OpenAPI description (issue 24 "Done when"): every operation, in-process through
the WSGI app (schemathesis.openapi.from_wsgi: no network), for a bounded number of generated requests each, with
every built-in check — no server error, no status, content type, header or body its description does not
declare. Runs in both CI runs (SQLite, and PostgreSQL with RUN_INTEGRATION=1): it carries no skip marker;
`-m schemathesis` selects it alone."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

EXAMPLES = 40  # per operation: enough to reach every filter's values and the bounds of page/page_size


@pytest.fixture
def _keep_the_test_connection():
    """The raw WSGI handler closes the database connection at the end of each request (request_finished ->
    close_old_connections), which on PostgreSQL ends the test's transaction; Django's test Client disconnects
    that handler for the same reason, so do the same here."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_keep_the_test_connection")
def test_the_api_honours_its_own_description(settings, paths, analyst_key):
    settings.PUBLIC_READ = False  # the description says a token is needed; so it is (and documents need one)
    settings.API_RATE_LIMIT = 0
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    auth = {"Authorization": f"Bearer {analyst_key}"}
    checked, statuses = [], []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                             phases=[Phase.explicit, Phase.generate],
                             suppress_health_check=list(HealthCheck))
        def check(case):
            statuses.append(case.call_and_validate(headers=auth).status_code)

        check()
        checked.append(operation.path)
    # It really asked: many requests, answered lists and pages past the end (404) among them. Values outside the
    # description (400s) are tests/api/test_api.py's.
    assert len(statuses) > 4 * 10 and {200, 404} <= set(statuses), sorted(set(statuses))
    assert sorted(checked) == ["/api/v1/areas", "/api/v1/documents", "/api/v1/inspections", "/api/v1/weaknesses"]
