"""The analysis pages' filters: plain Django forms read from GET, so every view of a page is a URL."""

from __future__ import annotations

from django import forms

from areas.models import LocalArea
from inspections.vocabulary import STAGES

REGION_CHOICES = [("", "All regions"), *[(r.value, r.label) for r in LocalArea.Region]]
OUTCOME_CHOICES = [("", "Any outcome or stage"), *[(s.key, s.label) for s in STAGES]]


class DueFilter(forms.Form):
    """months: the horizon (0–120 months from today); region: one of England's nine; outcome: a stage key."""

    months = forms.IntegerField(label="Due within (months)", min_value=0, max_value=120, initial=12, required=False)
    region = forms.ChoiceField(choices=REGION_CHOICES, required=False)
    outcome = forms.ChoiceField(label="Outcome or stage", choices=OUTCOME_CHOICES, required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def values(self) -> dict:
        """The cleaned filters with defaults (months 12); call after is_valid()."""
        data = self.cleaned_data
        return {"months": 12 if data.get("months") is None else data["months"], "region": data.get("region") or "",
                "outcome": data.get("outcome") or "", "sort": data.get("sort") or "due"}
