"""`{% filter_control field %}`: one filter form control, built in Python.

Django renders a <select> through a template per option; a list page's filter form has about fifty
options, which made the form a fifth of a list page's server time. This builds the same markup
(id, name, selected value, aria-describedby of an error) with format_html, so values stay escaped.
"""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def filter_control(bound: forms.BoundField):
    widget = bound.field.widget
    attrs = {"id": bound.id_for_label, "name": bound.html_name}
    if bound.errors:
        attrs["aria-describedby"] = f"{bound.id_for_label}-error"
        attrs["aria-invalid"] = "true"
    value = bound.value()
    if isinstance(widget, forms.CheckboxInput):
        checked = value not in (None, False, "", "false", "False", "0")
        return format_html('<input type="checkbox"{}{}>', _attrs(attrs), " checked" if checked else "")
    if isinstance(widget, forms.Select):
        current = "" if value is None else str(value)
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) == current else "", label) for key, label in bound.field.choices),
        )
        return format_html("<select{}>{}</select>", _attrs(attrs), options)
    input_type = getattr(widget, "input_type", "text")
    return format_html('<input type="{}"{} value="{}">', input_type, _attrs(attrs), "" if value is None else value)


def _attrs(attrs: dict) -> str:
    return format_html_join("", ' {}="{}"', attrs.items())
