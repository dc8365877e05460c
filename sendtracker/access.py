"""Who may read what: the one switch for read-only pages.

`settings.PUBLIC_READ` (env PUBLIC_READ, default DEBUG) opens the read-only pages (areas, timelines,
lists, exports, dashboard, search) to anyone; when it is False they need a logged-in user. Writing pages
(upload, review) have their own, stricter checks and must not use this.

Use `@public_read` on function views or `PublicReadMixin` first in a class view's bases.
The setting is read on every request, so tests can flip it with the `settings` fixture.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login


def _allowed(request) -> bool:
    return getattr(settings, "PUBLIC_READ", False) or request.user.is_authenticated


def public_read(view):
    """Let anyone in when PUBLIC_READ is on; otherwise send anonymous users to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _allowed(request):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


class PublicReadMixin:
    """Class-view twin of `public_read`."""

    def dispatch(self, request, *args, **kwargs):
        if not _allowed(request):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)
