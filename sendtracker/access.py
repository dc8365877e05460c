"""Who may do what, in one place.

Three kinds of page, and every view is one of them:
- **read-only** (`@public_read` / `PublicReadMixin`): areas, timelines, lists, exports, dashboard, search,
  fact pages. Open to anyone when `settings.PUBLIC_READ` (env PUBLIC_READ, default DEBUG) is on; otherwise
  they need a logged-in user.
- **writing** (`@permission_needed("inspections.review_fact")`, ...): upload, document pages, re-process,
  review, correct. Anonymous
  users are sent to the login page; logged-in users without the permission get 403. The permissions come
  with the 'analyst' group (migration inspections/0004_analyst_group).
- **everything else** needs a logged-in user: `AccessMiddleware` (in settings.MIDDLEWARE) denies by
  default, so a new view that forgets its decorator is closed, not open. Django's login page and the admin
  (which has its own login) are marked `login_not_required` by Django itself.

The roles (README "Who may do what", tests/accounts/test_roles.py): anonymous; **analyst** (the group, not
staff: the site's writing pages, never the admin); **admin** (staff superuser: users, groups, documents and
login lockouts in the admin). Facts change only through the review pages, for every role: the fact admins are
read-only (inspections/review/admin.py). Logins are throttled and password reset is offered only with e-mail
(sendtracker/accounts.py).

The setting is read on every request, so tests can flip it with the `settings` fixture.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

ANALYST_GROUP = "analyst"
REVIEW_PERMISSION = "inspections.review_fact"
UPLOAD_PERMISSION = "inspections.add_document"
DOCUMENT_VIEW_PERMISSION = "inspections.view_document"  # the stored file's pages (/documents/...)
REPROCESS_PERMISSION = "inspections.change_document"


def _allowed(request) -> bool:
    return getattr(settings, "PUBLIC_READ", False) or request.user.is_authenticated


def public_read(view):
    """Let anyone in when PUBLIC_READ is on; otherwise send anonymous users to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _allowed(request):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.access = "read"
    wrapper.login_required = False  # this decorator decides, not the middleware
    return wrapper


class PublicReadMixin:
    """Class-view twin of `public_read`."""

    access = "read"
    login_required = False

    def dispatch(self, request, *args, **kwargs):
        if not _allowed(request):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


def permission_needed(*perms: str):
    """Writing pages: login first (redirect), then every permission in `perms` (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.access = "write"
        wrapper.permissions = perms
        return wrapper

    return decorator


def access_of(view_func) -> str:
    """'read', 'write' or 'login' (the default): how a resolved view is guarded. Used by the URL-walking test."""
    view_class = getattr(view_func, "view_class", None)
    return getattr(view_func, "access", None) or getattr(view_class, "access", None) or "login"


class AccessMiddleware(LoginRequiredMiddleware):
    """Deny by default: a view not marked read-only, writing or `login_not_required` needs a login.

    Django's LoginRequiredMiddleware already honours `login_required = False` on a view (which
    `public_read`, `PublicReadMixin` and Django's own login/admin views set); read-only views then
    apply PUBLIC_READ themselves and writing views their permissions.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        if view_class is not None and getattr(view_class, "login_required", True) is False:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
