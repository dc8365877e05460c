"""Who may do what, for every URL the project serves (issue 5): each view is read-only, writing or
login-only (sendtracker/access.py); this walks the URLconf, so a new page is checked the day it appears."""

import pytest
from django.conf import settings as django_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sendtracker.access import access_of
from tests.factories import make_document, make_path

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/", "accounts/", "api/v1/")  # Django's own admin and auth views, and the JSON API (401s, not login redirects: tests/api/): their own rules


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIP_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


PATTERNS = sorted(_patterns(), key=lambda item: item[0])


@pytest.fixture
def sample():
    path = make_path(weaknesses=2, sufficient=1)
    return {"gss_code": path["area"].gss_code, "gss": path["area"].gss_code, "name": "inspections", "model": "inspection",
            "inspection_pk": path["inspection"].pk, "document_pk": _with_file(make_document()).pk,
            "letter_id": _letter(path["area"]).pk,
            "token": "not-a-known-token"}  # /alerts/unsubscribe/<token>/: an unknown token asks anonymous users to log in


def _letter(area):
    """A letter for /search/letters/<letter_id>/ (the page search hits link to)."""
    from inspections.models import SourceLetter

    document = make_document("A letter about co-production.")
    return SourceLetter.objects.create(document=document, position=0, kind="initial_inspection", framework="2016",
                                       area=area, fingerprint="f", span_start=0, span_end=len(document.text), data={})


def _with_file(document):
    """A stored original, so /documents/<pk>/file/ has something to serve to the analyst."""
    from django.core.files.base import ContentFile

    document.file.save("sample.txt", ContentFile(b"A letter."), save=True)
    return document


def _url(route: str, entry: URLPattern, sample: dict) -> str:
    assert entry.name, f"URL pattern {route!r} has no name"
    kwargs = {}
    for key in entry.pattern.converters:
        if key == "pk":
            kwargs[key] = sample["inspection_pk"] if "model" in entry.pattern.converters else sample["document_pk"]
        else:
            assert key in sample, f"{route!r}: add a sample value for <{key}> to this test"
            kwargs[key] = sample[key]
    return reverse(entry.name, kwargs=kwargs)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(django_settings.LOGIN_URL)


def test_every_view_declares_how_it_is_guarded():
    kinds = {route: access_of(entry.callback) for route, entry in PATTERNS}
    # The pages this project's issue names: read-only pages open with PUBLIC_READ, writing pages need permissions.
    for route in ["", "areas/", "areas/<str:gss_code>/", "inspections/", "weaknesses/", "search/",
                  "exports/<slug:name>.csv", "facts/<slug:model>/<int:pk>/"]:
        assert kinds[route] == "read", route
    for route in ["review/", "review/<slug:model>/<int:pk>/", "documents/", "documents/upload/",
                  "documents/<int:pk>/", "documents/<int:pk>/status/", "documents/<int:pk>/reprocess/"]:
        assert kinds[route] == "write", route


@pytest.mark.parametrize("public", [False, True], ids=["private", "public_read"])
@pytest.mark.parametrize("route, entry", PATTERNS, ids=[route or "/" for route, _ in PATTERNS])
def test_permission_matrix(client, settings, sample, analyst, reader, public, route, entry):
    settings.PUBLIC_READ = public
    url = _url(route, entry, sample)
    kind = access_of(entry.callback)

    anonymous = client.get(url)
    if kind == "read" and public:
        assert anonymous.status_code == 200, url
    else:
        assert _is_login_redirect(anonymous), (url, anonymous.status_code)

    client.force_login(reader)
    as_reader = client.get(url)
    if kind == "write":
        assert as_reader.status_code == 403, url
    elif kind == "read":
        assert as_reader.status_code == 200, url
    else:  # login-only: the view may still check its own permissions, but never bounces a logged-in user to login
        assert not _is_login_redirect(as_reader) and as_reader.status_code < 500, url

    client.force_login(analyst)
    as_analyst = client.get(url)
    # 405: a POST-only action (re-process); the permission check let the analyst through.
    assert as_analyst.status_code in (200, 405), (url, as_analyst.status_code)


def test_writes_are_refused_without_the_permission(client, sample, reader):
    url = reverse("review_fact", kwargs={"model": "inspection", "pk": sample["inspection_pk"]})
    assert _is_login_redirect(client.post(url, {"action": "confirm"}))
    client.force_login(reader)
    assert client.post(url, {"action": "reject", "note": "no"}).status_code == 403


def test_login_page_is_styled_like_the_site_and_logout_is_a_post(client, reader):
    page = client.get(reverse("login") + "?next=/review/")
    html = page.content.decode()
    assert page.status_code == 200 and "css/app.css" in html and 'name="next" value="/review/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    response = client.post(reverse("login"), {"username": "rita", "password": "pw-not-used", "next": "/inspections/"})
    assert response.status_code == 302 and response["Location"] == "/inspections/"
    home = client.get("/inspections/").content.decode()
    assert 'action="/accounts/logout/"' in home and 'method="post"' in home
    assert client.get(reverse("logout")).status_code == 405  # a link cannot log anyone out
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_analyst_group_carries_the_write_permissions(analyst, reader):
    assert analyst.has_perms(["inspections.review_fact", "inspections.add_document", "inspections.view_inspection"])
    # A fact changes only through a review decision: no add/change/delete on facts or the letters behind them.
    for codename in ("add_inspection", "change_inspection", "delete_inspection", "change_significantweakness",
                     "change_sourceletter", "delete_document"):
        assert not analyst.has_perm(f"inspections.{codename}"), codename
    assert not reader.has_perm("inspections.review_fact")


def test_group_sync_restores_the_analyst_permissions(analyst):
    from django.contrib.auth.models import Group

    from inspections.review.groups import analyst_group_sync

    from django.contrib.auth.models import Permission

    group = Group.objects.get(name="analyst")
    group.permissions.clear()
    # A database made when analysts could still edit facts: the sync takes that permission back.
    group.permissions.add(Permission.objects.get(codename="change_inspection"))
    analyst_group_sync()
    analyst = type(analyst).objects.get(pk=analyst.pk)  # a fresh permission cache
    assert analyst.has_perm("inspections.review_fact") and analyst.has_perm("inspections.add_document")
    assert not analyst.has_perm("inspections.change_inspection")
