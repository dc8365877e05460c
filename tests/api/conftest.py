import pytest
from django.contrib.auth.models import Permission, User

from inspections.api.services import issue_token
from inspections.models import ApiToken
from tests.factories import make_area, make_path


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """Each test starts with an empty rate-limit window (the counts live in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_read(settings):
    settings.PUBLIC_READ = True


@pytest.fixture
def private(settings):
    settings.PUBLIC_READ = False


@pytest.fixture
def paths(db) -> list[dict]:
    """Three areas: Medway (2016 path and 2023 inspection + monitoring), Kent (2016 path, no revisit) and
    Bexley (no inspection)."""
    return [
        make_path(make_area("Medway", gss_code="E06000035"), weaknesses=3, sufficient=2, with_2023=True),
        make_path(make_area("Kent", gss_code="E10000016", authority_type="county"), weaknesses=2, revisit=False),
        {"area": make_area("Bexley", gss_code="E09000004", region="London", authority_type="london")},
    ]


def _token(user) -> str:
    return issue_token(ApiToken(user=user, name="notebook"))


@pytest.fixture
def reader_key(db) -> str:
    """An API key of a user with no permissions (may read what the read-only pages show)."""
    return _token(User.objects.create_user("reader", password="x"))


@pytest.fixture
def analyst_key(db) -> str:
    """An API key of a user with the document pages' permission."""
    user = User.objects.create_user("analyst", password="x")
    user.user_permissions.add(Permission.objects.get(codename="view_document", content_type__app_label="inspections"))
    return _token(user)
