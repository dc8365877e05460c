"""Forms of the review page. Each correctable field gets its own small form, so its input is the model
field's own form field (a date input for a date, a select for choices) and errors stay beside it."""

from __future__ import annotations

from django import forms

from inspections.models import SourcedFact


class CorrectionForm(forms.Form):
    field = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=2000, label="Note (optional)")
    settles = forms.BooleanField(required=False, label="This settles the review")

    def __init__(self, *args, fact: SourcedFact, field_name: str, **kwargs):
        kwargs.setdefault("prefix", f"c-{field_name}")
        kwargs.setdefault("initial", {})
        model_field = fact._meta.get_field(field_name)
        kwargs["initial"] = {
            "field": field_name,
            "value": getattr(fact, field_name),
            # One doubt only: correcting the field is very likely what settles it.
            "settles": len(fact.review_reasons or []) <= 1,
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        value_field = model_field.formfield()
        value_field.label = f"New {model_field.verbose_name}"
        if isinstance(value_field, forms.DateField):
            # The browser's date picker; ISO is also what the field parses first.
            value_field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["value"] = value_field
        self.model_field = model_field
        self.order_fields(["field", "value", "note", "settles"])


class ConfirmForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000, label="Note (optional)")


class RejectForm(forms.Form):
    note = forms.CharField(max_length=2000, label="Why is it wrong?", widget=forms.Textarea(attrs={"rows": 2}))
