"""Analyst decisions that re-processing must not undo.

Every fact has `locked_fields`: {field: {"value": v, "by": username, "at": iso8601}}. A locked field keeps
the analyst's value whatever a later parse says; the key "__rejected__" means the whole fact was rejected.
The writer (inspections/pipeline/write.py) calls `apply_locks` on the values it is about to write and
`is_rejected` before it would un-reject or re-create a fact. The contract is written down in docs/review-contract.md.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

REJECTED = "__rejected__"
# A FieldCorrection on a Document with this field: an analyst chose the area of one of its letters (a letter whose
# printed name the register could not match). new_value: {"letter": fingerprint, "position": n, "gss_code": ...}.
AREA_CHOICE = "letter_area"
# In a correction's lock entry: the value the letter stated before the analyst's first correction.
PARSED = "parsed"


def as_json(value: Any) -> Any:
    """A model value as plain JSON (dates -> ISO strings), for locked_fields and the audit table."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def lock_entry(value: Any, *, username: str) -> dict:
    return {"value": as_json(value), "by": username, "at": timezone.now().isoformat()}


def locked(fact) -> set[str]:
    """Names of the fields an analyst decided on (REJECTED included when the fact was rejected)."""
    if fact is None:
        return set()
    return set(fact.locked_fields or {})


def is_rejected(fact) -> bool:
    return fact is not None and (bool(getattr(fact, "rejected", False)) or REJECTED in (fact.locked_fields or {}))


def apply_locks(fact, values: dict) -> dict:
    """The values the writer may still write onto `fact`: those of locked fields are dropped.

    `fact` may be None (a new row: nothing is locked). `rejected` and `locked_fields` themselves are never
    the parser's to write, so they are always dropped.
    """
    keep_out = locked(fact) | {"locked_fields", "rejected"}
    return {name: value for name, value in values.items() if name not in keep_out}


def as_parsed(fact, field: str) -> Any:
    """The value of `field` as the letter stated it: the current value, unless an analyst corrected it (then
    the value recorded with the first correction), typed like the field (a date, not its ISO string).

    The writer matches a newly read letter against this, so a copy of a letter whose key field an analyst
    corrected (an inspection's start date, a weakness's number) finds the corrected fact instead of making a
    second one."""
    entry = (fact.locked_fields or {}).get(field)
    if not entry or PARSED not in entry:
        return getattr(fact, field)
    return fact._meta.get_field(field).to_python(entry[PARSED])


def area_choices(document_id: int) -> dict[str, str]:
    """{letter fingerprint: GSS code} an analyst chose for letters of this document, the latest decision per letter.
    The writer reads a letter with a choice as that area's, whatever the register says (a decision like any other,
    surviving re-processing). Keyed by the letter's fingerprint, not its position, so a copy of the document's text
    split differently by a later parser still finds it; a letter whose text changes needs choosing again."""
    from django.contrib.contenttypes.models import ContentType

    from inspections.models import Document, FieldCorrection

    chosen: dict[str, str] = {}
    rows = FieldCorrection.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), object_id=document_id, field=AREA_CHOICE,
    ).order_by("created_at", "id").values_list("new_value", flat=True)
    for value in rows:
        if isinstance(value, dict) and value.get("letter") and value.get("gss_code"):
            chosen[value["letter"]] = value["gss_code"]
    return chosen
