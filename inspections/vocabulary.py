"""The words every page, list, export and chart uses for the path's stages, kinds, outcomes and judgements:
one place, so the dashboard's key, the areas list, a timeline, a list's caption and the workbook's column
sheet can never word the same thing two ways (issue 13 item 9).

Imported by facts/ (lists, filters, exports), analysis/ (dashboard), areas/ and the templates' tags; it
imports only the models (whose `choices` hold the outcome wordings), never a capability folder.

Codes (`wsoa_required`, `sufficient_all`, ...) are what the CSV files hold; the labels here are what people
read. A code with no label is shown as itself, never dropped (`label_for`).
"""

from __future__ import annotations

from inspections.models import Framework, Inspection, Revisit, SignificantWeakness, SourceKind

OUTCOMES_2023 = ("positive", "inconsistent", "systemic_failings")

# --- unknowns -----------------------------------------------------------------------------------
# An empty value is one of two things and the pages say which: the documents do not give it (NOT_KNOWN), or
# the pipeline could not read it and nobody has entered it (NOT_RECORDED). Neither is ever replaced by a
# neighbouring value (issue 13 item 1: the WSOA's date was once the last day on site).
NOT_KNOWN = "Not known"
NOT_RECORDED = "Not recorded"
UNCONFIRMED = "Needs review"
UNCONFIRMED_HINT = "Read with low confidence or from a secondary source; an analyst has not yet checked it."


# --- stages -------------------------------------------------------------------------------------
# Defined with the one derivation of an area's path (inspections/paths/derive.py, Django-free), re-exported here
# so pages and exports keep one import for every word they show.
from inspections.paths.derive import (  # noqa: E402,F401
    COVERAGE,
    COVERAGE_DEFINITIONS,
    COVERAGE_LABELS,
    PATHS_2016,
    STAGE_LABELS,
    STAGES,
    Stage,
)


# --- kinds, frameworks, outcomes ----------------------------------------------------------------

FRAMEWORK_LABELS: dict[str, str] = dict(Framework.choices)
SOURCE_KIND_LABELS: dict[str, str] = dict(SourceKind.choices)

# The inspections list names the framework in its own column, so a row's kind is the short form.
KIND_LABELS: dict[str, str] = {
    Inspection.Kind.INITIAL: "Initial inspection",
    Inspection.Kind.FULL: "Area SEND inspection",
    Inspection.Kind.EARLIER_VISIT: "Earlier visit (kind not stated)",
    Revisit.Kind.REVISIT: "Revisit",
    Revisit.Kind.MONITORING: "Monitoring inspection",
}
# A timeline step's heading: the kind with its framework.
KIND_TITLES: dict[str, str] = {**dict(Inspection.Kind.choices), **dict(Revisit.Kind.choices)}
# How a "months after the ..." gap names the step before it.
KIND_SHORT: dict[str, str] = {
    Inspection.Kind.INITIAL: "inspection",
    "wsoa": "WSOA",
    Revisit.Kind.REVISIT: "revisit",
    Inspection.Kind.FULL: "inspection",
    Inspection.Kind.EARLIER_VISIT: "earlier visit",
    Revisit.Kind.MONITORING: "monitoring inspection",
}

OUTCOME_LABELS: dict[str, str] = {**dict(Inspection.Outcome.choices), **dict(Revisit.Overall.choices)}

# (singular, plural): "Area for improvement (3)" was one of issue 13's examples of words that disagree.
WEAKNESS_KINDS: dict[str, tuple[str, str]] = {
    SignificantWeakness.Kind.SIGNIFICANT_WEAKNESS: ("Area of significant weakness", "Areas of significant weakness"),
    SignificantWeakness.Kind.PRIORITY_ACTION: ("Area for priority action", "Areas for priority action"),
    SignificantWeakness.Kind.IMPROVEMENT_AREA: ("Area for improvement", "Areas for improvement"),
}
WEAKNESS_KIND_LABELS: dict[str, str] = {key: words[0] for key, words in WEAKNESS_KINDS.items()}

JUDGEMENT_LABELS: dict[str, str] = {
    "sufficient": "Sufficient progress",
    "insufficient": "Insufficient progress",
    "empty": "Not judged",
}

# What a row of each list is, for captions: "35 rows: 33 inspections, 2 revisits or monitoring inspections".
ROW_TYPE_WORDS: dict[str, tuple[str, str]] = {
    "inspection": ("inspection", "inspections"),
    "revisit": ("revisit or monitoring inspection", "revisits or monitoring inspections"),
}


