"""Login throttling (django-axes, sendtracker/settings.py "Logins"): after LOGIN_FAILURE_LIMIT wrong passwords the
right one is refused for the cool-off period, on the site's login page and the admin's alike; afterwards it works."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import F

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


def _try(client, url, username, password, address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password, "next": "/"}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _after_the_cool_off(settings):
    """As if the cool-off had passed: every recorded attempt moved back by the cool-off and a minute."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1))


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_after_n_failures_the_right_password_is_refused_until_the_cool_off_ends(client, settings, admin_user, url):
    settings.AXES_FAILURE_LIMIT = 4
    for attempt in range(1, 4):
        response = _try(client, url, "root", f"wrong-{attempt}")
        assert response.status_code == 200 and not _logged_in(client)  # the form again, with its error
    locking = _try(client, url, "root", "wrong-4")
    assert locking.status_code == 429, "the failure that reaches the limit locks"

    refused = _try(client, url, "root", PASSWORD)
    assert refused.status_code == 429 and not _logged_in(client)
    page = refused.content.decode()
    assert "Too many login attempts" in page and "after 4 failed attempts" in page
    assert "Try again in 15 minutes" in page  # LOGIN_COOLOFF_MINUTES' default

    _after_the_cool_off(settings)
    accepted = _try(client, url, "root", PASSWORD)
    assert accepted.status_code == 302 and _logged_in(client)


def test_fewer_failures_than_the_limit_do_not_lock_and_a_success_forgets_them(client, settings, analyst):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        _try(client, "/accounts/login/", "ada", "wrong")
    assert _try(client, "/accounts/login/", "ada", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(2):  # two more: would be four in all without the reset on success
        assert _try(client, "/accounts/login/", "ada", "wrong").status_code == 200
    assert _try(client, "/accounts/login/", "ada", PASSWORD).status_code == 302


def test_a_username_is_locked_from_every_address(client, settings, analyst):
    """A guesser spreading attempts over many addresses is still stopped (lockout by username)."""
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        _try(client, "/accounts/login/", "ada", "wrong", address=f"10.0.1.{n}")
    assert _try(client, "/accounts/login/", "ada", PASSWORD, address="10.0.2.1").status_code == 429
    assert not _logged_in(client)


def test_an_address_trying_many_usernames_is_locked(client, settings, analyst):
    """One client spraying a password over many usernames is stopped too (lockout by address)."""
    settings.AXES_FAILURE_LIMIT = 3
    for name in ("bob", "carol", "dave"):
        _try(client, "/accounts/login/", name, "Spring2026!", address="10.0.3.3")
    assert _try(client, "/accounts/login/", "ada", PASSWORD, address="10.0.3.3").status_code == 429
    # ...while ada, from her own address, is not affected.
    assert _try(client, "/accounts/login/", "ada", PASSWORD, address="10.0.4.4").status_code == 302


def test_the_limits_come_from_the_environment(monkeypatch):
    import runpy

    from tests.test_settings import SETTINGS_FILE

    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "7")
    monkeypatch.setenv("LOGIN_COOLOFF_MINUTES", "2.5")
    monkeypatch.setenv("LOGIN_LOCKOUT_PARAMETERS", "username+ip_address")
    monkeypatch.setenv("LOGIN_THROTTLE", "0")
    s = runpy.run_path(str(SETTINGS_FILE))
    assert s["AXES_FAILURE_LIMIT"] == 7
    assert s["AXES_COOLOFF_TIME"] == dt.timedelta(minutes=2.5)
    assert s["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]
    assert s["AXES_ENABLED"] is False
    for name in ("LOGIN_FAILURE_LIMIT", "LOGIN_COOLOFF_MINUTES", "LOGIN_LOCKOUT_PARAMETERS", "LOGIN_THROTTLE"):
        monkeypatch.delenv(name)
    s = runpy.run_path(str(SETTINGS_FILE))
    assert (s["AXES_FAILURE_LIMIT"], s["AXES_COOLOFF_TIME"], s["AXES_LOCKOUT_PARAMETERS"], s["AXES_ENABLED"]) == (
        5, dt.timedelta(minutes=15), ["username", "ip_address"], True)


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, settings, analyst):
    """Without trusted proxies X-Forwarded-For is ignored: changing it on every try changes nothing."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_LOCKOUT_PARAMETERS = ["ip_address"]
    for n in range(3):
        client.post("/accounts/login/", {"username": f"user{n}", "password": "x"}, REMOTE_ADDR="10.0.5.5",
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    locked = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}, REMOTE_ADDR="10.0.5.5",
                         HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert locked.status_code == 429


@pytest.mark.parametrize("proxies, forwarded, remote, expected", [
    (0, "198.51.100.7", "10.0.0.2", "10.0.0.2"),  # no proxy of ours: the header is the client's own words
    (1, "203.0.113.9, 198.51.100.7", "10.0.0.2", "198.51.100.7"),  # our proxy appended the address it saw
    (2, "203.0.113.9, 198.51.100.7, 10.1.1.1", "10.0.0.2", "198.51.100.7"),
    (1, "", "10.0.0.2", "10.0.0.2"),  # the request did not come through the proxy
])
def test_the_client_address_trusts_only_our_proxies(rf, settings, proxies, forwarded, remote, expected):
    from sendtracker.accounts import client_address

    settings.LOGIN_TRUSTED_PROXIES = proxies
    assert client_address(rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)) == expected


def test_a_misspelt_lockout_parameter_stops_the_start(monkeypatch):
    import runpy

    from tests.test_settings import SETTINGS_FILE

    monkeypatch.setenv("LOGIN_LOCKOUT_PARAMETERS", "usrname,ip_address")
    with pytest.raises(RuntimeError, match="usrname"):
        runpy.run_path(str(SETTINGS_FILE))
