"""/api/v1/: the NinjaAPI, its four read-only lists, its authentication, rate limit, conditional requests and
errors. Each list calls the same selector as its page and CSV with the request's own parameters
(inspections/facts/selectors.py), and its rows carry the CSV's columns (inspections/facts/exports.py), so the
three cannot disagree (tests/api/test_same_rows.py).

- Access as the site's read-only pages (sendtracker/access.py): anyone when PUBLIC_READ is on, otherwise a
  logged-in session or `Authorization: Bearer <key>` (inspections.models.ApiToken, made in the admin). Documents
  need the document pages' permission whatever PUBLIC_READ says.
- Rate limit: API_RATE_LIMIT requests a minute per token (or per client address without one), counted in
  Django's cache; over it, 429 with Retry-After.
- Errors are RFC 9457 problem details (application/problem+json), 4xx: a filter value the list does not know is a
  400 naming it (`FilterSet.errors_for`), never every row.
- ETag / Last-Modified from the data's as-of time (`selectors.as_of`) and the address: a repeated request with
  If-None-Match (or If-Modified-Since) gets 304 and no body.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date, parse_http_date_safe
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from inspections.api import schemas
from inspections.api.filters import DocumentFilter
from inspections.api.selectors import as_of, document_rows, token_for
from inspections.api.services import hash_key, note_use
from inspections.facts.exports import AREAS, COLUMN_NOTES, INSPECTIONS, WEAKNESSES
from inspections.facts.filters import AreaFilter, InspectionFilter, SortedFilterSet, WeaknessFilter
from inspections.facts.selectors import area_pages, inspection_rows, weakness_pages
from sendtracker.access import DOCUMENT_VIEW_PERMISSION

PROBLEM = "application/problem+json"
ERROR_CODES = (400, 401, 403, 404, 429)


class Problem(Exception):
    """Answer with problem details: `status`, a short `title`, a `detail` a person can act on, and for bad
    parameters `errors` {parameter: [reason]}."""

    def __init__(self, status: int, title: str, detail: str, errors: dict | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.errors, self.headers = status, title, detail, errors, headers or {}


class SiteAuth(HttpBearer):
    """The site's read access (see the module docstring), and the rate limit, for every operation. Returns who
    is asking (a user, or "public"); None (401) when nobody may read."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        identity = None
        if header:
            scheme, _, key = header.partition(" ")
            token = token_for(hash_key(key.strip())) if scheme.lower() == "bearer" and key.strip() else None
            if token is None:
                raise Problem(401, "Unauthorized", "The Authorization header holds no valid API token "
                              "(`Authorization: Bearer <key>`; an admin makes tokens in the admin's API tokens).")
            note_use(token)
            request.user = identity = token.user
            bucket = f"token:{token.pk}"
        else:
            if request.user.is_authenticated:
                identity = request.user
            elif getattr(settings, "PUBLIC_READ", False):
                identity = "public"
            else:
                return None
            bucket = f"ip:{request.META.get('REMOTE_ADDR', '')}"
        _rate_limit(bucket)
        return identity

    def authenticate(self, request, token):  # pragma: no cover - __call__ does the work
        return None


def _rate_limit(bucket: str) -> None:
    """At most settings.API_RATE_LIMIT requests a minute per bucket (a fixed window in Django's cache)."""
    limit = int(getattr(settings, "API_RATE_LIMIT", 120))
    if limit <= 0:
        return
    window = int(time.time() // 60)
    key = f"api-rate:{bucket}:{window}"
    cache.add(key, 0, timeout=70)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=70)
        used = 1
    if used > limit:
        retry = 60 - int(time.time()) % 60
        raise Problem(429, "Too Many Requests", f"At most {limit} requests a minute; try again in {retry} s.",
                      headers={"Retry-After": str(retry)})


