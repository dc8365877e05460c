from __future__ import annotations

from django import forms

from areas.models import LocalArea
from inspections.models import DigestSubscription


class DigestForm(forms.Form):
    active = forms.BooleanField(required=False, initial=True, label="Send me a digest")
    frequency = forms.ChoiceField(choices=DigestSubscription.Frequency.choices)
    everything = forms.BooleanField(required=False, label="Everything in England")
    regions = forms.MultipleChoiceField(choices=[(r, r) for r in LocalArea.Region.values], required=False,
                                        widget=forms.CheckboxSelectMultiple)
    areas = forms.ModelMultipleChoiceField(queryset=LocalArea.objects.filter(end_date=None).order_by("name"),
                                           required=False, to_field_name="gss_code")
    overdue = forms.BooleanField(required=False, initial=True, label="Also visits that become overdue")

    def clean(self):
        data = super().clean()
        if data.get("active") and not (data.get("everything") or data.get("regions") or data.get("areas")):
            raise forms.ValidationError("Choose what to follow: everything, one or more regions, or areas.")
        return data