def label_for(labels: dict[str, str], code: str | None, empty: str = NOT_RECORDED) -> str:
    """The label of `code` in `labels`; `empty` for ''/None; an unknown code as itself (never hidden)."""
    if not code:
        return empty
    return labels.get(code, code)


def plural(count: int, words: tuple[str, str]) -> str:
    """'1 inspection', '3 inspections' (words = (singular, plural))."""
    return f"{count} {words[0] if count == 1 else words[1]}"


def weakness_group_label(kind: str, count: int) -> str:
    """The heading of a timeline's weakness group: 'Areas for improvement (3)', 'Area for priority action (1)'."""
    singular, many = WEAKNESS_KINDS.get(kind, (kind, kind))
    return f"{singular if count == 1 else many} ({count})"


# --- attribution --------------------------------------------------------------------------------
# Shown in every page's footer and shipped with every export (the workbook's "About" sheet; the CSV's
# sidecar /exports/ATTRIBUTION.txt). Issue 13 item 15: the Open Government Licence asks for attribution.

ATTRIBUTION_REPORTS = (
    "Inspection findings are taken from Ofsted and Care Quality Commission (CQC) local area SEND inspection "
    "letters and reports, Crown copyright, published under the Open Government Licence v3.0. "
    "They are extracted automatically; a fact marked 'Needs review' has not been checked by an analyst."
)
# The licence's address: in the exports' attribution (a page links to /exports/ATTRIBUTION.txt instead, so
# that no page carries an external address).
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ATTRIBUTION_REGISTER = (
    "Local area register built from mySociety's register of UK local authorities (MIT licence) and "
    "data-to-insight's Ofsted/DfE lookup (MIT licence)."
)
# Worded as the boundaries file's own attribution (static/geo/england_send_areas.json) says it.
ATTRIBUTION_MAP = (
    "Map boundaries: Office for National Statistics, licensed under the Open Government Licence v3.0. "
    "Contains OS data \u00a9 Crown copyright and database right."
)
# The datasets of England's table (inspections/datasets/data/README.md, whose wording these follow).
ATTRIBUTION_DATASETS = (
    "England's inspections and revisits from Ofsted's official statistics and management information on area SEND "
    "inspections. Contains Ofsted data licensed under the Open Government Licence v3.0. 2023-framework inspections "
    "also from data-to-insight's Ofsted SEND scrape tool (MIT licence, \u00a9 data-to-insight), itself read from "
    "Ofsted's published reports; its facts are marked secondary."
)
ATTRIBUTION: tuple[str, ...] = (
    ATTRIBUTION_REPORTS, ATTRIBUTION_DATASETS, ATTRIBUTION_REGISTER, ATTRIBUTION_MAP,
    f"Open Government Licence v3.0: {OGL_URL}",
)


# --- 2023 monitoring inspections ----------------------------------------------------------------
# A monitoring inspection judges each area for priority action by whether effective action was taken, not by
# "sufficient progress" (the 2016 revisit's words). The stored codes are shared with revisits (Revisit.Overall,
# ProgressJudgement.sufficient_progress); these are their words on a monitoring inspection. Pages prefer the
# report's own words (Revisit.overall_text) when it has them. Used by templates/areas/_step_revisit.html
# through inspections/templatetags/revisit_tags.py.
MONITORING_OVERALL_LABELS: dict[str, str] = {
    "sufficient_all": "Effective action on every area for priority action",
    "sufficient_some": "Effective action on some areas for priority action, not on others",
    "sufficient_none": "Not effective action on any area for priority action",
}
MONITORING_JUDGEMENT_LABELS: dict[str, str] = {
    "sufficient": "Effective action",
    "insufficient": "Not effective action",
    "empty": "Verdict not read",  # the report speaks of it, but no verdict could be read: see the source
    "not_reported": "Not reported",  # the report does not judge it
}


# --- kinds of fact, by the fact pages' URL names (/facts/<slug>/<id>/) ----------------------------
# (singular, plural): the document page counts them ("3 weaknesses or priority actions"), the review pages
# name them ("Weakness or priority action #12").
FACT_WORDS: dict[str, tuple[str, str]] = {
    "inspection": ("inspection", "inspections"),
    "wsoa": ("written statement of action", "written statements of action"),
    "revisit": ("revisit or monitoring inspection", "revisits or monitoring inspections"),
    "weakness": ("weakness or priority action", "weaknesses or priority actions"),
    "judgement": ("progress judgement", "progress judgements"),
}
