"""Forms of the review page. Each correctable field gets its own small form, so its input is the model
field's own form field (a date input for a date, a select for choices) and errors stay beside it.

Two fields hold lists, and are edited as lists, never as JSON: the inspection team (one row of name, role
and organisation per person) and the findings (one box per section, one item per line)."""

from __future__ import annotations

import copy
from typing import Any

from django import forms

from inspections.themes.taxonomy import CHOICES as THEME_CHOICES

from inspections.models import SourcedFact
from inspections.vocabulary import MONITORING_OVERALL_LABELS

TEAM_ROWS_EXTRA = 2  # empty rows offered to add people
TEAM_KEYS = ("name", "role", "organisation")


def findings_leaves(findings: dict, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted path, value) for every editable leaf of a findings dict, in its order: lists of items
    ({"text": ..., "span": ...} or plain strings) and plain text/number values. Spans are provenance, not leaves."""
    out: list[tuple[str, Any]] = []
    for key, value in (findings or {}).items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out += findings_leaves(value, prefix=f"{path}.")
        elif key.endswith("_span"):
            continue
        else:
            out.append((path, value))
    return out


# Findings keys whose words are not their name with spaces: a page printed "Monitoring inspection within months
# 18" (the key, then the value) where a reader expects "Monitoring inspection within: 18 months".
FINDINGS_WORDS = {
    "wsoa_issued_on": "written statement of action issued on",
    "previous_inspection_text": "previous inspection, as the text states it",
    "not_previously_inspected": "not inspected before",
    "month_stated": "month stated",
    "inspection_month": "month of the inspection",
    "monitoring_month": "month of the monitoring inspection",
    "area_names": "area names in the text",
    "other_area_names": "other areas the text names",
    "lead_inspectors": "lead inspectors",
    "monitoring_inspection_within": "monitoring inspection within (as stated)",
    "next_full_inspection_within": "next full inspection within (as stated)",
}
# A leaf holding a number of these units: the unit goes with the number ("18 months"), not into the label.
UNIT_SUFFIXES = {"_months": "months", "_years": "years", "_days": "days"}


def leaf_unit(path: str) -> tuple[str, str]:
    """(path without its unit suffix, unit) — ("x.monitoring_inspection_within", "months") — or (path, "")."""
    for suffix, unit in UNIT_SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], unit
    return path, ""


def leaf_label(path: str) -> str:
    """"identification.areas_for_development" -> "Identification: areas for development";
    "monitoring_inspection_within_months" -> "Monitoring inspection within" (its unit goes with the value)."""
    path, _ = leaf_unit(path)
    parts = [FINDINGS_WORDS.get(part, part.replace("_", " ")) for part in path.split(".")]
    return ": ".join(parts).capitalize()


def leaf_text(path: str, value: Any) -> Any:
    """A scalar leaf's value in words: 18 under "..._months" -> "18 months"; other values unchanged."""
    _, unit = leaf_unit(path)
    if unit and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g} {unit if value != 1 else unit[:-1]}"
    return value


def _item_text(item: Any) -> str:
    return item.get("text", "") if isinstance(item, dict) else str(item)


def field_label(fact: SourcedFact, field_name: str) -> str:
    """A field's name as the page says it: a monitoring inspection's verdicts are about effective action."""
    revisit = getattr(fact, "revisit", None) if field_name == "sufficient_progress" else fact
    if getattr(revisit, "kind", "") == "monitoring_inspection" and field_name in ("sufficient_progress", "overall"):
        return "effective action taken" if field_name == "sufficient_progress" else "overall result"
    return str(fact._meta.get_field(field_name).verbose_name)


