"""Themes are written when facts are projected, re-run when the method changes, and an analyst's correction
(through the review workflow) survives re-classification and re-processing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from inspections.models import FieldCorrection, Inspection, SignificantWeakness, WeaknessTheme
from inspections.review.services import fact_correct, fact_reject, weakness_themes_correct
from inspections.themes import classify, services
from inspections.themes.services import themes_classify
from tests.factories import make_inspection, make_weakness
from tests.ingest.conftest import ingest

pytestmark = pytest.mark.django_db

SEED = "000_30b352e54e3c96f7.txt"  # Hartlepool (twice) and Middlesbrough, 2016 initial inspections


def themes_of(weakness) -> dict[str, tuple[str, str]]:
    return {r.theme: (r.method, r.method_version) for r in WeaknessTheme.objects.filter(weakness=weakness)}


@pytest.fixture
def seeded(db):
    call_command("load_areas", verbosity=0)
    report = ingest(SEED)
    assert report is not None and report.status in ("done", "needs_review"), report
    return Inspection.objects.get(area__gss_code="E06000002")  # Middlesbrough


def test_projection_classifies_every_weakness_it_writes(seeded):
    weaknesses = list(SignificantWeakness.objects.all())
    assert len(weaknesses) == 8  # Hartlepool 4 (its duplicate letter adds none) + Middlesbrough 4
    assert all(WeaknessTheme.objects.filter(weakness=w).exists() for w in weaknesses)
    first = SignificantWeakness.objects.get(inspection=seeded, number=1)  # "fundamental weaknesses in the strategic leadership"
    assert themes_of(first) == {"leadership": ("rules", classify.METHOD_VERSION)}
    row = WeaknessTheme.objects.get(weakness=first)
    assert row.evidence and row.evidence.lower() in first.text.lower()


def test_classifying_twice_changes_nothing(seeded):
    before = sorted(WeaknessTheme.objects.values_list("weakness_id", "theme", "method_version"))
    report = themes_classify()
    assert (report.created, report.updated, report.deleted) == (0, 0, 0)
    assert report.weaknesses == 8
    assert sorted(WeaknessTheme.objects.values_list("weakness_id", "theme", "method_version")) == before


def test_a_new_method_version_reclassifies_but_keeps_the_analysts_correction(seeded, analyst, monkeypatch):
    corrected, other = SignificantWeakness.objects.filter(inspection=seeded).order_by("number")[:2]
    weakness_themes_correct(weakness=corrected, themes=["leadership", "workforce"], user=analyst, note="names staff")
    assert themes_of(corrected) == {"leadership": ("analyst", "analyst"), "workforce": ("analyst", "analyst")}

    monkeypatch.setattr(classify, "METHOD_VERSION", "rules-99")
    monkeypatch.setattr(services, "METHOD_VERSION", "rules-99")
    out = StringIO()
    call_command("classify_themes", "--stale-only", stdout=out)
    assert out.getvalue().startswith("7 weaknesses classified (rules-99)")  # the corrected one is not stale
    assert "1 analysts' corrections kept" in (call_command("classify_themes", stdout=(out := StringIO())) or out.getvalue())
    assert themes_of(corrected) == {"leadership": ("analyst", "analyst"), "workforce": ("analyst", "analyst")}
    assert set(v for _, v in themes_of(other).values()) == {"rules-99"}
    # Now nothing is stale: a second run reads no weakness.
    assert themes_classify(stale_only=True).weaknesses == 0


def test_a_correction_survives_reprocessing_the_document(seeded, analyst):
    weakness = SignificantWeakness.objects.get(inspection=seeded, number=2)
    rules_said = set(themes_of(weakness))
    weakness_themes_correct(weakness=weakness, themes=["coproduction"], user=analyst)
    assert ingest(SEED, reprocess=True) is not None
    assert themes_of(SignificantWeakness.objects.get(pk=weakness.pk)) == {"coproduction": ("analyst", "analyst")}
    audit = FieldCorrection.objects.get(field="themes")
    assert set(audit.old_value) == rules_said
    assert audit.new_value == ["coproduction"] and audit.username == analyst.username
    lock = SignificantWeakness.objects.get(pk=weakness.pk).locked_fields["themes"]
    assert lock["value"] == ["coproduction"] and set(lock["parsed"]) == rules_said


def test_bad_corrections_are_refused_and_change_nothing(seeded, analyst):
    weakness = SignificantWeakness.objects.get(inspection=seeded, number=1)
    before = themes_of(weakness)
    for bad, reason in ((["leadrship"], "Unknown theme"), ([], "at least one"), (["other", "leadership"], "cannot be chosen")):
        with pytest.raises(ValidationError, match=reason):
            weakness_themes_correct(weakness=weakness, themes=bad, user=analyst)
    assert themes_of(weakness) == before and not FieldCorrection.objects.exists()
    weakness_themes_correct(weakness=weakness, themes=["leadership"], user=analyst)  # confirms and pins the rule's theme
    with pytest.raises(ValidationError, match="already"):
        weakness_themes_correct(weakness=weakness, themes=["leadership"], user=analyst)
    fact_reject(fact=weakness, user=analyst, note="misread")
    with pytest.raises(ValidationError, match="rejected"):
        weakness_themes_correct(weakness=SignificantWeakness.all_objects.get(pk=weakness.pk), themes=["workforce"], user=analyst)


def test_correcting_a_weaknesss_text_reclassifies_it(db, analyst):
    weakness = make_weakness(make_inspection(), text="the poor quality of EHC plans")
    themes_classify()
    assert set(themes_of(weakness)) == {"ehcp_quality"}
    fact_correct(fact=weakness, field="text", value="the long waiting times for CAMHS", user=analyst)
    assert set(themes_of(weakness)) == {"health_waiting"}


def test_the_command_classifies_one_area_or_refuses_an_unknown_code(db):
    weakness = make_weakness(make_inspection(), text="the absence of joint commissioning")
    make_weakness(make_inspection(), text="the quality of EHC plans")
    out = StringIO()
    call_command("classify_themes", "--area", weakness.inspection.area.gss_code, stdout=out)
    assert "1 weaknesses classified" in out.getvalue() and "joint_commissioning" in out.getvalue()
    assert WeaknessTheme.objects.count() == 1
    with pytest.raises(Exception, match="No area with GSS code E99"):
        call_command("classify_themes", "--area", "E99", stdout=StringIO())
