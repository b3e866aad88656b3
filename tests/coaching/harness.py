"""Put each corpus item into a sound plan, build the workbook, read and validate it
the way ``kuk-xlsx validate`` does, and score what fired against what a trainer
expects: recall and precision per kind of mistake and per language."""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kuk_xlsx.build.workbook import build_workbook
from kuk_xlsx.checks.engine import Finding, validate
from tests.coaching import (
    corpus_en,
    corpus_heldout,
    corpus_heldout2,
    corpus_heldout3,
    corpus_kk,
    corpus_ru,
)
from tests.coaching.model import MEASURED, TAGS, Item
from tests.coaching.plans import PLANS
from tests.test_checks import ORG

ITEMS: list[Item] = [
    *corpus_kk.ITEMS,
    *corpus_ru.ITEMS,
    *corpus_en.ITEMS,
    *corpus_heldout.ITEMS,
    *corpus_heldout2.ITEMS,
    *corpus_heldout3.ITEMS,
]
SMART = ("specific", "measurable", "area", "realistic", "time_bound")
LETTERS = dict(zip("smart", SMART, strict=True))


def place(item: Item, data: dict[str, Any]) -> None:
    """Write the item into a plan (as ``build_workbook(data=...)`` takes it)."""
    x = item.extra
    if item.place == "goal":
        no = {LETTERS[c] for c in x.get("no", "").split()}
        row = {"kind": x.get("kind", "activity"), "goal": item.text}
        row.update({k: k not in no for k in SMART})
        data["goals"]["goals"].append(row)
    elif item.place == "project_goal":
        data["project"]["summary"]["goal"] = item.text
    elif item.place in ("objective", "result"):
        row = {"objective": "—", "result": "—", item.place: item.text}
        data["project"]["objectives"].append(row)
    elif item.place in ("task", "capacity_task"):
        block = "activity" if item.place == "task" else "capacity"
        row = dict(data["schedule"][block][0], objective=item.text)
        data["schedule"][block].append(row)
    elif item.place in ("purpose", "outputs", "inputs", "lf_verification", "lf_indicator"):
        row, column = {
            "lf_indicator": ("goal", "indicators"),
            "purpose": ("purpose", "summary"),
            "outputs": ("outputs", "summary"),
            "inputs": ("activities", "indicators"),
            "lf_verification": ("outputs", "verification"),
        }[item.place]
        data["logframe"]["frame"][row][column] = item.text
    elif item.place == "me_verification":
        rows = data["me_plan"]["indicators"]
        quantitative = x.get("quantitative", rows[0]["quantitative"])
        rows[0] = dict(rows[0], quantitative=quantitative, verification=item.text)
    elif item.place == "weakness":
        data["swot_internal"]["items"].append(
            {"strength": "+", "strength_critical": False, "weakness": item.text}
        )
    elif item.place == "threat":
        data["swot_external"]["trends"][0]["threats"] = item.text
    elif item.place == "stakeholder":
        category = x["category"]
        data["stakeholders"]["map"].append({"category": category, "name": item.text})
        data["stakeholder_detail"][category].append({"name": item.text, "profile": "+"})
    elif item.place == "schedule_row":
        goal = next(g["goal"] for g in data["goals"]["goals"] if g["kind"] == item.text)
        row = dict(data["schedule"]["activity"][0], goal=goal)
        data["schedule"][x["section"]].append(row)
    elif item.place == "budget":
        data["profile"]["org"]["level"] = x["level"]
        data["budget"]["items"] = [
            {"category": c, "item": c, "unit": "—", "quantity": 1, "unit_cost": a}
            for c, a in x["lines"]
        ]
    else:  # pragma: no cover - model.items checks the place
        raise AssertionError(item.place)


def measured(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.code in MEASURED]


def _key(f: Finding) -> tuple[str, str, str, str]:
    return (f.code, f.sheet, f.cell, str(f.value))


def run_item(item: Item, folder: Path, host: Iterable[Finding] = ()) -> list[Finding]:
    """The measured findings on the item's language's first sound plan with the item in,
    less those the plan has without it (``host``: counted once, against the plan)."""
    data = copy.deepcopy(PLANS[item.lang][0][1])
    place(item, data)
    path = build_workbook(folder / "item.xlsx", lang=item.lang, org=ORG, data=data)
    known = {_key(f) for f in host}
    report = validate(path)
    MISFILED.extend(_misfiled(report))
    return [f for f in measured(report.findings) if _key(f) not in known]


