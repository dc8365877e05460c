"""The JSON API (/api/v1/, inspections/api/): shapes, filters, errors, conditional requests, access, limits."""

import pytest

pytestmark = pytest.mark.django_db


def test_areas_carry_the_stored_path(client, public_read, paths):
    body = client.get("/api/v1/areas").json()
    assert body["count"] == 3 and body["page"] == 1 and body["page_size"] == 100 and body["next"] is None
    medway = next(r for r in body["results"] if r["area_gss_code"] == "E06000035")
    assert medway["stage"] and medway["coverage"] and medway["current"] is True
    assert medway["latest_inspection_date"] == "2025-03-03"  # ISO dates
    bexley = next(r for r in body["results"] if r["area_gss_code"] == "E09000004")
    assert bexley["stage"] == "not_inspected"


def test_inspection_rows_have_stable_ids_and_provenance(client, public_read, paths):
    rows = client.get("/api/v1/inspections", {"area": "E06000035", "sort": "date"}).json()["results"]
    assert [r["kind"] for r in rows] == ["initial_inspection", "revisit", "full_inspection", "monitoring_inspection"]
    initial = rows[0]
    assert initial["id"] == f"inspection-{paths[0]['inspection'].pk}"
    assert initial["source_document_id"] == paths[0]["document"].pk
    assert initial["source_kind"] == "letter" and initial["needs_review"] is False and initial["known_from"] == ""
    assert initial["wsoa_required"] is True and rows[1]["wsoa_required"] is None
    assert rows[1]["id"] == f"revisit-{paths[0]['revisit'].pk}"


def test_weaknesses_carry_judgements(client, public_read, paths):
    rows = client.get("/api/v1/weaknesses", {"area": "Medway", "framework": "2016"}).json()["results"]
    assert sorted(r["judgement"] for r in rows) == ["insufficient", "sufficient", "sufficient"]
    assert all(r["judgement_id"] and r["source_document_id"] == paths[0]["document"].pk for r in rows)


def test_pagination_and_ordering(client, public_read, paths):
    first = client.get("/api/v1/areas", {"page_size": 2, "sort": "-name"}).json()
    assert first["count"] == 3 and first["pages"] == 2
    assert [r["area_name"] for r in first["results"]] == ["Medway", "Kent"]
    assert "page=2" in first["next"] and "sort=-name" in first["next"]
    second = client.get(first["next"]).json()
    assert [r["area_name"] for r in second["results"]] == ["Bexley"] and second["previous"]
    assert client.get("/api/v1/areas", {"page_size": 501}).status_code == 400
    missing = client.get("/api/v1/areas", {"page": 9})
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("url, params, parameter", [
    ("/api/v1/inspections", {"outcome": "foo"}, "outcome"),
    ("/api/v1/weaknesses", {"judgement": "maybe"}, "judgement"),
    ("/api/v1/areas", {"stage": "nowhere"}, "stage"),
    ("/api/v1/inspections", {"year": "1999"}, "year"),
    ("/api/v1/areas", {"sort": "height"}, "sort"),
])
def test_a_bad_filter_is_a_400_problem_never_every_row(client, public_read, paths, url, params, parameter):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and "results" not in body
    assert parameter in body["errors"]


def test_an_empty_filter_means_any_as_on_the_page(client, public_read, paths):
    """The empty value the page's form sends (`?outcome=&region=`) means "any", as on the page: all 5 rows."""
    assert client.get("/api/v1/inspections", {"outcome": "", "region": ""}).json()["count"] == 5


