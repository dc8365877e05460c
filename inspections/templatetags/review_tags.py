"""`{% fact_badge fact %}`: a small "Corrected"/"Checked" link to the fact's page, for any fact partial."""

from django import template
from django.urls import reverse

from inspections.services.review import FACT_MODELS

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
