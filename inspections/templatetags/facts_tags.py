"""`{% attribution as credits %}`: the sources and licence statements (inspections/vocabulary.py) for the page
footer — `credits.reports` (Ofsted/CQC, OGL), `credits.datasets` (Ofsted's statistics and data-to-insight's
scrape), `credits.register` (the area register's sources), `credits.map`
(ONS and Ordnance Survey, for pages that show the map). One wording for pages and exports (issue 13 item 15)."""

from django import template

from inspections.vocabulary import ATTRIBUTION_DATASETS, ATTRIBUTION_MAP, ATTRIBUTION_REGISTER, ATTRIBUTION_REPORTS

register = template.Library()


@register.simple_tag
def attribution() -> dict[str, str]:
    return {"reports": ATTRIBUTION_REPORTS, "datasets": ATTRIBUTION_DATASETS, "register": ATTRIBUTION_REGISTER,
            "map": ATTRIBUTION_MAP}
