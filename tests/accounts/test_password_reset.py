"""/accounts/password_reset/ (sendtracker/accounts.py): offered — linked and routed — only when e-mail is configured
(EMAIL_HOST), and a failure to send is told to the user instead of "we've e-mailed you"."""

import socket

import pytest
from django.core import mail

from tests.accounts.fake_smtp import FakeSMTPServer, Mailbox

pytestmark = pytest.mark.django_db

RESET_URLS = ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/",
              "/accounts/reset/MQ/set-password/"]


@pytest.fixture
def email_on(settings):
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on: a mail server that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 (tests/accounts/fake_smtp.py), and the settings that send to it."""
    box = Mailbox()
    server = FakeSMTPServer(box)
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    yield box
    server.stop()


@pytest.mark.parametrize("url", RESET_URLS)
def test_without_email_the_reset_pages_are_not_there(client, settings, url):
    settings.EMAIL_HOST = ""
    assert client.get(url).status_code == 404


def test_without_email_the_login_page_does_not_offer_a_reset(client, settings):
    settings.EMAIL_HOST = ""
    assert "password_reset" not in client.get("/accounts/login/").content.decode()


def test_with_email_the_login_page_links_the_reset(client, settings, email_on):
    settings.PUBLIC_READ = False  # a private site: whoever forgot a password is anonymous, and must reach the page
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in page and "Forgotten your password?" in page
    assert client.get("/accounts/password_reset/").status_code == 200
    assert client.get("/accounts/password_reset/done/").status_code == 200


def test_a_sent_link_says_so_and_sets_a_new_password(client, email_on, analyst):
    response = client.post("/accounts/password_reset/", {"email": "ada@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert "Reset link sent" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line).strip()
    path = link[link.index("/accounts/reset/"):]
    form = client.get(path, follow=True)  # Django swaps the token for a session and redirects
    assert form.status_code == 200 and "Set a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "Another-pass-99", "new_password2": "Another-pass-99"})
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    analyst.refresh_from_db()
    assert analyst.check_password("Another-pass-99")


def test_a_mail_server_that_is_down_is_reported_not_hidden(client, settings, analyst, closed_port):
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    response = client.post("/accounts/password_reset/", {"email": "ada@example.org"})
    page = response.content.decode()
    assert response.status_code == 200, "the form again, not a redirect to 'we have e-mailed you'"
    assert "could not be sent" in page and "No reset link is on its way" in page
    assert "Reset link sent" not in page


def test_the_failure_does_not_tell_whether_an_account_has_the_address(client, settings, analyst, closed_port):
    """The connection is opened before the address is looked up: the same answer for a known and an unknown one."""
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", closed_port, False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    known = client.post("/accounts/password_reset/", {"email": "ada@example.org"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert "could not be sent" in unknown.content.decode()


def test_a_refused_message_is_reported(client, smtp, analyst):
    """The server accepts the connection, then refuses the recipient: reported, not "we've e-mailed you"."""
    smtp.refuse_recipients = True
    response = client.post("/accounts/password_reset/", {"email": "ada@example.org"})
    assert response.status_code == 200 and "could not be sent" in response.content.decode()
    assert smtp.messages == []


def test_a_real_mail_server_receives_the_link(client, smtp, analyst):
    response = client.post("/accounts/password_reset/", {"email": "ada@example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    [(recipients, body)] = smtp.messages
    assert recipients == ["ada@example.org"] and "/accounts/reset/" in body
