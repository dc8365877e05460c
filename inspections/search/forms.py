"""The search page's filters: area, region, framework and year. A value the form cannot read is an error shown on
the page, and nothing is searched in its place (as the lists do with an invalid filter)."""

from __future__ import annotations

from django import forms

from areas.models import LocalArea
from inspections.models import Framework
from inspections.search.selectors import SearchScope

FILTERS = ("area", "region", "framework", "year")


class SearchFilterForm(forms.Form):
    area = forms.CharField(required=False, max_length=100, label="Area (name or GSS code)")
    region = forms.ChoiceField(required=False, label="Region", choices=[("", "Any"), *LocalArea.Region.choices])
    framework = forms.ChoiceField(required=False, label="Framework", choices=[("", "Any"), *Framework.choices])
    year = forms.IntegerField(required=False, label="Year", min_value=2000, max_value=2100,
                              help_text="Of the inspection, revisit or letter.")

    def scope(self) -> SearchScope:
        """The validated filters (call after is_valid())."""
        data = self.cleaned_data
        return SearchScope(area=(data.get("area") or "").strip(), region=data.get("region") or "",
                           framework=data.get("framework") or "", year=data.get("year"))

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in FILTERS)
