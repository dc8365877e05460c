"""Which weakness themes (docs/THEMES.md) a significant weakness, priority action or area for improvement is about.

Django-free: `classify_text(text) -> Classification` (the theme keys, in the taxonomy's order, with the words that
matched for each); `other` alone when no rule fits. Raises nothing: an empty text is `other`.

Why rules, not a trained model. The texts are short and formulaic (inspectors reuse the same phrases: "the
timeliness and quality of EHC plans", "waiting times for neurodevelopmental assessments"), and we have ~280
labelled texts, too few for a model to learn thirteen labels reliably. A keyword rule is also something an
analyst can read: each stored theme keeps the phrase that triggered it (`evidence`), so a wrong theme can be seen
to be wrong and corrected through the review workflow. Nothing is downloaded or trained at run time, and the
same text always gets the same themes. Measured on the held-out test split by `manage.py evaluate_themes`.

Three kinds of rule, per theme:
- a phrase found anywhere in the text (`_ANYWHERE`);
- two phrases close together in one clause (`_TOGETHER`: a sentence, a bullet, or a part between semicolons), for
  themes a single word cannot decide ("timely" means `ehcp_timeliness` only beside an EHC plan or assessment);
- identification's phrases are looked for only outside purpose clauses ("... so that needs are identified and
  met" names the goal of another action, not a weakness in identifying needs).

Change a rule -> bump METHOD_VERSION: stored themes with another version are re-classified
(`manage.py classify_themes`), analysts' corrections kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .taxonomy import OTHER, ordered

METHOD = "rules"
METHOD_VERSION = "rules-1"

_F = re.IGNORECASE


def _rx(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _F)


_EHC = r"\b(?:ehcps?|ehc|education,? health,? and care (?:needs )?(?:plans?|assessments?)|annual reviews?|statutory assessments?|statements? of special)"

_ANYWHERE: dict[str, re.Pattern] = {
    "leadership": _rx(
        r"\bleadership\b", r"\bgovernance\b", r"\baccountab\w*", r"\bto account\b",
        r"\b(?:send|shared|coherent|clear|joint|overall) strategy\b", r"\bstrategy (?:for|that is understood)\b(?! (?:joint|commission))",
        r"\bsend (?:and ap )?strategy\b", r"\bstrategic (?:planning|plans?|oversight|leadership|governance|vision)\b",
        r"\bshared vision\b", r"\bimplement\w* (?:of )?the (?:send |disability and special educational needs )?reforms\b",
        r"\bimplementation of the (?:\w+ ){0,6}reforms\b", r"\bpace of (?:improvement|implementation)\b",
        r"\bworked together effectively\b", r"\bshared strategic\b",
        r"\bresponsibility for ensuring the effective implementation\b",
        r"\bstrategic action plans?\b", r"\baction plans that underpin\b",
    ),
    # A wait *for* an EHC assessment or plan (the wait comes first: "EHC plans and the long waits for CAMHS" is not).
    "ehcp_timeliness": _rx(r"\bwait\w* (?:\w+ ){0,5}?(?:ehc|education,? health,? and care)\b"),
    "joint_commissioning": _rx(
        r"\bcommissioning\b", r"\bjointly commission\w*", r"\bcommission (?:appropriate )?services\b",
        r"\bsufficien(?:cy|t) (?:of )?(?:and suitable |high-quality |local )?(?:specialist|provision|places|ap\b)",
        r"\bsufficient provision\b", r"\bspecialist (?:school )?places\b", r"\bspecialist provision\b",
        r"\bjoint planning\b", r"\bjoint strategic needs assessment\b", r"\bpooled budgets?\b",
        r"\bjoint approach\b", r"\bplan ahead\b", r"\bbreadth and offer\b",
    ),
    "identification": _rx(
        r"\bearly years\b", r"\b(?:two|2)[- ](?:and[- ]a[- ]half[- ])?year[- ]old\b", r"\b2-and-a-half-year\b",
        r"\bhealth check\b", r"\bhealthy child programme\b", r"\bmandated (?:checks?|contacts?|reviews?)\b",
        r"\bante[- ]?natal\b", r"\bsen(?:d)? support\b(?! to check)", r"\bgraduated response\b",
        r"(?<!developmental )\bassessment pathways?\b", r"\blearning disability pathway\b",
        r"\bassessment for a learning disability\b", r"\bidentifying and assessing\b", r"\bidentify, assess\b",
        r"\bidentify and support\b",
    ),
    "health_waiting": _rx(
        r"\bspeech and language(?! needs)\b", r"\boccupational therap\w*", r"\bphysiotherap\w*", r"\bcamhs\b",
        r"\bmental health (?:services|pathways?|assessments?|interventions?)\b", r"\bchild and adolescent mental health\b",
        r"\bneuro[- ]?(?:developmental|diverse|divergent)\b(?! needs)", r"\bautism\b", r"\basd\b", r"\badhd\b",
        r"\battention deficit\b", r"\bwheelchairs?\b", r"\baudiology\b", r"\bcommunity paediatric\w*",
        r"\bequipment services\b", r"\bvideo-fluoroscopy\b", r"\brisk of aspiration\b", r"\bspecialist health needs\b",
        r"\bwaiting lists?\b", r"\bwaiting well\b", r"\btherapies\b",
    ),
    "coproduction": _rx(
        r"\bco-?produc\w*", r"\bcoproduc\w*", r"\bparent carer forum\b", r"\bvoices?\b",
        r"\bviews (?:of|from) (?:children|young|parents|families|hard)", r"\bviews? of children\b",
        r"\btrust\b", r"\bconfidence in\b", r"\bcomplain\w*", r"\btribunal\b", r"\bmediation\b", r"\bdissatisf\w*",
        r"\bformal routes\b", r"\bparents?.? and carers?.? concerns\b", r"\brelationships? with parents\b",
        r"\bcommunicat\w*\s+(?:\w+\s+){0,3}?(?:with|to) (?:parents|families|children)",
        r"\bcommunications? (?:from|strategies)\b", r"\bimprove (?:their |how they )?communicat\w*",
        r"\b(?:involvement|involved|engagement|engaging|participat\w*) (?:\w+ ){0,3}?(?:of |with |in )?(?:parents|families|children|carers)",
        r"\b(?:children|young people|parents|families|carers)\b(?:\s+\w+){0,4}\s+(?:are|is|were|was|have|feel)\s+(?:not\s+|too little\s+)?(?:involved|listened|informed|fully involved)",
        r"\btoo little involvement\b", r"\bkept better informed\b", r"\blistened to\b",
        r"\bengagement of parents\b", r"\bgenuine co\b", r"\bfeel fully involved\b",
    ),
    "local_offer": _rx(
        r"\blocal offer\b", r"\binformation, advice and (?:support|guidance)\b", r"\bsendiass\b",
        r"\binformation,? advice and support service\b", r"\baccessible information\b",
        r"\b(?:know|knows|find|understand) (?:where|how|what) (?:to|they)\b", r"\bwhere to (?:find|access)\b",
        r"\bresources and support available\b", r"\bclear,? (?:consistent|up-to-date|and timely) information\b",
        r"\bbarriers to information\b", r"\binformation about (?:the )?(?:services|processes)\b",
    ),
    "data_quality": _rx(
        r"\bself-?\s?evaluation\b", r"\bdata\b", r"\bevaluat\w*", r"\bstrengths and weaknesses\b",
        r"\b(?:accurate|inaccurate|joint|shared) (?:view|understanding)\b", r"\bkey performance\b",
        r"\bperformance (?:information|indicators|data)\b", r"\btracking\b",
        r"\bmeasur(?:e|ing) (?:the )?(?:\w+ ){0,3}?(?:impact|outcomes|progress|effectiveness)",
        r"\b(?:monitor\w*|check)\s+(?:\w+\s+){0,5}?(?:impact|effectiveness|outcomes|trends|progress)",
        r"\bimpact of (?:their|the|its)\b", r"\b(?:use|using|gather|analyse|collect)\w* (?:\w+ ){0,3}?information\b",
        r"\binformation (?:and data )?to (?:drive|inform)", r"\bsufficiency of information\b", r"\bmonitoring of\b",
        r"\bquality assurance (?:framework|processes|arrangements|of (?:their|the) work|systems)\b(?! (?:around|of) (?:all )?(?:existing|ehc))",
        r"\bquality assurance of (?:alternative|their)", r"\bassure themselves\b",
    ),
    "inclusion": _rx(
        r"\binclusion\b", r"\binclusive (?:culture|practice|education|schools?|settings?)\b", r"\bexclu(?:sion|sions|ded)\b", r"\bsuspen(?:sion|sions|ded)\b", r"\battend\w*",
        r"\babsent from\b", r"\b(?:persistent |high )?absence (?:from|rates)\b", r"\bpersistent(?:ly)? absen\w*", r"\bpart-time timetables?\b", r"\bfull[- ]time (?:education|timetable)\b",
        r"\bsuitable (?:full-time )?education\b", r"\bnot in school\b", r"\bmissing (?:from )?education\b",
        r"\bschool roll\b", r"\balternative provisions?\b", r"\bap\b(?! strategy)", r"\bhome educat\w*",
        r"\bplacements?\b", r"\bplaced\b", r"\bspecialist settings\b", r"\bout-of-county\b",
        r"\bresidential settings\b", r"\bachieving strong outcomes\b",
    ),
    "preparation_adulthood": _rx(
        r"\bprepar\w* (?:\w+ ){0,4}?for adult(?:hood| life)\b", r"\bpfa\b", r"\badulthood\b",
        r"\badult (?:health|social care|services|life)\b", r"\badults.? services\b", r"\bpost-?1[69]\b",
        r"\byear 9\b", r"\btransition (?:to|into|through to) (?:adult|further)", r"\btransition panel\b",
        r"\bemployment\b", r"\bsupported internships?\b", r"\bindependent (?:living|travel)\b", r"\bhousing\b",
        r"\bturn 18\b", r"\bfrom children.s to adult",
    ),
    "workforce": _rx(
        r"\bworkforce\b", r"\brecruit\w*", r"\bretention\b", r"\bcaseloads?\b", r"\bvacanc\w*",
        r"\bshortage of\b", r"\b(?:have|has|lack|without|not have) (?:the )?capacity\b", r"\btrained\b",
        r"\btraining (?:for|in|of|they need|and expertise)\b", r"\breceived training\b", r"\bstaff training\b",
        r"\bhave the training\b", r"\bskills and expertise\b", r"\bskills of\b", r"\bexpertise (?:they|to)\b",
    ),
    "social_care": _rx(
        r"\bshort breaks?\b", r"\brespite\b", r"\bearly help\b", r"\bdisabled children.s (?:team|service|social)",
        r"\bsocial care assessments?\b", r"\bsocial care needs\b", r"\bchildren.s homes\b",
    ),
}

# Two phrases in one clause. Each entry: (first, second); the theme holds when both are found in a clause.
_TOGETHER: dict[str, list[tuple[re.Pattern, re.Pattern]]] = {
    "ehcp_timeliness": [
        (_rx(r"\btimel(?:y|iness)\b", r"\bon time\b", r"\bdelay\w*", r"\bpromptly\b", r"\btime(?:scales?|frames?)\b",
             r"\b20[- ]weeks?\b", r"\bbacklogs?\b", r"\blength of time\b", r"\brapid improvements\b"),
         _rx(_EHC, r"\bamend\w*", r"\bneeds assessments?\b", r"\breview documentation\b")),
    ],
    "ehcp_quality": [
        (_rx(r"\bquality\b", r"\baccura\w*", r"\bprecis\w*", r"\bvariable\b", r"\bdescribe\b", r"\breflect\w*",
             r"\bcontribut\w*", r"\binput\b", r"\bup[- ]to[- ]date\b", r"\bupdat\w*", r"\bcapture\w*", r"\badvice\b",
             r"\bspecific\w*", r"\bleft blank\b", r"\binformation in\b", r"\boutcomes\b", r"\boversight\b"),
         _rx(r"\b(?:ehcps?|ehc plans?|ehc assessments?|education,? health,? and care plans?|annual review process\w*|plans? (?:should|are|is) (?:be )?updated)")),
    ],
    "health_waiting": [
        (_rx(r"\bwait\w*", r"\baccess\b", r"\bdelays?\b", r"\bgaps?\b"),
         _rx(r"\bhealth (?:services|assessments?|provision)\b", r"\bhealth services\b")),
    ],
}

# Identifying needs, looked for outside purpose clauses and outside clauses about what an EHC plan says ("plans
# accurately identify needs" is about the plan's quality).
_IDENTIFY = _rx(
    r"\bidentif\w*\s+(?:\w+\s+){0,6}?needs?\b", r"\bneeds?\s+(?:\w+\s+){0,4}?(?:identified|identification)",
    r"\bidentification\b(?! of (?:gaps|where|key))", r"\bearl\w+ identif\w*",
)
_ABOUT_A_PLAN = _rx(r"\b(?:ehc|education,? health,? and care|these) plans?\b", r"\bplans so they\b")
# How close the two phrases of a `_TOGETHER` rule must be: "the quality and timeliness of education, health and
# care plans" spans 9 words.
NEAR_WORDS = 10
_PURPOSE = re.compile(r"\b(?:so that|in order to)\b(?!\s*:)[^.;•]*", _F)
_CLAUSES = re.compile(r"[;•]|(?<=[.!?])\s+|\s[-–]\s")


@dataclass(frozen=True)
class Classification:
    themes: tuple[str, ...]
    evidence: dict[str, str] = field(default_factory=dict)  # theme -> the words that matched, as printed


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("’", "'").replace("‘", "'")).strip()


def _near(first: re.Pattern, second: re.Pattern, clause: str) -> str:
    """The words from a match of `first` to a match of `second` (either order) at most NEAR_WORDS words apart in
    `clause`, or "" — "the variable quality of EHC plans and the long waits for CAMHS" is not a wait for a plan."""
    for a in first.finditer(clause):
        for b in second.finditer(clause):
            start, end = min(a.start(), b.start()), max(a.end(), b.end())
            if len(clause[start:end].split()) <= NEAR_WORDS:
                return clause[start:end]
    return ""


def classify_text(text: str) -> Classification:
    """The themes of one weakness / priority action / area for improvement text (any length, any case).

    Returns `Classification(themes=("other",))` when no rule matches, including for an empty text."""
    clean = _normalise(text)
    evidence: dict[str, str] = {}
    for theme, pattern in _ANYWHERE.items():
        found = pattern.search(clean)
        if found:
            evidence[theme] = found.group(0)
    clauses = [c for c in _CLAUSES.split(clean) if c and c.strip()]
    if "identification" not in evidence:
        for clause in _CLAUSES.split(_PURPOSE.sub(" ", clean)):
            found = _IDENTIFY.search(clause or "")
            if found and not _ABOUT_A_PLAN.search(clause):
                evidence["identification"] = found.group(0)
                break
    for theme, pairs in _TOGETHER.items():
        if theme in evidence:
            continue
        for first, second in pairs:
            for clause in clauses:
                near = _near(first, second, clause)
                if near:
                    evidence[theme] = near
                    break
            if theme in evidence:
                break
    if not evidence:
        return Classification(themes=(OTHER,), evidence={})
    keys = ordered(evidence)
    return Classification(themes=tuple(keys), evidence={k: evidence[k] for k in keys})
