"""Tags for any fact partial: `{% fact_badge fact %}`, a small "Corrected"/"Checked" link to the fact's page;
`{% source_url fact as href %}`, where its "Source" link goes."""

from django import template
from django.urls import reverse

from inspections.services.review import FACT_MODELS
from sendtracker.access import DOCUMENT_VIEW_PERMISSION

register = template.Library()
_SLUGS = {model: slug for slug, model in FACT_MODELS.items()}
_REVIEW_STATE = {"needs_review", "review_reasons"}


@register.inclusion_tag("review/_badge.html")
def fact_badge(fact) -> dict:
    locks = getattr(fact, "locked_fields", None) or {}
    slug = _SLUGS.get(type(fact))
    if not locks or slug is None:
        return {"state": ""}
    corrected = set(locks) - _REVIEW_STATE
    return {
        "state": "corrected" if corrected else "checked",
        "url": reverse("fact_detail", kwargs={"model": slug, "pk": fact.pk}),
    }


@register.simple_tag(takes_context=True)
def source_url(context, fact) -> str:
    """The document page for a user who may open it; anyone else (a public reader, a logged-in reader) gets the
    fact's own page, which shows the same source passage, rather than a link they would be refused."""
    user = context.get("user")
    if user is not None and user.has_perm(DOCUMENT_VIEW_PERMISSION):
        return reverse("document_detail", args=[fact.source_document_id])
    slug = _SLUGS.get(type(fact))
    return reverse("fact_detail", kwargs={"model": slug, "pk": fact.pk}) if slug else ""
