"""A seeded mistake (or a near miss) as a trainer sees it in a returned workbook, and
how it is put into a plan.

An item is data: where it is written (``place``), its text, the kind of mistake it
seeds (``family``), and the findings a trainer expects on it (``expect``, short tags;
empty for a near miss that must stay silent).  ``extra`` carries the rest of the
row when the mistake needs it (a goal's kind and the NGO's own SMART answers, the
stakeholder category, the schedule section, the indicator beside a verification,
the budget lines and programme level).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# short tag -> rule code
TAGS = {
    "process": "KUK-RESULT-NOT-PROCESS",
    "m": "KUK-GOALS-SMART-M",
    "t": "KUK-GOALS-SMART-T",
    "a": "KUK-GOALS-SMART-A",
    "m!": "KUK-GOALS-SMART-M-CLAIMED",
    "t!": "KUK-GOALS-SMART-T-CLAIMED",
    "weak_ext": "KUK-SWOT-WEAKNESS-EXTERNAL",
    "threat_int": "KUK-SWOT-THREAT-INTERNAL",
    "misfiled": "KUK-STAKEHOLDER-MISFILED",
    "section": "KUK-SCHEDULE-SECTION",
    "evidence": "KUK-VERIFICATION-NO-EVIDENCE",
    "inputs": "KUK-LOGFRAME-INPUTS",
    "qty": "KUK-INDICATOR-NO-QUANTITY",
    "me+": "KUK-BUDGET-ME-SHARE",
    "me-": "KUK-BUDGET-ME-SHARE",
}
# the codes the corpus measures: any other finding is outside its scope
MEASURED = frozenset(TAGS.values())

# place -> (step, block, column) the item's text is written to
PLACES = {
    "goal": ("goals", "goals", "goal"),
    "project_goal": ("project", "summary", "goal"),
    "objective": ("project", "objectives", "objective"),
    "result": ("project", "objectives", "result"),
    "task": ("schedule", "activity", "objective"),
    "capacity_task": ("schedule", "capacity", "objective"),
    "purpose": ("logframe", "frame", "purpose.summary"),
    "outputs": ("logframe", "frame", "outputs.summary"),
    "inputs": ("logframe", "frame", "activities.indicators"),
    "lf_indicator": ("logframe", "frame", "goal.indicators"),
    "lf_verification": ("logframe", "frame", "outputs.verification"),
    "me_verification": ("me_plan", "indicators", "verification"),
    "weakness": ("swot_internal", "items", "weakness"),
    "threat": ("swot_external", "trends", "threats"),
    "stakeholder": ("stakeholders", "map", "name"),
    "schedule_row": ("schedule", "", "goal"),
    "budget": ("budget", "items", "amount"),
}


@dataclass(frozen=True)
class Item:
    family: str
    place: str
    text: str
    expect: str = ""  # space-separated tags; "" = a near miss, nothing may fire
    extra: dict[str, Any] = field(default_factory=dict)
    lang: str = ""  # set by the language's corpus module

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(self.expect.split())


def items(lang: str, rows: tuple[tuple[Any, ...], ...]) -> list[Item]:
    """Items from compact rows: (family, place, text, expect[, extra])."""
    out = []
    for row in rows:
        family, place, text, expect, *rest = row
        extra = rest[0] if rest else {}
        assert place in PLACES, place
        assert all(t in TAGS for t in expect.split()), expect
        out.append(Item(family, place, text, expect, extra, lang))
    return out
