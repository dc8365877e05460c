"""The fetch status page (/documents/fetch-runs/) and the read-only admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from inspections.models import FetchRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs():
    ok = FetchRun.objects.create(source="ofsted", base_url="https://reports.example", status=FetchRun.Status.SUCCEEDED,
                                 finished_at=timezone.now(), pages_read=160, publications_seen=310, new_documents=12,
                                 already_held=298)
    bad = FetchRun.objects.create(
        source="ofsted", base_url="https://reports.example", status=FetchRun.Status.FAILED, finished_at=timezone.now(),
        message="The provider page layout is not recognised: none of the 159 provider pages read shows any publication link.",
        errors=[{"url": "https://files.example/v1/file/7", "reason": "HTTP 500, 4 attempts"}],
    )
    return ok, bad


def test_analysts_see_every_run_with_counts_and_reasons(client, django_user_model, runs):
    user = django_user_model.objects.create_user("ana")
    user.user_permissions.add(Permission.objects.get(codename="view_document"))
    client.force_login(user)
    page = client.get(reverse("fetch_run_list")).content.decode()
    assert reverse("fetch_run_list") == "/documents/fetch-runs/"
    assert "layout is not recognised" in page and "HTTP 500, 4 attempts" in page
    assert "<td>310</td>" in page and "<td>12</td>" in page
    assert "Last successful run finished" in page
    assert "The daily fetch is off" in page


def test_the_page_is_closed_to_anonymous_and_to_users_without_the_permission(client, django_user_model, runs):
    response = client.get(reverse("fetch_run_list"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(django_user_model.objects.create_user("reader"))
    assert client.get(reverse("fetch_run_list")).status_code == 403


def test_admin_lists_runs_read_only(admin_client, runs):
    ok, _ = runs
    listing = admin_client.get(reverse("admin:inspections_fetchrun_changelist"))
    assert listing.status_code == 200 and "layout is not recognised" in listing.content.decode()
    assert admin_client.get(reverse("admin:inspections_fetchrun_add")).status_code == 403
    detail = admin_client.post(reverse("admin:inspections_fetchrun_change", args=[ok.pk]), {"status": "failed"})
    assert detail.status_code == 403
    ok.refresh_from_db()
    assert ok.status == FetchRun.Status.SUCCEEDED
