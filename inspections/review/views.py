"""The review queue and the fact page: a fact beside its source passage, its history, and (for analysts)
forms to confirm it, correct a field, or reject it. Writes go through inspections/review/services.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from inspections.review.forms import ConfirmForm, CorrectionForm, RejectForm
from inspections.review.selectors import (
    documents_needing_review,
    fact_get,
    fact_history,
    review_queue,
    source_window,
)
from inspections.review.services import correctable_fields, fact_confirm, fact_correct, fact_reject
from sendtracker.access import REVIEW_PERMISSION, permission_needed, public_read

QUEUE_PAGE_SIZE = 50
DOCUMENTS_SHOWN = 20


@permission_needed(REVIEW_PERMISSION)
def review_queue_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(review_queue(), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    documents = documents_needing_review()
    return render(request, "review/queue.html", {
        "page": page,
        "prev_query": f"?page={page.previous_page_number()}" if page.has_previous() else "",
        "next_query": f"?page={page.next_page_number()}" if page.has_next() else "",
        "documents": documents[:DOCUMENTS_SHOWN],
        "documents_count": documents.count(),
    })


@public_read
def fact_detail(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    """Read-only: the fact, where it was read, and who corrected it. Rejected facts are gone from here."""
    fact = fact_get(slug=model, pk=pk)
    return render(request, "review/fact.html", _context(request, fact, model, reviewing=False))


@permission_needed(REVIEW_PERMISSION)
@require_http_methods(["GET", "POST"])
def review_fact(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    fact = fact_get(slug=model, pk=pk, include_rejected=True)
    if request.method == "GET":
        return render(request, "review/fact.html", _context(request, fact, model, reviewing=True))

    action, _, field_name = request.POST.get("action", "").partition(":")
    bound: dict = {}
    try:
        if action == "confirm":
            form = bound["confirm_form"] = ConfirmForm(request.POST)
            if form.is_valid():
                fact_confirm(fact=fact, user=request.user, note=form.cleaned_data["note"])
                messages.success(request, "Confirmed: the fact no longer needs review.")
                return redirect(request.path)
        elif action == "correct" and field_name in {f.name for f in correctable_fields(type(fact))}:
            form = CorrectionForm(request.POST, fact=fact, field_name=field_name)
            bound[f"correct:{field_name}"] = form
            if form.is_valid():
                data = form.cleaned_data
                fact_correct(fact=fact, field=field_name, value=data["value"], user=request.user, note=data["note"],
                             resolves=None if data["settles"] else ())
                messages.success(request, f"Corrected {form.model_field.verbose_name}.")
                return redirect(request.path)
        elif action == "reject":
            form = bound["reject_form"] = RejectForm(request.POST)
            if form.is_valid():
                fact_reject(fact=fact, user=request.user, note=form.cleaned_data["note"])
                messages.success(request, "Rejected: the fact is hidden from every page and export.")
                return redirect(reverse("review_queue"))
        else:
            return HttpResponse("Unknown action.", status=400)
    except ValidationError as exc:
        _attach(form, exc, field_name)
    context = _context(request, fact, model, reviewing=True, bound=bound)
    return render(request, "review/fact.html", context, status=400)


def _attach(form, exc: ValidationError, field_name: str) -> None:
    """A service's ValidationError, shown on the form that asked for it."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            target = "value" if key == field_name else key if key in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _display(fact, field) -> object:
    if field.choices:
        return getattr(fact, f"get_{field.name}_display")()
    return getattr(fact, field.name)


def _context(request, fact, slug: str, *, reviewing: bool, bound: dict | None = None) -> dict:
    bound = bound or {}
    locks = fact.locked_fields or {}
    rows = []
    for field in correctable_fields(type(fact)):
        rows.append({
            "name": field.name,
            "label": field.verbose_name,
            "value": _display(fact, field),
            "lock": locks.get(field.name),
            "form": (bound.get(f"correct:{field.name}") or CorrectionForm(fact=fact, field_name=field.name))
            if reviewing and not fact.rejected else None,
        })
    return {
        "fact": fact,
        "slug": slug,
        "kind_label": type(fact)._meta.verbose_name,
        "area": _area_of(fact),
        "rows": rows,
        "window": source_window(fact),
        "history": list(fact_history(fact)),
        "reviewing": reviewing,
        "can_review": request.user.has_perm(REVIEW_PERMISSION),
        "confirm_form": bound.get("confirm_form") or ConfirmForm(),
        "reject_form": bound.get("reject_form") or RejectForm(),
    }


def _area_of(fact):
    for path in ("area", "inspection.area", "revisit.inspection.area"):
        obj = fact
        for attr in path.split("."):
            obj = getattr(obj, attr, None)
            if obj is None:
                break
        if obj is not None:
            return obj
    return None
