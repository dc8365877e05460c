"""The review queue and the fact page: a fact beside its source passage, its history, and (for analysts)
forms to confirm it, correct a field, or reject it. Writes go through inspections/review/services.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from inspections.models import SignificantWeakness
from inspections.review.forms import ConfirmForm, CorrectionForm, RejectForm, ThemesForm
from inspections.review.forms import field_label, findings_leaves, leaf_label, leaf_text
from inspections.review.selectors import (
    FACT_KIND_WORDS,
    documents_needing_review,
    fact_get,
    fact_history,
    fact_subject,
    next_in_queue,
    queue_rows,
    review_queue,
    source_window,
    value_words,
)
from inspections.review.services import (
    correctable_fields,
    fact_confirm,
    fact_correct,
    fact_reject,
    letter_choose_area,
    weakness_themes_correct,
)
from inspections.models import Document
from inspections.themes.selectors import weakness_themes
from sendtracker.access import REVIEW_PERMISSION, permission_needed, public_read

QUEUE_PAGE_SIZE = 50
DOCUMENTS_SHOWN = 20


@permission_needed(REVIEW_PERMISSION)
def review_queue_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(review_queue(), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    documents = documents_needing_review()
    return render(request, "review/queue.html", {
        "page": page,
        "rows": queue_rows(page),
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
                messages.success(request, f"Confirmed {_name(fact, model)}: it no longer needs review.")
                return _to_next(model, fact)
        elif action == "correct" and field_name in {f.name for f in correctable_fields(type(fact))}:
            form = CorrectionForm(request.POST, fact=fact, field_name=field_name)
            bound[f"correct:{field_name}"] = form
            if form.is_valid():
                data = form.cleaned_data
                fact_correct(fact=fact, field=field_name, value=data["value"], user=request.user, note=data["note"],
                             resolves=None if data["settles"] else ())
                messages.success(request, f"Corrected the {form.model_field.verbose_name} of {_name(fact, model)}.")
                # Settled: on to the next item. Still in doubt: stay, another field may need correcting.
                return redirect(request.path) if fact.needs_review else _to_next(model, fact)
        elif action == "themes" and isinstance(fact, SignificantWeakness):
            form = bound["themes_form"] = ThemesForm(request.POST)
            if form.is_valid():
                weakness_themes_correct(weakness=fact, themes=form.cleaned_data["themes"], user=request.user,
                                        note=form.cleaned_data["note"])
                messages.success(request, f"Set the themes of {_name(fact, model)}: kept whenever the rules change.")
                return redirect(request.path)
        elif action == "reject":
            form = bound["reject_form"] = RejectForm(request.POST)
            if form.is_valid():
                fact_reject(fact=fact, user=request.user, note=form.cleaned_data["note"])
                messages.success(request, f"Rejected {_name(fact, model)}: it is hidden from every page and export.")
                return _to_next(model, fact)
        else:
            return HttpResponse("Unknown action.", status=400)
    except ValidationError as exc:
        _attach(form, exc, field_name)
    context = _context(request, fact, model, reviewing=True, bound=bound)
    return render(request, "review/fact.html", context, status=400)


@permission_needed(REVIEW_PERMISSION)
def review_next(request: HttpRequest) -> HttpResponse:
    """GET /review/next/?skip=<kind>:<id> -> the first fact of the queue other than the skipped one, or the
    queue itself, saying nothing is left. What "Next item" and every decision lead to."""
    kind, _, pk = request.GET.get("skip", "").partition(":")
    row = next_in_queue(skip=(kind, int(pk)) if pk.isdigit() else None)
    if row is None:
        messages.info(request, "Nothing else needs review.")
        return review_queue_view(request)
    return redirect("review_fact", model=row["fact_kind"], pk=row["id"])


def _to_next(slug: str, fact) -> HttpResponse:
    return redirect(f"{reverse('review_next')}?skip={slug}:{fact.pk}")


def _name(fact, slug: str) -> str:
    return f"{FACT_KIND_WORDS.get(slug, slug).lower()} #{fact.pk}"


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
    """Words for the recorded value; the team and the findings as lists (templates/review/_list_value.html)."""
    value = getattr(fact, field.name)
    if field.name == "inspection_team":
        return {"team_list": [p if isinstance(p, dict) else {"name": str(p)} for p in value or []]}
    if field.name == "findings":
        return {"findings_list": [
            {"label": leaf_label(path), "entries": [i.get("text", "") if isinstance(i, dict) else str(i) for i in leaf]}
            if isinstance(leaf, list) else {"label": leaf_label(path), "text": leaf_text(path, leaf)}
            for path, leaf in findings_leaves(value or {})
        ]}
    return value_words(type(fact), field.name, value, fact=fact)


def _history(fact) -> list:
    """The decisions, with field names and values in words (a verdict's label, not `sufficient_all`)."""
    model = type(fact)
    out = []
    for h in fact_history(fact):
        if h.field:
            try:
                h.field_label = model._meta.get_field(h.field).verbose_name
            except Exception:
                h.field_label = h.field.replace("_", " ")
            h.old_words = value_words(model, h.field, h.old_value, fact=fact)
            h.new_words = value_words(model, h.field, h.new_value, fact=fact)
        out.append(h)
    return out


def _context(request, fact, slug: str, *, reviewing: bool, bound: dict | None = None) -> dict:
    bound = bound or {}
    locks = fact.locked_fields or {}
    rows = []
    for field in correctable_fields(type(fact)):
        rows.append({
            "name": field.name,
            "label": field_label(fact, field.name),
            "value": _display(fact, field),
            "lock": locks.get(field.name),
            "form": (bound.get(f"correct:{field.name}") or CorrectionForm(fact=fact, field_name=field.name))
            if reviewing and not fact.rejected else None,
        })
    return {
        "fact": fact,
        "slug": slug,
        "kind_label": FACT_KIND_WORDS.get(slug, type(fact)._meta.verbose_name),
        "area": _area_of(fact),
        "subject": [(label, value) for label, value in fact_subject(fact)],
        "rows": rows,
        "window": source_window(fact),
        "history": _history(fact),
        "reviewing": reviewing,
        "can_review": request.user.has_perm(REVIEW_PERMISSION),
        "confirm_form": bound.get("confirm_form") or ConfirmForm(),
        "reject_form": bound.get("reject_form") or RejectForm(),
        **_themes_context(fact, reviewing=reviewing, bound=bound),
    }


def _themes_context(fact, *, reviewing: bool, bound: dict) -> dict:
    """A weakness's themes, each with the words that decided it, and (reviewing) the form to correct them."""
    if not isinstance(fact, SignificantWeakness):
        return {}
    themes = weakness_themes(fact.pk)
    form = None
    if reviewing and not fact.rejected:
        form = bound.get("themes_form") or ThemesForm(initial={"themes": [t.key for t in themes]})
    return {"themes": themes, "themes_form": form}


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


@permission_needed(REVIEW_PERMISSION)
@require_http_methods(["GET", "POST"])
def letter_area(request: HttpRequest, letter_id: int) -> HttpResponse:
    """/review/letters/<id>/area/: choose the area of a letter whose printed name did not match one area. GET: the
    letter's passage and a search of the register (?q=, first the printed name), former authorities with their
    dates; POST (gss, note): the decision (services.letter_choose_area), then back to the document's page."""
    from areas.models import LocalArea
    from areas.selectors import area_search
    from inspections.models import SourceLetter

    letter = get_object_or_404(SourceLetter.objects.select_related("document", "area").defer("document__text"), pk=letter_id)
    error = ""
    if request.method == "POST":
        area = LocalArea.objects.filter(gss_code=request.POST.get("gss", "").strip().upper()).first()
        if area is None:
            error = "Choose one of the areas listed."
        else:
            try:
                letter_choose_area(letter=letter, area=area, user=request.user, note=request.POST.get("note", ""))
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, f"Letter {letter.position + 1} is now read as {area.name}'s (your decision is "
                                          "recorded and kept when the document is processed again).")
                return redirect("document_detail", pk=letter.document_id)
    query = request.GET.get("q", letter.area_name_printed).strip()
    text = Document.objects.filter(pk=letter.document_id).values_list("text", flat=True).first() or ""
    return render(request, "review/letter_area.html", {
        "letter": letter, "document": letter.document, "query": query, "areas": area_search(query),
        "passage": _around(text[letter.span_start : letter.span_end], letter.area_name_printed),
        "reasons": letter.review_reasons, "error": error,
    }, status=400 if error else 200)


def _around(text: str, name: str, *, width: int = 500) -> tuple[str, str, str]:
    """(before, the printed name, after): the passage around the name's first appearance, or the letter's start."""
    at = text.lower().find(name.lower()) if name else -1
    if at < 0:
        return text[: width * 2], "", ""
    start = max(0, at - width)
    return ("…" if start else "") + text[start:at], text[at : at + len(name)], text[at + len(name) : at + len(name) + width] + "…"
