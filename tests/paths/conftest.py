import pytest


@pytest.fixture
def public_read(settings):
    """Read-only pages open to anonymous users, as in DEBUG (sendtracker/access.py)."""
    settings.PUBLIC_READ = True
