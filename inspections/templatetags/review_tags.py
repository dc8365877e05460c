"""Tags for any fact partial: `{% provenance fact %}`, a fact's provenance line and source text;
`{% fact_badge fact %}`, a small "Corrected"/"Checked" link to the fact's page;
`{% source_url fact as href %}`, where its "Source" link goes."""

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import join
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from inspections.review.services import FACT_MODELS
from sendtracker.access import DOCUMENT_VIEW_PERMISSION

from .text_tags import unwrap

register = template.Library()
_SLUGS = {model: slug for slug, model in FACT_MODELS.items()}
_REVIEW_STATE = {"needs_review", "review_reasons"}


def _badge(fact) -> dict:
    locks = getattr(fact, "locked_fields", None) or {}
    slug = _SLUGS.get(type(fact))
    if not locks or slug is None:
        return {"state": ""}
    corrected = set(locks) - _REVIEW_STATE
    return {
        "state": "corrected" if corrected else "checked",
        "url": reverse("fact_detail", kwargs={"model": slug, "pk": fact.pk}),
    }


@register.inclusion_tag("review/_badge.html")
def fact_badge(fact) -> dict:
    return _badge(fact)


def _source_url(user, fact) -> str:
    if user is not None and user.has_perm(DOCUMENT_VIEW_PERMISSION):
        return reverse("document_detail", args=[fact.source_document_id])
    slug = _SLUGS.get(type(fact))
    return reverse("fact_detail", kwargs={"model": slug, "pk": fact.pk}) if slug else ""


@register.simple_tag(takes_context=True)
def source_url(context, fact) -> str:
    """The document page for a user who may open it; anyone else (a public reader, a logged-in reader) gets the
    fact's own page, which shows the same source passage, rather than a link they would be refused."""
    return _source_url(context.get("user"), fact)


_BADGES = {
    "corrected": '<a class="badge badge-corrected" href="{}" title="An analyst corrected this fact: see who, when and why">Corrected</a>',
    "checked": '<a class="badge badge-checked" href="{}" title="An analyst checked this fact against its source">Checked</a>',
}


@register.simple_tag(takes_context=True)
def provenance(context, fact, compact=False):
    """Provenance of one fact (annotated by selectors._with_source_text: source_snippet, source_name): badges
    (secondary source, needs review, corrected/checked), the "Source" link, and the source text to unfold.

    compact: link text "Source document" (the file name in its tooltip), for items under a fact that already
    names the file. The link goes to the document page only for users allowed to open it, else to the fact
    page (`source_url`).

    Built in Python rather than included as a partial: the timeline shows it for every inspection, weakness,
    revisit and judgement (36 facts on the benchmark's area), and the include, the badge's inclusion tag and
    the tag calls were about a third of the page's rendering (bench/README.md). The markup, whitespace
    included, is byte for byte what the former `inspections/_source.html` partial (with `review/_badge.html`)
    rendered."""
    value = lambda v: render_value_in_context(v, context)  # noqa: E731 -- as {{ v }} would print it
    secondary = (
        '<span class="badge badge-secondary" title="Read from a council report, not the inspection letter">'
        "Secondary source</span>"
        if getattr(fact, "source_kind", None) == "secondary" else ""
    )
    review = (
        f'<span class="badge badge-review" title="{value(join(fact.review_reasons, "; "))}">Needs review</span>'
        if getattr(fact, "needs_review", None) else ""
    )
    badge = _badge(fact)
    badge_html = format_html(_BADGES[badge["state"]], badge["url"]) if badge["state"] else ""
    link = ""
    if getattr(fact, "source_document_id", None):
        href = _source_url(context.get("user"), fact)
        if href:
            if compact:
                link = f'<a class="source-link" href="{value(href)}" title="{value(fact.source_name)}">Source document</a>'
            else:
                link = f'<a class="source-link" href="{value(href)}">Source: {value(fact.source_name or "document")}</a>'
    original = getattr(fact, "source_original_url", "")  # facts.selectors._with_source_text, when the URL is held
    if original and not compact:
        link += f' <a class="source-original" href="{value(original)}" rel="external noopener">Original on the publisher\'s site</a>'
    html = f'\n<span class="provenance">\n  {secondary}\n  {review}\n  {badge_html}\n\n  {link}\n</span>\n'
    snippet = getattr(fact, "source_snippet", None)
    if snippet:
        html += (
            '\n<details class="source-text">\n  <summary>Show source text</summary>\n'
            f"  <blockquote>{unwrap(snippet)}</blockquote>\n</details>\n"
        )
    return mark_safe(html + "\n")
