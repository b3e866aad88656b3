"""The rule table: every check's stable code, its severity and the step it belongs to.

Codes are never renumbered or reused.  A rule's words (title, message, fix) are in
the one text catalogue, ``kuk_xlsx/catalogue/rules.toml``, as templates filled from
a finding's fields at output time, in the language asked for.  The rules page of
the docs (docs/rules.md) is generated from both, so it cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from kuk_xlsx.catalogue import Label, label

SEVERITIES = ("error", "warning", "coaching")


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    step: str  # the step it belongs to, or "" for file-level and generic rules

    @property
    def title(self) -> Label:
        return label(f"rules.{self.code}.title")

    @property
    def message(self) -> Label:
        """A template: {column}, {value}, {expected}, and rule-specific fields."""
        return label(f"rules.{self.code}.message")

    @property
    def fix(self) -> Label:
        return label(f"rules.{self.code}.fix")


RULES: tuple[Rule, ...] = (
    # --- the file
    Rule("KUK-FILE-UNREADABLE", "error", ""),
    Rule("KUK-FILE-NOT-TEMPLATE", "error", ""),
    Rule("KUK-FILE-VERSION", "warning", ""),
    Rule("KUK-FILE-META", "warning", ""),
    Rule("KUK-FILE-MACROS", "warning", ""),
    Rule("KUK-FILE-OUTSIDE-AREA", "warning", ""),
    Rule("KUK-STEP-MISSING", "error", ""),
    Rule("KUK-FILE-COLUMN-MISSING", "warning", ""),
    Rule("KUK-FILE-SPEC-CHANGED", "warning", ""),
    # --- values
    Rule("KUK-VALUE-NOT-IN-LIST", "error", ""),
    Rule("KUK-VALUE-NOT-NUMBER", "error", ""),
    Rule("KUK-VALUE-NOT-YES-NO", "warning", ""),
    Rule("KUK-VALUE-NOT-DATE", "warning", ""),
    Rule("KUK-VALUE-INTERPRETED", "coaching", ""),
    # a number typed as text: read, but the workbook's own formulas give #VALUE!
    Rule("KUK-NUMBER-AS-TEXT", "warning", ""),
    # a formula typed into a number cell that is not plain arithmetic
    Rule("KUK-FORMULA-NOT-CHECKED", "coaching", ""),
    # --- completeness
    Rule("KUK-STEP-EMPTY", "error", ""),
    Rule("KUK-REQUIRED-FIELD", "error", ""),
    Rule("KUK-REQUIRED-CELL", "error", ""),
    Rule("KUK-MIN-ROWS", "error", ""),
    # --- stakeholders
    Rule("KUK-STAKEHOLDER-CATEGORIES", "warning", "stakeholders"),
    Rule("KUK-STAKEHOLDER-DETAIL", "warning", "stakeholder_detail"),
    # --- SWOT
    Rule("KUK-SWOT-QUADRANT", "error", ""),
    Rule("KUK-SWOT-PEST-SPHERE", "warning", "swot_external"),
    Rule("KUK-SWOT-CRITICAL", "coaching", "swot_internal"),
    # --- key success factors
    Rule("KUK-KSF-COUNT", "error", "success_factors"),
    # --- goals
    Rule("KUK-GOALS-KINDS", "error", "goals"),
    Rule("KUK-GOALS-SMART-ANSWERED", "error", "goals"),
    Rule("KUK-GOALS-SMART-M", "coaching", "goals"),
    Rule("KUK-GOALS-SMART-T", "coaching", "goals"),
    Rule("KUK-GOALS-SMART-A", "coaching", "goals"),
    Rule("KUK-RESULT-NOT-PROCESS", "coaching", ""),
    # --- schedule
    Rule("KUK-SCHEDULE-GOAL-UNKNOWN", "error", "schedule"),
    Rule("KUK-SCHEDULE-NO-MONTH", "error", "schedule"),
    Rule("KUK-SCHEDULE-GOAL-NO-ACTIVITY", "warning", "schedule"),
    # --- logframe and M&E
    Rule("KUK-INDICATOR-NO-QUANTITY", "coaching", ""),
    Rule("KUK-ME-OBJECTIVE-UNCOVERED", "warning", "me_plan"),
    # --- budget
    Rule("KUK-BUDGET-NEGATIVE", "error", "budget"),
    Rule("KUK-BUDGET-TOTAL-MISMATCH", "error", "budget"),
    Rule("KUK-BUDGET-ME-SHARE", "error", "budget"),
    # --- fundraising
    Rule("KUK-FUNDRAISING-ONE-SOURCE", "warning", "fundraising"),
    Rule("KUK-FUNDRAISING-LARGEST-SHARE", "coaching", "fundraising"),
)

CATALOGUE: dict[str, Rule] = {r.code: r for r in RULES}
assert len(CATALOGUE) == len(RULES), "duplicate rule code"