def test_conditional_requests_get_304(client, public_read, paths):
    first = client.get("/api/v1/inspections", {"area": "Kent"})
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get("/api/v1/inspections", {"area": "Kent"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and "Content-Type" not in again
    strong = client.get("/api/v1/inspections", {"area": "Kent"}, HTTP_IF_NONE_MATCH=first["ETag"].removeprefix("W/"))
    assert strong.status_code == 304  # If-None-Match compares weakly: the tag without W/ is the same tag
    since = client.get("/api/v1/inspections", {"area": "Kent"}, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other = client.get("/api/v1/inspections", {"area": "Medway"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200  # another address, another ETag


def test_the_etag_changes_when_the_data_does(client, public_read, paths):
    from tests.factories import make_path, make_area

    first = client.get("/api/v1/areas")
    make_path(make_area("Hartlepool", gss_code="E06000001"))
    again = client.get("/api/v1/areas", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again.json()["count"] == 4


def test_private_site_needs_a_login_or_a_token(client, private, paths, reader_key):
    anonymous = client.get("/api/v1/areas")
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == "application/problem+json"
    bad = client.get("/api/v1/areas", HTTP_AUTHORIZATION="Bearer not-a-key")
    assert bad.status_code == 401
    assert client.get("/api/v1/areas", HTTP_AUTHORIZATION=f"Bearer {reader_key}").json()["count"] == 3
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="reader"))
    assert client.get("/api/v1/areas").status_code == 200


def test_revoked_token_is_refused(client, private, paths, reader_key):
    from inspections.models import ApiToken

    ApiToken.objects.update(active=False)
    assert client.get("/api/v1/areas", HTTP_AUTHORIZATION=f"Bearer {reader_key}").status_code == 401


def test_only_the_key_hash_is_stored(reader_key):
    from inspections.models import ApiToken

    token = ApiToken.objects.get()
    assert reader_key not in (token.key_hash, token.prefix) and token.prefix == reader_key[:8]


def test_documents_need_the_document_permission(client, public_read, paths, reader_key, analyst_key):
    assert client.get("/api/v1/documents").status_code == 401  # public read does not open documents
    assert client.get("/api/v1/documents", HTTP_AUTHORIZATION=f"Bearer {reader_key}").status_code == 403
    body = client.get("/api/v1/documents", HTTP_AUTHORIZATION=f"Bearer {analyst_key}").json()
    assert body["count"] == 2 and {"status", "sha256", "original_name"} <= set(body["results"][0])
    assert "text" not in body["results"][0]
    bad = client.get("/api/v1/documents", {"status": "lost"}, HTTP_AUTHORIZATION=f"Bearer {analyst_key}")
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_rate_limit_per_token(client, private, settings, paths, reader_key, analyst_key):
    settings.API_RATE_LIMIT = 2
    auth = {"HTTP_AUTHORIZATION": f"Bearer {reader_key}"}
    assert [client.get("/api/v1/areas", **auth).status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get("/api/v1/areas", **auth)
    assert refused["Content-Type"] == "application/problem+json" and int(refused["Retry-After"]) <= 60
    # Another token has its own allowance.
    assert client.get("/api/v1/areas", HTTP_AUTHORIZATION=f"Bearer {analyst_key}").status_code == 200


def test_rate_limit_is_shared_through_redis_when_cache_url_is_set(client, private, settings, paths, reader_key):
    """With CACHE_URL (several web processes), the count is in Redis: another process's client reads the same
    count, and the limit holds for the token across processes."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/14"  # a db of its own (CI's worker uses 11)
    other_process = redis.Redis.from_url(url)
    try:
        other_process.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    other_process.flushdb()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                   "KEY_PREFIX": "sendtracker"}}
    settings.API_RATE_LIMIT = 3
    auth = {"HTTP_AUTHORIZATION": f"Bearer {reader_key}"}
    assert [client.get("/api/v1/areas", **auth).status_code for _ in range(2)] == [200, 200]
    keys = list(other_process.scan_iter("sendtracker:*api-rate:token:*"))
    assert len(keys) == 1 and int(other_process.get(keys[0])) == 2
    other_process.incr(keys[0])  # a request to another web process: this one is the fourth, over the limit of 3
    assert client.get("/api/v1/areas", **auth).status_code == 429
    other_process.flushdb()


def test_cors_is_off_unless_an_origin_is_allowed(client, public_read, settings, paths):
    origin = {"HTTP_ORIGIN": "https://dash.example.org"}
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/areas", **origin)
    settings.API_CORS_ORIGINS = ["https://dash.example.org"]
    assert client.get("/api/v1/areas", **origin)["Access-Control-Allow-Origin"] == "https://dash.example.org"
    preflight = client.options("/api/v1/areas", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **origin)
    assert preflight.status_code == 204 and "Authorization" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/areas/", **origin)  # the API only


def test_openapi_description_and_docs(client, private):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/areas", "/api/v1/inspections", "/api/v1/weaknesses", "/api/v1/documents"} <= set(schema["paths"])
    params = {p["name"] for p in schema["paths"]["/api/v1/inspections"]["get"]["parameters"]}
    assert {"area", "region", "framework", "kind", "outcome", "year", "source_kind", "needs_review", "held", "sort",
            "page", "page_size"} <= params
    # "as_at accepted wherever the pages accept it": each list's FilterSet gives its parameters.
    for path in ("/api/v1/areas", "/api/v1/inspections", "/api/v1/weaknesses"):
        described = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert "as_at" in described and "YYYY-MM-DD" in described["as_at"]["description"], path
    bad = schema["paths"]["/api/v1/areas"]["get"]["responses"]["400"]["content"]
    assert list(bad) == ["application/problem+json"]
    assert client.get("/api/v1/docs/").status_code == 200


def test_a_control_character_is_a_problem_too(client, public_read):
    response = client.get("/api/v1/areas", {"q": "Med\x00way"})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "control character" in response.json()["detail"]


def test_admin_shows_a_new_key_once(admin_client, django_user_model):
    from inspections.api.services import hash_key
    from inspections.models import ApiToken

    owner = django_user_model.objects.create_user("owner")
    response = admin_client.post("/admin/inspections/apitoken/add/", {"user": owner.pk, "name": "R notebook",
                                                                      "active": "on"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    key = shown[0].split(" is ")[1].split(" ")[0]
    token = ApiToken.objects.get()
    assert token.user == owner and token.key_hash == hash_key(key) and token.prefix == key[:8]
    assert key not in admin_client.get(f"/admin/inspections/apitoken/{token.pk}/change/").content.decode()


def test_every_row_carries_its_span_and_what_an_analyst_corrected(client, public_read, paths):
    medway = paths[0]
    inspection, weakness, judgement = medway["inspection"], medway["weaknesses"][0], medway["judgements"][0]
    type(inspection).all_objects.filter(pk=inspection.pk).update(locked_fields={"outcome": "wsoa_required"})
    type(judgement).all_objects.filter(pk=judgement.pk).update(locked_fields={"sufficient_progress": True})
    rows = client.get("/api/v1/inspections", {"area": "Medway", "framework": "2016"}).json()["results"]
    first = next(r for r in rows if r["id"] == f"inspection-{inspection.pk}")
    assert first["corrected_fields"] == ["outcome"]
    assert (first["span_start"], first["span_end"]) == (inspection.span_start, inspection.span_end)
    revisit = next(r for r in rows if r["row_type"] == "revisit")
    assert revisit["corrected_fields"] == []
    weaknesses = client.get("/api/v1/weaknesses", {"area": "Medway", "framework": "2016"}).json()["results"]
    row = next(r for r in weaknesses if r["judgement_id"] == judgement.pk)
    assert row["id"] == weakness.pk and row["judgement_corrected_fields"] == ["sufficient_progress"]
    assert row["corrected_fields"] == [] and row["span_start"] == weakness.span_start


def test_as_at_takes_every_day_of_the_month_and_refuses_one_the_month_lacks(client, public_read, paths):
    assert client.get("/api/v1/inspections", {"as_at": "2021-03-31"}).status_code == 200
    assert client.get("/api/v1/inspections", {"as_at": "2020-02-29"}).status_code == 200
    bad = client.get("/api/v1/inspections", {"as_at": "2021-02-30"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_a_misspelt_parameter_is_a_400_naming_it_never_every_row(client, public_read, paths):
    response = client.get("/api/v1/weaknesses", {"judgment": "insufficient"})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["errors"] == {"judgment": ["Not a parameter of this list."]} and "judgement" in body["detail"]
    assert client.get("/api/v1/weaknesses", {"judgement": "insufficient", "page": 1}).status_code == 200


@pytest.mark.parametrize("name", ["areas", "inspections", "weaknesses"])
@pytest.mark.parametrize("value", ["2021-02-30", "31/03/2021", "yesterday", "2021-13-01"])
def test_a_bad_as_at_is_a_400_problem_and_a_real_day_is_not(client, public_read, paths, name, value):
    response = client.get(f"/api/v1/{name}", {"as_at": value})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "as_at" in response.json()["errors"]
    for day in ("2021-03-31", "2020-02-29", "2018-06-30"):
        assert client.get(f"/api/v1/{name}", {"as_at": day}).status_code == 200, day


def test_row_fields_are_described_in_the_csvs_words(client, private):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    area = schemas["AreaRow"]["properties"]
    assert all("description" in prop for prop in area.values())
    assert "not known" in schemas["InspectionRow"]["properties"]["weakness_count"]["description"]


def test_the_api_root_says_where_everything_is(client, private):
    body = client.get("/api/v1/").json()
    assert body["openapi"].endswith("/api/v1/openapi.json") and body["docs"].endswith("/api/v1/docs/")
    assert set(body["lists"]) == {"areas", "inspections", "weaknesses", "documents"}
    assert client.get(body["openapi"]).status_code == 200
