"""Extraction accuracy against hand-checked labels. Pure: no Django, no database.

Labels (shared/corpus/labels/): `seeds.json` ({"files": [{"file", "letters": [...]}]}) and `reports-2023.jsonl`
(one report per line). Extracted facts arrive as `InspectionView` / `RevisitView` records, built either from the
database (the `evaluate_extraction` command, the real measure) or straight from ParsedLetters (`--parsed-only`,
for parser work). Every expected fact is one comparison; list items (weaknesses, priority actions, judgements) are
one comparison each, and a surplus item counts as a miss.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, TypeVar

from . import precision
from .table import aligned_table

OUTCOME_CODES = {1: "positive", 2: "inconsistent", 3: "systemic_failings"}


@dataclass
class WeaknessView:
    kind: str
    number: int
    text: str
    responsible_bodies: str = ""


@dataclass(kw_only=True)
class LetterView:
    """What every stored (or parsed) inspection and revisit has: its document, kind, area and dates."""

    file: str  # the document the facts were read from ('' when unknown)
    kind: str
    source_kind: str = "letter"
    gss_code: str = ""
    area_name: str = ""
    start_date: date | None = None
    end_date: date | None = None
    letter_date: date | None = None


V = TypeVar("V", bound=LetterView)


@dataclass(kw_only=True)
class InspectionView(LetterView):
    """What was stored (or parsed) for one inspection."""

    framework: str
    published_date: date | None = None
    period_text: str = ""
    outcome: str = ""
    lead_inspectors: list[str] = field(default_factory=list)
    team: list[dict[str, str]] = field(default_factory=list)
    weaknesses: list[WeaknessView] = field(default_factory=list)
    previous_start_date: date | None = None
    previous_end_date: date | None = None
    next_full_inspection_within_years: int | None = None
    monitoring_inspection_within_months: int | None = None
    is_placeholder: bool = False


@dataclass
class JudgementView:
    weakness_number: int | None
    text_as_restated: str
    sufficient_progress: bool | None


@dataclass(kw_only=True)
class RevisitView(LetterView):
    lead_inspector: str = ""
    overall: str = ""
    next_steps: str = ""
    initial_published: date | None = None
    initial_period_text: str = ""
    initial_weaknesses: list[WeaknessView] = field(default_factory=list)
    judgements: list[JudgementView] = field(default_factory=list)


@dataclass
class Check:
    file: str
    field: str
    expected: Any
    got: Any

    @property
    def ok(self) -> bool:
        return _same(self.expected, self.got)


@dataclass
class Result:
    checks: list[Check]

    def by_field(self) -> "OrderedDict[str, tuple[int, int]]":
        table: OrderedDict[str, list[int]] = OrderedDict()
        for check in self.checks:
            row = table.setdefault(check.field, [0, 0])
            row[0] += check.ok
            row[1] += 1
        return OrderedDict((k, (v[0], v[1])) for k, v in table.items())

    @property
    def misses(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def correct(self) -> int:
        return sum(c.ok for c in self.checks)

    @property
    def accuracy(self) -> float:
        return self.correct / len(self.checks) if self.checks else 1.0

    def table(self) -> str:
        rows = [("field", "correct", "total", "%")]
        for name, (ok, total) in self.by_field().items():
            rows.append((name, str(ok), str(total), f"{100 * ok / total:.1f}"))
        rows.append(("ALL", str(self.correct), str(len(self.checks)), f"{100 * self.accuracy:.1f}"))
        return aligned_table(rows)


# --- labels -----------------------------------------------------------------------------------------------


@dataclass
class LabelSet:
    seeds: list[dict[str, Any]] = field(default_factory=list)  # {"file", "letters"}
    reports: list[dict[str, Any]] = field(default_factory=list)
    # Labels of exactly what each text states ({"file", "kind", "text_style", "area", "framework", "facts"}):
    # judged for precision and recall by evaluation.precision.
    texts: list[dict[str, Any]] = field(default_factory=list)
    # Which label file each labelled document came from (for finding the document beside its labels).
    sources: dict[str, Path] = field(default_factory=dict)

    @property
    def files(self) -> list[str]:
        return [f["file"] for f in self.seeds] + [r["file"] for r in self.reports] + [t["file"] for t in self.texts]


def load_labels(paths: Iterable[str | Path]) -> LabelSet:
    """Read label files: seeds.json ({"files": [...]}), report labels (.jsonl or a JSON list) and text labels
    (.jsonl lines with `kind` letter/secondary/nothing/not_send and `facts`). Raises ValueError for a file in none
    of these shapes, a text label the judge would misread, or a file labelled twice."""
    labels = LabelSet()
    for path in map(Path, paths):
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            for number, line in enumerate(raw.splitlines(), 1):
                if not line.strip():
                    continue
                entry = json.loads(line)
                if precision.is_text_label(entry):
                    precision.validate_text_label(entry)
                    labels.texts.append(entry)
                elif isinstance(entry, dict) and "report_kind" in entry:
                    labels.reports.append(entry)
                else:
                    raise ValueError(f"{path}:{number}: neither a report label (report_kind) nor a text label (kind, facts)")
                labels.sources.setdefault(entry["file"], path)
            _no_repeats(labels, path)
            continue
        data = json.loads(raw)
        if isinstance(data, dict) and "files" in data:
            labels.seeds += data["files"]
        elif isinstance(data, list):
            labels.reports += data
        else:
            raise ValueError(f"{path}: not a seeds label file ({{'files': [...]}}) or a list of report labels")
        for entry in data["files"] if isinstance(data, dict) else data:
            labels.sources.setdefault(entry["file"], path)
        _no_repeats(labels, path)
    return labels


def _no_repeats(labels: LabelSet, path: Path) -> None:
    files = labels.files
    repeated = sorted({f for f in files if files.count(f) > 1})
    if repeated:
        raise ValueError(f"{path}: labelled more than once: {', '.join(repeated)}")


# --- comparison -------------------------------------------------------------------------------------------


def normalise_text(value: str) -> str:
    """Whitespace-normalised, quotes and bullets unified: the comparison is about words, not typography."""
    value = value.replace("\u00a0", " ").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", value).strip()


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, str) and isinstance(got, str):
        return normalise_text(expected) == normalise_text(got)
    if isinstance(expected, list) and isinstance(got, list):
        return len(expected) == len(got) and all(_same(a, b) for a, b in zip(expected, got))
    return expected == got


def _iso(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(value)


def evaluate(
    labels: LabelSet, inspections: list[InspectionView], revisits: list[RevisitView], *, with_gss: bool = True
) -> Result:
    checks: list[Check] = []
    for report in labels.reports:
        checks += _check_report(report, inspections, with_gss=with_gss)
    for entry in labels.seeds:
        checks += _check_seed_file(entry, inspections, revisits, with_gss=with_gss)
    return Result(checks)


def _find_inspection(
    inspections: list[InspectionView], *, gss: str, area: str, kind: str, start: date | None, with_gss: bool
) -> InspectionView | None:
    for view in inspections:
        same_area = view.gss_code == gss if with_gss else normalise_text(view.area_name).lower() == normalise_text(area).lower()
        if same_area and view.kind == kind and view.start_date == start and not view.is_placeholder:
            return view
    return None


def _list_checks(file: str, name: str, expected: list[Any], got: list[Any]) -> list[Check]:
    return [
        Check(file, name, expected[i] if i < len(expected) else None, got[i] if i < len(got) else None)
        for i in range(max(len(expected), len(got)))
    ]


def _check_report(report: dict[str, Any], inspections: list[InspectionView], *, with_gss: bool) -> list[Check]:
    file = report["file"]
    start = _iso(report["inspection_start"])
    view = _find_inspection(
        inspections, gss=report["ons_code"], area=report["area_name_in_report"], kind=report["report_kind"],
        start=start, with_gss=with_gss,
    )
    checks = [Check(file, "inspection found", True, view is not None)]
    if view is None:
        return checks
    weak = lambda kind: [w for w in sorted(view.weaknesses, key=lambda w: w.number) if w.kind == kind]  # noqa: E731
    if with_gss:
        checks.append(Check(file, "area gss", report["ons_code"], view.gss_code))
    checks += [
        Check(file, "area name", report["area_name_in_report"], view.area_name),
        Check(file, "start date", start, view.start_date),
        Check(file, "end date", _iso(report["inspection_end"]), view.end_date),
        Check(file, "previous start date", _iso(report["previous_inspection_start"]), view.previous_start_date),
        Check(file, "previous end date", _iso(report["previous_inspection_end"]), view.previous_end_date),
        Check(file, "outcome", OUTCOME_CODES.get(report["outcome"]), view.outcome),
        Check(file, "next full inspection (years)", report.get("next_full_inspection_within_years"), view.next_full_inspection_within_years),
    ]
    monitoring = report.get("monitoring_inspection_within")
    checks.append(
        Check(file, "monitoring inspection (months)", int(monitoring.split()[0]) if monitoring else None, view.monitoring_inspection_within_months)
    )
    checks += _list_checks(file, "priority actions", report["priority_actions"], [w.text for w in weak("priority_action")])
    checks += _list_checks(
        file, "priority action bodies", report["priority_action_responsible_bodies"],
        [w.responsible_bodies for w in weak("priority_action")],
    )
    checks += _list_checks(file, "improvement areas", report["improvement_areas"], [w.text for w in weak("improvement_area")])
    checks.append(Check(file, "lead inspectors", sorted(p["name"] for p in report["lead_inspectors"]), sorted(view.lead_inspectors)))
    expected_team = [(p["name"], p["role"], p["organisation"]) for p in report["inspection_team"]]
    got_team = [(p.get("name", ""), p.get("role", ""), p.get("organisation", "")) for p in view.team]
    checks += _list_checks(file, "inspection team", [list(t) for t in expected_team], [list(t) for t in got_team])
    return checks


_OVERALL = re.compile(r"sufficient progress in (?P<which>all|none|\d+)(?: (?P<n>\d+))? of (?P<of>\d+)|sufficient progress in none", re.I)


def overall_code(label: str) -> str:
    """'sufficient progress in all 4 of 4' -> sufficient_all; '… in 2 of 4' -> sufficient_some; none -> sufficient_none."""
    text = label.lower()
    if "none" in text or re.search(r"\bin 0 of\b", text):
        return "sufficient_none"
    m = re.search(r"in (?:all )?(\d+) of (\d+)", text)
    if "all" in text or (m and m.group(1) == m.group(2)):
        return "sufficient_all"
    return "sufficient_some"


def _check_seed_file(
    entry: dict[str, Any], inspections: list[InspectionView], revisits: list[RevisitView], *, with_gss: bool
) -> list[Check]:
    file = entry["file"]
    checks: list[Check] = []
    for letter in entry["letters"]:
        name = f"{file} [{letter['area']} {letter['kind']}]"
        if letter["kind"] == "initial_inspection":
            view = _seed_view(name, letter, inspections, "inspection", checks, with_gss=with_gss)
            if view is None:
                continue
            checks += [
                Check(name, "seed: wsoa required", letter.get("wsoa_required"), {"wsoa_required": True, "no_wsoa": False}.get(view.outcome)),
                Check(name, "seed: lead inspector", letter.get("lead_inspector"), "; ".join(view.lead_inspectors)),
            ]
            if "published_date" in letter:
                checks.append(Check(name, "seed: published date", _iso(letter["published_date"]), view.published_date))
            weaknesses = [w.text for w in sorted(view.weaknesses, key=lambda w: w.number) if w.kind == "significant_weakness"]
            checks += _list_checks(name, "seed: weaknesses", letter.get("weaknesses", []), weaknesses)
        else:
            view = _seed_view(name, letter, revisits, "revisit", checks, with_gss=with_gss)
            if view is None:
                continue
            checks += [
                Check(name, "seed: lead inspector", letter.get("lead_inspector"), view.lead_inspector),
                Check(name, "seed: overall", overall_code(letter["overall"]), view.overall),
            ]
            if "initial_inspection_letter_published" in letter:
                checks.append(Check(name, "seed: initial letter published", _iso(letter["initial_inspection_letter_published"]), view.initial_published))
            if "initial_inspection_period" in letter:
                checks.append(Check(name, "seed: initial period", letter["initial_inspection_period"], view.initial_period_text))
            if letter.get("next_steps"):
                got = view.next_steps
                ok = normalise_text(letter["next_steps"]).lower() in normalise_text(got).lower()
                checks.append(Check(name, "seed: next steps", letter["next_steps"], letter["next_steps"] if ok else got))
            # Which initial weakness a judgement judges is decided by the writer (fuzzy linking), not the parser.
            checks += _judgement_checks(name, letter.get("judgements", []), view.judgements, linked=with_gss)
    return checks


def _seed_view(
    name: str, letter: dict[str, Any], views: list[V], records: str, checks: list[Check], *, with_gss: bool
) -> V | None:
    """The inspection or revisit view a seed letter describes (area, kind, start date), or None. Appends to
    `checks` what every kind shares: exactly one such record, then its area, source and dates."""
    start = _iso(letter["start_date"])
    found = [
        v for v in views
        if (v.gss_code == letter["gss_code"] if with_gss else normalise_text(v.area_name).lower() == letter["area"].lower())
        and v.kind == letter["kind"] and v.start_date == start
    ]
    checks.append(Check(name, f"seed: {records} records", 1, len(found)))
    if not found:
        return None
    view = found[0]
    if with_gss:
        checks.append(Check(name, "seed: area gss", letter["gss_code"], view.gss_code))
    checks += [
        Check(name, "seed: source", letter.get("source", "letter"), view.source_kind),
        Check(name, "seed: start date", start, view.start_date),
        Check(name, "seed: end date", _iso(letter["end_date"]), view.end_date),
        Check(name, "seed: letter date", _iso(letter.get("letter_date")), view.letter_date),
    ]
    return view


def _judgement_checks(name: str, expected: list[dict[str, Any]], got: list[JudgementView], *, linked: bool) -> list[Check]:
    """Judgements are matched by their restated wording (stored order may follow the initial letter's numbering)."""
    checks = []
    left = list(got)
    for j in expected:
        match = next((g for g in left if normalise_text(g.text_as_restated) == normalise_text(j["weakness"])), None)
        if match is not None:
            left.remove(match)
        checks.append(Check(name, "seed: judgement weakness", j["weakness"], match.text_as_restated if match else None))
        checks.append(Check(name, "seed: judgement progress", j["sufficient_progress"], match.sufficient_progress if match else None))
        if linked and "matches_initial_weakness" in j:
            checks.append(Check(name, "seed: judgement linked weakness", j["matches_initial_weakness"], match.weakness_number if match else None))
    for extra in left:
        checks.append(Check(name, "seed: judgement weakness", None, extra.text_as_restated))
    return checks


_WITHIN = re.compile(
    r"within\s+(?:approximately\s+|about\s+|around\s+)?(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen)\s+(?P<unit>years?|months?)",
    re.I,
)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "eighteen": 18}