class ProblemAPI(NinjaAPI):
    """A NinjaAPI whose description says error responses are application/problem+json (what they are)."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        # A row's field is its CSV column: described in the CSV's words (docs/CSV.md) where the schema has none.
        for row_schema, export in (("AreaRow", "areas"), ("InspectionRow", "inspections"), ("WeaknessRow", "weaknesses")):
            notes = COLUMN_NOTES.get(export, {})
            properties = schema.get("components", {}).get("schemas", {}).get(row_schema, {}).get("properties", {})
            for name, prop in properties.items():
                if "description" not in prop and name in notes:
                    prop["description"] = notes[name]
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content") or {}
                    if str(status).startswith("4") and "application/json" in content:
                        response["content"] = {PROBLEM: content["application/json"]}
        return schema


api = ProblemAPI(
    title="sendtracker API", version="1",
    description="Read-only: local areas' SEND inspection paths, inspections, weaknesses and documents, with "
                "provenance. The list pages' filters; page-number pagination; ETag/Last-Modified. README 'JSON API'.",
    auth=SiteAuth(), urls_namespace="api", docs_url="/docs/", openapi_url="/openapi.json",
)


def problem_response(request, status: int, title: str, detail: str, errors=None, headers=None) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(Problem)
def _problem(request, exc: Problem):
    return problem_response(request, exc.status, exc.title, exc.detail, exc.errors, exc.headers)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "filters")]
        errors.setdefault(".".join(loc) or "request", []).append(error.get("msg", "invalid"))
    return problem_response(request, 400, "Bad Request", "A parameter is not valid, so no rows were listed.", errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(request, 401, "Unauthorized", "Log in, or send `Authorization: Bearer <key>` "
                            "(PUBLIC_READ is off on this site).", headers={"WWW-Authenticate": 'Bearer realm="api"'})


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problem_response(request, exc.status_code, "Error", str(exc))


# --- conditional requests and pages ---------------------------------------------------------------

def _conditional(request: HttpRequest) -> tuple[HttpResponse | None, dict]:
    """(304 response or None, the validators to send): the ETag is the data's as-of time and the address."""
    stamp = as_of()
    seed = f"{stamp.isoformat() if stamp else '-'}|{request.get_full_path()}"
    etag = f'W/"{hashlib.sha256(seed.encode()).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Authorization, Cookie"}
    if stamp:
        headers["Last-Modified"] = http_date(stamp.timestamp())
    match = request.headers.get("If-None-Match")
    if match is not None:
        # Weak comparison (RFC 9110 13.1.2): W/"x" and "x" name the same representation.
        fresh = _opaque(etag) in [_opaque(t) for t in match.split(",")] or match.strip() == "*"
    else:
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        fresh = bool(stamp and since is not None and int(stamp.timestamp()) <= since)
    if fresh:
        not_modified = HttpResponse(status=304)
        del not_modified["Content-Type"]  # no body, so no type (it said text/html)
        for name, value in headers.items():
            not_modified[name] = value
        return not_modified, headers
    return None, headers


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def _check_filters(request: HttpRequest, filter_class: type[SortedFilterSet]) -> None:
    # A misspelt parameter (?judgment=insufficient) would otherwise be ignored and list every row.
    known = {*filter_class.base_filters, "page", "page_size"}
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise Problem(400, "Bad Request", f"This list has no parameter {', '.join(unknown)}; it takes "
                      f"{', '.join(sorted(known))}.", {name: ["Not a parameter of this list."] for name in unknown})
    errors = filter_class.errors_for(request.GET)
    if errors:
        raise Problem(400, "Bad Request", "A filter value is not one this list knows, so no rows were listed.", errors)


def _page(request: HttpRequest, rows, page: int, page_size: int, to_row) -> dict:
    paginator = Paginator(rows, page_size)
    try:
        current = paginator.page(page)
    except EmptyPage:
        raise Problem(404, "Not Found", f"There is no page {page}: this list has {paginator.num_pages} "
                      f"page(s) of {page_size}.") from None

    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": paginator.count, "page": current.number, "page_size": page_size, "pages": paginator.num_pages,
        "next": link(current.next_page_number()) if current.has_next() else None,
        "previous": link(current.previous_page_number()) if current.has_previous() else None,
        "results": [to_row(row) for row in current.object_list],
    }