class CorrectionForm(forms.Form):
    field = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=2000, label="Note (optional)")
    settles = forms.BooleanField(required=False, label="This settles the review")

    def __init__(self, *args, fact: SourcedFact, field_name: str, **kwargs):
        kwargs.setdefault("prefix", f"c-{field_name}")
        kwargs.setdefault("initial", {})
        model_field = fact._meta.get_field(field_name)
        current = getattr(fact, field_name)
        kwargs["initial"] = {
            "field": field_name,
            "value": current,
            # One doubt only: correcting the field is very likely what settles it.
            "settles": len(fact.review_reasons or []) <= 1,
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        self.model_field = model_field
        self.current = current
        self.list_kind = None  # "team" or "findings": edited through several plain fields
        if field_name == "inspection_team":
            self.list_kind = "team"
            self._team_fields(current or [])
        elif field_name == "findings":
            self.list_kind = "findings"
            self._findings_fields(current or {})
        else:
            value_field = model_field.formfield()
            value_field.label = f"New {field_label(fact, field_name)}"
            if field_name == "overall" and getattr(fact, "kind", "") == "monitoring_inspection":
                # The same codes, in the 2023 framework's words (inspections/vocabulary.py).
                value_field.choices = [(code, MONITORING_OVERALL_LABELS.get(code, words)) for code, words in value_field.choices]
            if isinstance(value_field, forms.DateField):
                # The browser's date picker; ISO is also what the field parses first.
                value_field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            self.fields["value"] = value_field
        self.order_fields(["field", "value", "note", "settles"])

    # --- the inspection team: one row per person -------------------------------------------------

    def _team_fields(self, team: list) -> None:
        self.team_rows = []
        for i, person in enumerate([*team, *([{}] * TEAM_ROWS_EXTRA)]):
            row = []
            for key in TEAM_KEYS:
                name = f"team_{i}_{key}"
                self.fields[name] = forms.CharField(required=False, max_length=200, label=f"{key.capitalize()} {i + 1}",
                                                    initial=(person or {}).get(key, "") if isinstance(person, dict) else (str(person) if key == "name" else ""))
                row.append(name)
            self.team_rows.append(row)

    def team_row_fields(self) -> list[list]:
        return [[self[name] for name in row] for row in self.team_rows]

    # --- the findings: one box per section, one item per line ------------------------------------

    def _findings_fields(self, findings: dict) -> None:
        self.findings_paths = []
        for i, (path, value) in enumerate(findings_leaves(findings)):
            name = f"finding_{i}"
            if isinstance(value, list):
                field = forms.CharField(required=False, label=f"{leaf_label(path)} (one per line)",
                                        widget=forms.Textarea(attrs={"rows": min(12, max(2, len(value) + 1))}),
                                        initial="\n".join(_item_text(v) for v in value))
            else:
                unit = leaf_unit(path)[1]
                field = forms.CharField(required=False, label=leaf_label(path) + (f" ({unit})" if unit else ""),
                                        initial="" if value is None else str(value))
            self.fields[name] = field
            self.findings_paths.append((name, path, value))

    def clean(self) -> dict:
        data = super().clean()
        if self.list_kind == "team":
            team = []
            for row in self.team_rows:
                person = {key: (data.get(name) or "").strip() for key, name in zip(TEAM_KEYS, row)}
                if any(person.values()):
                    if not person["name"]:
                        self.add_error(row[0], "Give the person's name, or clear the row.")
                    team.append(person)
            data["value"] = team
        elif self.list_kind == "findings":
            data["value"] = self._rebuilt_findings(data)
        return data

    def _rebuilt_findings(self, data: dict) -> dict:
        """The findings with each edited leaf replaced; an item whose text is unchanged keeps its span."""
        out = copy.deepcopy(self.current or {})
        for name, path, old in self.findings_paths:
            raw = data.get(name) or ""
            if isinstance(old, list):
                by_text = {_item_text(item): item for item in old}
                new: Any = [by_text.get(line.strip(), {"text": line.strip()}) for line in raw.splitlines() if line.strip()]
            elif isinstance(old, (int, float)) and not isinstance(old, bool) and raw.strip():
                try:
                    new = type(old)(raw.strip())
                except ValueError:
                    self.add_error(name, "Enter a number.")
                    new = old
            elif old is None and not raw.strip():
                new = None  # left empty: still not recorded
            else:
                new = raw.strip()
            target = out
            *parents, leaf = path.split(".")
            for part in parents:
                target = target[part]
            target[leaf] = new
        return out


class ConfirmForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000, label="Note (optional)")


class RejectForm(forms.Form):
    note = forms.CharField(max_length=2000, label="Why is it wrong?", widget=forms.Textarea(attrs={"rows": 2}))


class ThemesForm(forms.Form):
    """An analyst's themes for a weakness (docs/THEMES.md): inspections/review/services.py: weakness_themes_correct."""

    themes = forms.MultipleChoiceField(choices=THEME_CHOICES, widget=forms.CheckboxSelectMultiple, label="Themes",
                                       error_messages={"required": "Choose at least one theme ('Other' when none fits)."})
    note = forms.CharField(required=False, label="Note (why)", widget=forms.Textarea(attrs={"rows": 2}))