def within_from_text(text: str) -> tuple[int | None, int | None]:
    """(next full inspection within N years, monitoring inspection within N months) from the stored sentences."""
    years = months = None
    for sentence in re.split(r"(?<=\.)\s+", text or ""):
        m = _WITHIN.search(sentence)
        if not m:
            continue
        n = int(m["n"]) if m["n"].isdigit() else _WORDS[m["n"].lower()]
        total = n * 12 if m["unit"].lower().startswith("year") else n
        if re.search(r"monitoring", sentence, re.I):
            months = total
        elif re.search(r"full|re-?inspection", sentence, re.I):
            years = total // 12 if total % 12 == 0 else None
    return years, months


# --- ParsedLetters -> views (for --parsed-only) -----------------------------------------------------------


def views_from_parsed(file: str, letters: list[Any]) -> tuple[list[InspectionView], list[RevisitView]]:
    """Views straight from parser output (no database, no area register: compare area names, not GSS codes)."""
    inspections: list[InspectionView] = []
    revisits: list[RevisitView] = []
    for p in letters:
        if p.kind in ("initial_inspection", "full_inspection"):
            leads = p.findings.get("lead_inspectors") or ([p.lead_inspector] if p.lead_inspector else [])
            inspections.append(
                InspectionView(
                    file=file, kind=p.kind, framework=p.framework, source_kind=p.source_kind, area_name=p.area_name,
                    start_date=p.start_date, end_date=p.end_date, letter_date=p.letter_date, published_date=p.published_date,
                    outcome=p.outcome, lead_inspectors=list(leads), team=list(p.inspection_team),
                    weaknesses=[WeaknessView(w.kind, w.number, w.text, w.responsible_bodies) for w in p.weaknesses],
                    previous_start_date=p.previous_start_date, previous_end_date=p.previous_end_date,
                    next_full_inspection_within_years=p.findings.get("next_full_inspection_within_years"),
                    monitoring_inspection_within_months=p.findings.get("monitoring_inspection_within_months"),
                )
            )
        else:
            revisits.append(
                RevisitView(
                    file=file, kind=p.kind, source_kind=p.source_kind, area_name=p.area_name, start_date=p.start_date,
                    end_date=p.end_date, letter_date=p.letter_date, lead_inspector=p.lead_inspector, overall=p.overall,
                    next_steps=p.next_steps, initial_published=p.initial_letter_published,
                    initial_period_text=p.initial_period_text,
                    judgements=[JudgementView(j.number, j.weakness_text, j.sufficient_progress) for j in p.judgements],
                )
            )
    return inspections, revisits