def _listing(request, response, filter_class, rows_for, query, to_row):
    _check_filters(request, filter_class)
    not_modified, headers = _conditional(request)
    if not_modified is not None:
        return not_modified
    for name, value in headers.items():
        response[name] = value
    return _page(request, rows_for(request.GET), query.page, query.page_size, to_row)


def _csv_columns(export, row: dict) -> dict:
    """The row as its CSV export has it (same names, same values before formatting)."""
    return {header: get(row) for header, get in export.columns}


def area_out(row: dict) -> dict:
    return _csv_columns(AREAS, row)


def inspection_out(row: dict) -> dict:
    out = _csv_columns(INSPECTIONS, row)
    out["wsoa_required"] = {"true": True, "false": False}.get(out["wsoa_required"])
    # The provenance (document, span, corrected fields) is in the CSV's columns too, with the same values.
    return {"id": f"{row['row_type']}-{row['row_id']}", "row_type": row["row_type"], "row_id": row["row_id"], **out}


def weakness_out(row: dict) -> dict:
    return {"id": row["id"], "judgement_id": row["judgement_id"], **_csv_columns(WEAKNESSES, row)}


AreaQuery = schemas.query_model("AreaQuery", AreaFilter)
InspectionQuery = schemas.query_model("InspectionQuery", InspectionFilter)
WeaknessQuery = schemas.query_model("WeaknessQuery", WeaknessFilter)
DocumentQuery = schemas.query_model("DocumentQuery", DocumentFilter)


def _responses(page_schema) -> dict:
    return {200: page_schema, 304: None, **{code: schemas.Problem for code in ERROR_CODES}}


@api.get("/areas", response=_responses(schemas.AreaPage), tags=["areas"], summary="Areas and their path")
def areas(request, response: HttpResponse, filters: Query[AreaQuery]):
    """Local areas with their stored path (stage, coverage, next expected visit) — or, with `as_at`, their path as it
    stood that day (derived then by the same function; the areas in force that day): the /areas/ page's rows and
    filters; its CSV's columns (docs/CSV.md)."""
    return _listing(request, response, AreaFilter, lambda f: area_pages(filters=f), filters, area_out)


@api.get("/inspections", response=_responses(schemas.InspectionPage), tags=["facts"], summary="Inspections and revisits")
def inspections(request, response: HttpResponse, filters: Query[InspectionQuery]):
    """Inspections, revisits and monitoring inspections as the /inspections/ page lists them."""
    return _listing(request, response, InspectionFilter, lambda f: inspection_rows(filters=f), filters, inspection_out)


@api.get("/weaknesses", response=_responses(schemas.WeaknessPage), tags=["facts"], summary="Weaknesses and judgements")
def weaknesses(request, response: HttpResponse, filters: Query[WeaknessQuery]):
    """Weaknesses, priority actions and areas for improvement, one row per judgement, as /weaknesses/ lists them."""
    return _listing(request, response, WeaknessFilter,
                    lambda f: weakness_pages(filters=f),
                    filters, weakness_out)


@api.get("/documents", response=_responses(schemas.DocumentPage), tags=["documents"], summary="Documents")
def documents(request, response: HttpResponse, filters: Query[DocumentQuery]):
    """Stored documents' metadata and processing status. Needs the document pages' permission."""
    if not request.user.is_authenticated:
        raise Problem(401, "Unauthorized", "Documents need a login or an API token with the document pages' permission.")
    if not request.user.has_perm(DOCUMENT_VIEW_PERMISSION):
        raise Problem(403, "Forbidden", "Documents need the document pages' permission (the analyst group has it).")
    return _listing(request, response, DocumentFilter, lambda f: document_rows(filters=f), filters, dict)


@api.get("/", auth=None, include_in_schema=False)
def index(request):
    """/api/v1/: where the description, the docs and the lists are (a client's first request, and a person's)."""
    return {
        "title": api.title, "version": api.version, "openapi": request.build_absolute_uri("openapi.json"),
        "docs": request.build_absolute_uri("docs/"),
        "lists": {name: request.build_absolute_uri(name) for name in ("areas", "inspections", "weaknesses", "documents")},
    }
