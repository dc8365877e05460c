import pytest


@pytest.fixture
def public_read(settings):
    """Read-only pages open to anonymous users, as in DEBUG (sendtracker/access.py)."""
    settings.PUBLIC_READ = True


@pytest.fixture(autouse=True)
def _fresh_snapshot():
    """Each test starts without the analysis snapshot of an earlier one (inspections/analysis/snapshot.py)."""
    from inspections.analysis.snapshot import forget

    forget()
    yield
    forget()


# Every analysis page reads the facts through inspections/analysis/snapshot.py: cold, the fingerprint, the
# dashboard's four status queries (stages, coverage, inspections, revisits under review), WSOAs, the data date and
# the facts (one UNION); warm (nothing changed since), the fingerprint alone. Whatever the number of areas.
COLD_MAX_QUERIES = 8
WARM_QUERIES = 1


def assert_cold_then_warm(client, url, params, django_assert_max_num_queries, django_assert_num_queries):
    """GET url twice: at most COLD_MAX_QUERIES, then exactly WARM_QUERIES; returns the second response."""
    with django_assert_max_num_queries(COLD_MAX_QUERIES, info=url):
        first = client.get(url, params)
    with django_assert_num_queries(WARM_QUERIES, info=url):
        second = client.get(url, params)
    assert first.status_code == second.status_code == 200, url
    return second
