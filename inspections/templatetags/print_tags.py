"""`{% print_stamp %}`: a line shown only on paper (static/css/app.css `@media print`) saying when the page was
printed, from where, and the data's date — when the facts last changed (the last document processed). One query.
Used by the area timeline; any page meant for printing can add it."""

from __future__ import annotations

from django import template
from django.utils import timezone

from inspections.analysis.selectors import data_as_of

register = template.Library()


@register.inclusion_tag("_print_stamp.html", takes_context=True)
def print_stamp(context) -> dict:
    request = context.get("request")
    return {
        "printed": timezone.localtime(),
        "url": request.build_absolute_uri() if request is not None else "",
        "as_of": data_as_of(),
    }
