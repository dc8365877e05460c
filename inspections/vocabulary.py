"""The words every page, list, export and chart uses for the path's stages and outcomes: one place.

Imported by facts/ (lists, filters, exports) and analysis/ (dashboard), never importing them back.
"""

from __future__ import annotations

from dataclasses import dataclass

OUTCOMES_2023 = ("positive", "inconsistent", "systemic_failings")


# --- stages -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stage:
    key: str
    label: str


# Same keys as the dashboard's statuses (inspections/analysis/selectors.py), so a click on the map
# lands on /areas/?stage=<key> and lists exactly the areas it counted.
STAGES: tuple[Stage, ...] = (
    Stage("positive", "2023: typically positive"),
    Stage("inconsistent", "2023: inconsistent"),
    Stage("systemic_failings", "2023: widespread or systemic failings"),
    Stage("no_wsoa", "2016: no WSOA required"),
    Stage("wsoa_open", "2016: WSOA required, no revisit yet"),
    Stage("revisit_sufficient", "Revisit: sufficient progress in all"),
    Stage("revisit_insufficient", "Revisit: not sufficient in all"),
    Stage("not_inspected", "No inspection on record"),
)
STAGE_LABELS = {s.key: s.label for s in STAGES}
