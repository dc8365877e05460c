"""The 13 weakness themes (docs/THEMES.md) and `other`: keys, the words people read, and their order.

Django-free: the classifier, the evaluation, the model's choices, the filters and the charts all read this one
list, so a key cannot be spelt two ways. The keys are fixed (they are what CSV files hold and what other tools
compare against); a label may be reworded.
"""

from __future__ import annotations

THEMES: tuple[tuple[str, str], ...] = (
    ("leadership", "Leadership and governance"),
    ("joint_commissioning", "Joint commissioning and sufficiency"),
    ("ehcp_timeliness", "Timeliness of EHC assessments and plans"),
    ("ehcp_quality", "Quality of EHC plans"),
    ("identification", "Identifying and assessing needs"),
    ("health_waiting", "Health waiting times and access"),
    ("coproduction", "Co-production and communication with families"),
    ("local_offer", "Local offer and information"),
    ("data_quality", "Self-evaluation, data and quality assurance"),
    ("inclusion", "Inclusion, exclusions, attendance and placements"),
    ("preparation_adulthood", "Preparation for adulthood and transitions"),
    ("workforce", "Workforce capacity and training"),
    ("social_care", "Social care support"),
)
OTHER = "other"
THEME_KEYS: tuple[str, ...] = tuple(key for key, _ in THEMES)
ALL_KEYS: tuple[str, ...] = (*THEME_KEYS, OTHER)
THEME_LABELS: dict[str, str] = {**dict(THEMES), OTHER: "Other (fits no theme)"}
CHOICES: list[tuple[str, str]] = [(key, THEME_LABELS[key]) for key in ALL_KEYS]


def theme_label(key: str) -> str:
    """The words for a theme key; an unknown key is shown as itself, never dropped."""
    return THEME_LABELS.get(key, key)


def ordered(keys) -> list[str]:
    """`keys` in the taxonomy's order (unknown keys last, alphabetically), each once."""
    position = {key: i for i, key in enumerate(ALL_KEYS)}
    return sorted(set(keys), key=lambda k: (position.get(k, len(position)), k))
