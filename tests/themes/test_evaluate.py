"""The labelled set, the evaluation command, and the committed measurement the pages read."""

from __future__ import annotations

import json
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from evaluation import themes as measure
from inspections.management.commands.evaluate_themes import FIXTURES, as_record, measurement
from inspections.themes import quality
from inspections.themes.classify import METHOD_VERSION


def test_the_labelled_set_is_big_enough_split_and_fully_labelled():
    texts = measure.read_jsonl(FIXTURES / "texts.jsonl")
    assert len(texts) >= 240
    assert len({t["id"] for t in texts}) == len(texts)
    kinds = Counter(t["kind"] for t in texts)
    assert set(kinds) == {"significant_weakness", "priority_action", "improvement_area"}
    test_share = sum(t["split"] == "test" for t in texts) / len(texts)
    assert 0.28 < test_share < 0.40
    for name in ("labels_pass_a.jsonl", "labels_pass_b.jsonl", "labels.jsonl"):
        labels = measure.labels_by_id(measure.read_jsonl(FIXTURES / name))
        assert set(labels) == {t["id"] for t in texts}, name


def test_every_disagreement_between_the_passes_is_settled_with_a_note():
    first = measure.labels_by_id(measure.read_jsonl(FIXTURES / "labels_pass_a.jsonl"))
    second = measure.labels_by_id(measure.read_jsonl(FIXTURES / "labels_pass_b.jsonl"))
    settled = {row["id"]: row for row in measure.read_jsonl(FIXTURES / "labels.jsonl")}
    differ = measure.agreement(first, second).disagreements
    assert differ  # two independent passes never agree on everything
    for item in differ:
        row = settled[item]
        assert len(row["settled"]) > 20, item
        assert frozenset(row["themes"]) in (first[item], second[item]) or set(row["themes"]) <= first[item] | second[item]
        assert (set(row["pass_a"]), set(row["pass_b"])) == (first[item], second[item])
    agreed = [i for i in settled if i not in differ]
    assert all("settled" not in settled[i] and frozenset(settled[i]["themes"]) == first[i] for i in agreed)


def test_on_the_test_split_the_rules_reach_the_target():
    scores, _ = measurement(FIXTURES)
    assert scores.items >= 80
    assert scores.micro_f1 >= 0.85


def test_the_committed_measurement_is_the_current_one():
    # A changed rule or label must be re-measured (manage.py evaluate_themes --write), never assumed.
    scores, gold_file = measurement(FIXTURES)
    assert json.loads(quality.MEASURED.read_text()) == as_record(scores, gold_file, "test")
    assert quality.measured()["method_version"] == METHOD_VERSION


def test_uncertain_themes_are_those_found_unreliably():
    record = quality.measured()
    expected = {k for k, v in record["themes"].items() if not (v["support"] >= 3 and (v["recall"] or 0) >= 0.6)}
    assert quality.uncertain_themes() == expected
    assert "other" in quality.uncertain_themes()  # one test item: too few to tell


def test_without_a_measurement_every_theme_is_uncertain(monkeypatch, tmp_path):
    monkeypatch.setattr(quality, "MEASURED", tmp_path / "missing.json")
    quality.measured.cache_clear()
    try:
        assert "leadership" in quality.uncertain_themes()
    finally:
        quality.measured.cache_clear()


def test_the_command_prints_the_table_and_fails_below_the_floor(tmp_path):
    out = StringIO()
    call_command("evaluate_themes", "--agreement", stdout=out)
    text = out.getvalue()
    assert "micro-F1" in text and "health_waiting" in text and "gold labels labels.jsonl" in text
    assert "276 items labelled twice" in text and "kappa" in text
    with pytest.raises(CommandError, match="below"):
        call_command("evaluate_themes", "--min-micro-f1", "0.999", stdout=StringIO())
    with pytest.raises(CommandError, match="no texts.jsonl"):
        call_command("evaluate_themes", "--fixtures", str(tmp_path), stdout=StringIO())
    (tmp_path / "texts.jsonl").write_text('{"id": "1", "text": "x", "split": "test"}\n')
    (tmp_path / "labels_pass_a.jsonl").write_text('{"id": "1", "themes": ["nonsense"]}\n')
    with pytest.raises(CommandError, match="unknown theme"):
        call_command("evaluate_themes", "--fixtures", str(tmp_path), stdout=StringIO())
