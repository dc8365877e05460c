"""The account pages under /accounts/: log in and out, change a password, and reset a forgotten one.

Django's own views with two changes:
- **Password reset exists only when e-mail is configured** (`settings.EMAIL_HOST`, env EMAIL_HOST): otherwise
  its four URLs answer 404 and the login page does not link them. Without a mail server the page could only
  pretend to have sent a link.
- **A failure to send is reported.** Django's `PasswordResetForm.send_mail` logs a sending error and carries on,
  so the user is told "we've e-mailed you" and waits for nothing. Here the mail connection is opened *before*
  the address is looked up — a mail server that is down or refuses us fails the same way for every address, so
  the answer does not tell whether an account exists — and any error while sending re-shows the form with what
  happened. (A server that accepts the connection and then refuses one recipient does reveal, to whoever asked,
  that an account has that address; that is the price of not lying about the e-mail.)

Login throttling (django-axes) needs nothing here: it works inside Django's `authenticate` (settings "Logins").
The settings are read on every request, so tests can switch e-mail on and off with the `settings` fixture.
"""

from __future__ import annotations

import logging
from functools import wraps

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives, get_connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import path

logger = logging.getLogger(__name__)

SEND_FAILED = (
    "The e-mail could not be sent: the mail server did not accept it. No reset link is on its way. "
    "Try again later, or ask an administrator to set a new password for you."
)


def password_reset_offered() -> bool:
    """True when a mail server is configured (EMAIL_HOST): the only case in which reset links can be sent."""
    return bool(getattr(settings, "EMAIL_HOST", ""))


def _needs_email(view):
    """404 unless e-mail is configured: the reset pages are not there at all without it."""

    @wraps(view)  # keeps Django's login_not_required mark (copied from the view's __dict__)
    def wrapper(request, *args, **kwargs):
        if not password_reset_offered():
            raise Http404("Password reset is not offered: no mail server is configured (EMAIL_HOST).")
        return view(request, *args, **kwargs)

    return wrapper


def client_address(request: HttpRequest) -> str | None:
    """The login's client address for django-axes (settings.AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless settings.LOGIN_TRUSTED_PROXIES = N > 0 (env LOGIN_TRUSTED_PROXIES): then the N-th address
    from the right of X-Forwarded-For, the one our outermost proxy received the request from (each proxy appends
    the address it saw; entries further left come from the client and can be anything). With fewer entries than
    proxies (a request that bypassed them) REMOTE_ADDR is used. django-ipware does this too, but its default reads
    client-supplied headers first; these few lines make the trusted part explicit.
    """
    proxies = getattr(settings, "LOGIN_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def locked_out(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """django-axes' lockout response (settings.AXES_LOCKOUT_CALLABLE): the site's page, status 429, saying how
    many failures locked the login and for how many minutes even the right password is refused."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(request, "registration/locked_out.html",
                  {"failure_limit": get_failure_limit(request, credentials), "cooloff_minutes": minutes},
                  status=settings.AXES_HTTP_RESPONSE_CODE)


class LoginView(auth_views.LoginView):
    """Django's login page, linking password reset only when it is offered."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_reset_offered": password_reset_offered()}


class ReportingPasswordResetForm(PasswordResetForm):
    """Sends over the connection the view opened, and lets a sending error through instead of logging it away."""

    connection = None  # set by PasswordResetView before save()

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email], connection=self.connection)
        if html_email_template_name is not None:
            message.attach_alternative(loader.render_to_string(html_email_template_name, context), "text/html")
        message.send()


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ReportingPasswordResetForm

    def form_valid(self, form):
        try:
            # Opening first: a dead or refusing server fails here, whatever address was typed.
            with get_connection(fail_silently=False) as connection:
                form.connection = connection
                return super().form_valid(form)
        except OSError:  # smtplib.SMTPException, refused or timed-out connections and TLS errors are all OSErrors
            logger.exception("Password reset e-mail not sent")
            form.add_error(None, SEND_FAILED)
            return self.form_invalid(form)


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", _needs_email(PasswordResetView.as_view()), name="password_reset"),
    path("password_reset/done/", _needs_email(auth_views.PasswordResetDoneView.as_view()), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", _needs_email(auth_views.PasswordResetConfirmView.as_view()),
         name="password_reset_confirm"),
    path("reset/done/", _needs_email(auth_views.PasswordResetCompleteView.as_view()), name="password_reset_complete"),
]
