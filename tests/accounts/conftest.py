import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from sendtracker.access import ANALYST_GROUP

PASSWORD = "a-right-password-7"


@pytest.fixture
def analyst(db):
    """In the analyst group (made by migration inspections/0004), neither staff nor superuser."""
    user = get_user_model().objects.create_user("ada", email="ada@example.org", password=PASSWORD)
    user.groups.add(Group.objects.get(name=ANALYST_GROUP))
    return user


@pytest.fixture
def admin_user(db):
    """The reviewer/admin role: staff and superuser."""
    return get_user_model().objects.create_superuser("root", email="root@example.org", password=PASSWORD)
