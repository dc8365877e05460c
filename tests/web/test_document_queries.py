"""The document pages run a bounded number of queries however many uploads there are.

/documents/ lists the most recent uploads with who uploaded them and what each duplicates; a per-row
lookup of either would grow with the list. Measured at 5 and at 150 documents (more than one page).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from inspections.models import Document
from tests.factories import make_document

pytestmark = pytest.mark.django_db

# session + user + permissions (auth middleware), then the page's own reads
DOCUMENT_PAGE_MAX_QUERIES = 5


@pytest.fixture
def analyst(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="inspections",
                                                         codename__in=["view_document", "add_document"]))
    client.force_login(user)
    return user


def _uploads(n: int, user) -> list[Document]:
    docs = []
    for i in range(n):
        original = make_document(uploaded_by=user)
        docs.append(original)
        if i % 3 == 0:  # every third upload was sent again: a duplicate row pointing at it
            docs.append(make_document(text=original.text, uploaded_by=user, status=Document.Status.DUPLICATE,
                                      duplicate_of=original))
    return docs


@pytest.mark.parametrize("n", [5, 150])
def test_document_list_queries_do_not_grow(client, analyst, django_assert_max_num_queries, n):
    docs = _uploads(n, analyst)
    with django_assert_max_num_queries(DOCUMENT_PAGE_MAX_QUERIES):
        response = client.get(reverse("document_list"))
    assert response.status_code == 200
    # the newest upload is listed, with its duplicate mark
    assert docs[-1].original_name in response.content.decode()
    with django_assert_max_num_queries(DOCUMENT_PAGE_MAX_QUERIES):
        partial = client.get(reverse("document_list"), headers={"HX-Request": "true"})
    assert partial.status_code == 200


@pytest.mark.parametrize("n", [5, 150])
def test_document_detail_and_status_queries_do_not_grow(client, analyst, django_assert_max_num_queries, n):
    docs = _uploads(n, analyst)
    duplicate = next(d for d in docs if d.duplicate_of_id)
    for url in (reverse("document_detail", args=[duplicate.pk]), reverse("document_status", args=[duplicate.pk])):
        with django_assert_max_num_queries(DOCUMENT_PAGE_MAX_QUERIES, info=url):
            response = client.get(url)
        assert response.status_code == 200
        assert duplicate.duplicate_of.original_name in response.content.decode(), url