# --- precision on seeds / reports: every stored record must be one the labels list ----------------------------


def judge_letter_records(labels: LabelSet, records: list[precision.StoredRecord], *, with_gss: bool = True) -> list[precision.Verdict]:
    """Records stored from the seeds and 2023 reports that their labels do not list: an inspection or follow-up
    no label describes (area, kind, start date), a placeholder inspection no labelled follow-up implies, or a
    WSOA where the label says none was required. Field values of listed records are compared by `evaluate`;
    this catches what it cannot see (whole surplus records). Returns one Verdict per stored record."""
    expected: dict[str, list[tuple[str, str, date | None]]] = {}
    implied: dict[str, list[tuple[str, date | None]]] = {}  # placeholders a follow-up letter or report implies
    wsoa: dict[str, set[tuple[str, date | None]]] = {}
    for entry in labels.seeds:
        for letter in entry["letters"]:
            area = letter["gss_code"] if with_gss else letter["area"].lower()
            start = _iso(letter["start_date"])
            expected.setdefault(entry["file"], []).append((area, letter["kind"], start))
            if letter["kind"] in ("revisit", "monitoring_inspection"):
                implied.setdefault(entry["file"], []).append((area, None))
            if letter.get("wsoa_required"):
                wsoa.setdefault(entry["file"], set()).add((area, start))
    for report in labels.reports:
        area = report["ons_code"] if with_gss else report["area_name_in_report"].lower()
        expected.setdefault(report["file"], []).append((area, report["report_kind"], _iso(report["inspection_start"])))
        if report.get("previous_inspection_start"):
            implied.setdefault(report["file"], []).append((area, _iso(report["previous_inspection_start"])))
    files = {f["file"] for f in labels.seeds} | {r["file"] for r in labels.reports}
    by_id = {(r.record, r.record_id): r for r in records}
    verdicts: list[precision.Verdict] = []
    for rec in records:
        if rec.file not in files or rec.record not in ("inspection", "revisit", "wsoa"):
            continue
        area = rec.gss_code if with_gss else rec.area_name.lower()
        start = rec.fields.get("start_date")
        if rec.record == "wsoa":
            parent = by_id.get(("inspection", rec.parent_id))
            key = (area, parent.fields.get("start_date") if parent else None)
            # A 2016 revisit letter states the initial inspection required a WSOA (that is why it revisits).
            ok = key in wsoa.get(rec.file, set()) or bool(parent and parent.is_placeholder and parent.framework == "2016")
            reason = "the labels state no WSOA for this inspection"
        elif rec.is_placeholder:
            ok = any(a == area and (s is None or s == start) for a, s in implied.get(rec.file, []))
            reason = "a placeholder inspection no labelled follow-up implies"
        else:
            ok = (area, rec.kind, start) in expected.get(rec.file, [])
            reason = "no labelled letter describes this record (area, kind, start date)"
        verdicts.append(precision.Verdict(rec.file, "seed/report", rec.label, "record", (area, rec.kind, start), None, ok, "" if ok else reason))
    return verdicts
