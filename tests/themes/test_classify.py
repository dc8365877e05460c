"""The rule classifier and its measurement (Django-free parts)."""

from __future__ import annotations

import pytest

from evaluation import themes as measure
from inspections.themes.classify import classify_text
from inspections.themes.taxonomy import ALL_KEYS, ordered, theme_label


@pytest.mark.parametrize("text, expected", [
    ("the poor timeliness and quality of education, health and care plans", ("ehcp_timeliness", "ehcp_quality")),
    ("Statutory assessments are not completed within the required timescale.", ("ehcp_timeliness",)),
    ("the long waiting times for neurodevelopmental assessments", ("health_waiting",)),
    ("Waiting times for speech and language therapy are too long", ("health_waiting",)),
    ("The local offer is not well known", ("local_offer",)),
    ("the absence of effective joint commissioning arrangements", ("joint_commissioning",)),
    ("the lack of a clear strategy for SEND across education, health and care", ("leadership",)),
    ("Leaders did not have an accurate understanding of the area's strengths and weaknesses.", ("data_quality",)),
    ("the weak co-production with parents and carers", ("coproduction",)),
    ("Leaders should urgently reduce the number of children and young people with SEND who are suspended", ("inclusion",)),
    ("weak preparation for adulthood, including too few supported internships", ("preparation_adulthood",)),
    ("Too few practitioners and school staff have received training in the SEND reforms.", ("workforce",)),
    ("the limited availability of short breaks for families of disabled children", ("social_care",)),
    ("Leaders should urgently improve the identification of needs in the early years.", ("identification",)),
    ("the absence of effective joint commissioning arrangements", ("joint_commissioning",)),  # not school absence
])
def test_typical_phrasings_get_their_themes(text, expected):
    assert set(classify_text(text).themes) == set(expected)


def test_a_purpose_clause_is_not_a_theme():
    # "so that needs are identified" says why timeliness matters; it is not a weakness in identifying needs.
    got = classify_text("Leaders should improve the timeliness of EHC needs assessments, so that children's needs "
                        "are identified and met without delay.")
    assert got.themes == ("ehcp_timeliness",)


def test_timely_alone_is_not_ehcp_timeliness():
    assert "ehcp_timeliness" not in classify_text("Leaders should provide timely support before children start school.").themes


def test_nothing_matched_is_other_alone_and_empty_text_too():
    assert classify_text("The weather was poor.").themes == ("other",)
    assert classify_text("").themes == ("other",)
    assert classify_text("   ").evidence == {}


def test_every_theme_keeps_the_words_that_decided_it():
    got = classify_text("the variable quality of EHC plans and the long waits for CAMHS")
    assert got.themes == ("ehcp_quality", "health_waiting")
    assert "CAMHS" in got.evidence["health_waiting"]
    assert "quality" in got.evidence["ehcp_quality"]


def test_the_same_text_always_gets_the_same_themes_in_taxonomy_order():
    text = "the weak co-production with parents and the absence of joint commissioning and poor EHC plan quality"
    assert classify_text(text) == classify_text(text)
    assert list(classify_text(text).themes) == ordered(classify_text(text).themes)


def test_taxonomy_has_the_thirteen_issue_keys_and_other():
    assert len(ALL_KEYS) == 14 and ALL_KEYS[-1] == "other"
    assert theme_label("health_waiting") == "Health waiting times and access"
    assert theme_label("made_up") == "made_up"


# --- measurement ---------------------------------------------------------------------------------

def test_scores_per_theme_and_micro_f1_by_hand():
    gold = {"a": frozenset({"leadership"}), "b": frozenset({"leadership", "workforce"}), "c": frozenset({"other"})}
    predicted = {"a": ["leadership"], "b": ["leadership"], "c": ["workforce"]}
    s = measure.score(gold, predicted)
    by = {t.theme: t for t in s.per_theme}
    assert (by["leadership"].precision, by["leadership"].recall) == (1.0, 1.0)
    assert (by["workforce"].precision, by["workforce"].recall, by["workforce"].f1) == (0.0, 0.0, 0.0)
    assert by["social_care"].f1 is None
    # tp 2, predicted 3, support 4: micro-F1 = 4 / 7
    assert s.micro_f1 == pytest.approx(4 / 7)
    assert s.exact_match == pytest.approx(1 / 3)
    assert "workforce" in s.uncertain and "leadership" in s.uncertain  # support 2 < MIN_SUPPORT


def test_a_missing_prediction_is_an_error_not_a_miss():
    with pytest.raises(ValueError, match="no prediction"):
        measure.score({"a": frozenset({"other"})}, {})


def test_cohen_kappa_matches_a_worked_example():
    # 10 items: both yes 4, both no 4, disagree 2 -> po 0.8, pe 0.5 -> kappa 0.6
    a = [True] * 5 + [False] * 5
    b = [True] * 4 + [False] + [True] + [False] * 4
    assert measure.cohen_kappa(a, b) == pytest.approx(0.6)
    assert measure.cohen_kappa([False] * 3, [False] * 3) is None
    with pytest.raises(ValueError):
        measure.cohen_kappa([True], [])


def test_agreement_on_a_small_sample():
    first = {"1": frozenset({"leadership"}), "2": frozenset({"workforce"}), "3": frozenset({"other"}), "x": frozenset({"other"})}
    second = {"1": frozenset({"leadership"}), "2": frozenset({"workforce", "inclusion"}), "3": frozenset({"other"})}
    result = measure.agreement(first, second)
    assert result.items == 3 and result.disagreements == ("2",)
    assert result.exact_match == pytest.approx(2 / 3)
    assert result.kappa["leadership"] == pytest.approx(1.0)
    assert result.kappa["inclusion"] == pytest.approx(0.0)
    assert result.kappa["social_care"] is None
    assert "1 disagreements" in measure.agreement_table(result)


def test_bad_labels_are_refused_with_the_item_named():
    with pytest.raises(ValueError, match="item 7: unknown theme"):
        measure.labels_by_id([{"id": "7", "themes": ["leadrship"]}])
    with pytest.raises(ValueError, match="labelled twice"):
        measure.labels_by_id([{"id": "7", "themes": ["other"]}, {"id": "7", "themes": ["other"]}])
    with pytest.raises(ValueError, match="no theme"):
        measure.labels_by_id([{"id": "7", "themes": []}])