# findings whose step is not the one whose sheet holds their cell (issue 13, item 5)
MISFILED: list[str] = []


def _misfiled(report: Any) -> list[str]:
    steps = report.plan.steps if report.plan is not None else {}
    return [
        f"{f.code} {f.sheet}!{f.cell} filed under {f.step}"
        for f in report.findings
        if f.step in steps and f.sheet and steps[f.step].sheet != f.sheet
    ]


def run_plan(lang: str, data: dict[str, Any], folder: Path) -> list[Finding]:
    path = build_workbook(folder / "plan.xlsx", lang=lang, org=ORG, data=data)
    report = validate(path)
    MISFILED.extend(_misfiled(report))
    return measured(report.findings)


def _direction(f: Finding) -> str:
    return "me+" if f.params.get("fix_variant") == "add" else "me-"


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    items: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0


def score_item(item: Item, found: list[Finding]) -> tuple[int, int, int, list[str], list[str]]:
    """(true positives, misses, false alarms, missed tags, false codes) for one item.

    The sound plan under the item is silent, so whatever fires comes from the item."""
    got = defaultdict(int)
    for f in found:
        got[_direction(f) if f.code == "KUK-BUDGET-ME-SHARE" else f.code] += 1
    tp = 0
    missed = []
    for tag in item.tags:
        key = tag if tag in ("me+", "me-") else TAGS[tag]
        if got[key] > 0:
            got[key] -= 1
            tp += 1
        else:
            missed.append(tag)
    false = [k for k, n in got.items() for _ in range(n)]
    return tp, len(missed), len(false), missed, false


@dataclass
class Table:
    by_family: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    by_lang: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    overall: Score = field(default_factory=Score)

    def add(self, item: Item, found: list[Finding]) -> None:
        tp, fn, fp, missed, false = score_item(item, found)
        for s in (self.by_family[item.family], self.by_lang[item.lang], self.overall):
            s.tp, s.fn, s.fp, s.items = s.tp + tp, s.fn + fn, s.fp + fp, s.items + 1
        label = f"{item.lang} {item.place}: {item.text[:70]}"
        if missed:
            self.by_family[item.family].misses.append(f"{label}  missed {' '.join(missed)}")
        if false:
            self.by_family[item.family].false_alarms.append(f"{label}  fired {' '.join(false)}")

    def add_plan(self, lang: str, name: str, found: list[Finding]) -> None:
        for s in (self.by_family["sound plans"], self.by_lang[lang], self.overall):
            s.fp += len(found)
            s.items += 1
        for f in found:
            self.by_family["sound plans"].false_alarms.append(
                f"{name}: {f.code} {f.sheet}!{f.cell} {str(f.value)[:60]}"
            )

    def render(self, details: bool = True) -> str:
        lines = [f"{'':<16}{'items':>6}{'TP':>5}{'FN':>5}{'FP':>5}{'recall':>9}{'precision':>11}"]

        def row(name: str, s: Score) -> str:
            return (
                f"{name:<16}{s.items:>6}{s.tp:>5}{s.fn:>5}{s.fp:>5}"
                f"{s.recall:>9.1%}{s.precision:>11.1%}"
            )

        lines += [row(k, v) for k, v in sorted(self.by_family.items())]
        lines.append("-" * 57)
        lines += [row(k, v) for k, v in sorted(self.by_lang.items())]
        lines.append(row("overall", self.overall))
        if details:
            for k, v in sorted(self.by_family.items()):
                lines += [f"  MISS  [{k}] {m}" for m in v.misses]
                lines += [f"  FALSE [{k}] {m}" for m in v.false_alarms]
        return "\n".join(lines)


def measure(folder: Path) -> Table:
    """The whole corpus and every sound plan, scored."""
    table = Table()
    hosts: dict[str, list[Finding]] = {}
    for lang, plans in PLANS.items():
        for name, data in plans:
            found = run_plan(lang, data, folder)
            hosts.setdefault(lang, found)
            table.add_plan(lang, name, found)
    for item in ITEMS:
        table.add(item, run_item(item, folder, hosts[item.lang]))
    return table
