import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from sendtracker.access import ANALYST_GROUP


@pytest.fixture
def analyst(db):
    user = get_user_model().objects.create_user("ada", password="pw-not-used")
    user.groups.add(Group.objects.get(name=ANALYST_GROUP))  # made by migration inspections/0004
    return user


@pytest.fixture
def reader(db):
    """Logged in, but not an analyst: may read, may not write."""
    return get_user_model().objects.create_user("rita", password="pw-not-used")
