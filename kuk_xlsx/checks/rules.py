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

    def fix_for(self, params: dict[str, object]) -> Label:
        """The fix for one finding: a rule whose finding names a ``fix_variant`` (the
        M&E share: add or cut) has one fix per variant (``fix_add``, ``fix_cut``)."""
        variant = params.get("fix_variant")
        return label(f"rules.{self.code}.fix_{variant}") if variant else self.fix


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
    # the akimat, a school, the media or a company filed as beneficiaries
    Rule("KUK-STAKEHOLDER-MISFILED", "coaching", "stakeholders"),
    # --- SWOT
    Rule("KUK-SWOT-QUADRANT", "error", ""),
    Rule("KUK-SWOT-PEST-TRENDS", "warning", "swot_external"),
    Rule("KUK-SWOT-CRITICAL", "coaching", "swot_internal"),
    # an outside trend written as a weakness; the organisation's own problem as a threat
    Rule("KUK-SWOT-WEAKNESS-EXTERNAL", "coaching", "swot_internal"),
    Rule("KUK-SWOT-THREAT-INTERNAL", "coaching", "swot_external"),
    # a decisive strength or weakness with no row in the decisions table (1.1.0)
    Rule("KUK-SWOT-NO-DECISION", "warning", "swot_internal"),
    # --- key success factors
    Rule("KUK-KSF-COUNT", "error", "success_factors"),
    # --- goals
    Rule("KUK-GOALS-KINDS", "error", "goals"),
    Rule("KUK-GOALS-SMART-ANSWERED", "error", "goals"),
    Rule("KUK-GOALS-SMART-M", "coaching", "goals"),
    Rule("KUK-GOALS-SMART-T", "coaching", "goals"),
    Rule("KUK-GOALS-SMART-A", "coaching", "goals"),
    Rule("KUK-RESULT-NOT-PROCESS", "coaching", ""),
    # the NGO answered "yes" on M or T, and the goal has no figure or no date
    Rule("KUK-GOALS-SMART-M-CLAIMED", "warning", "goals"),
    Rule("KUK-GOALS-SMART-T-CLAIMED", "warning", "goals"),
    # --- schedule
    Rule("KUK-SCHEDULE-GOAL-UNKNOWN", "error", "schedule"),
    Rule("KUK-SCHEDULE-NO-MONTH", "error", "schedule"),
    Rule("KUK-SCHEDULE-GOAL-NO-ACTIVITY", "warning", "schedule"),
    # a row with no goal chosen (was KUK-REQUIRED-CELL: "leave the row empty")
    Rule("KUK-SCHEDULE-NO-GOAL", "error", "schedule"),
    # a row in the section that does not serve its goal's kind
    Rule("KUK-SCHEDULE-SECTION", "coaching", "schedule"),
    # --- project work plan (1.1.0: each activity names the objective it serves)
    Rule("KUK-WORKPLAN-OBJECTIVE-UNKNOWN", "error", "workplan"),
    Rule("KUK-WORKPLAN-OBJECTIVE-NO-ACTIVITY", "warning", "project"),
    # --- logframe and M&E
    Rule("KUK-INDICATOR-NO-QUANTITY", "coaching", ""),
    Rule("KUK-ME-OBJECTIVE-UNCOVERED", "warning", "me_plan"),
    Rule("KUK-VERIFICATION-NO-EVIDENCE", "coaching", ""),
    Rule("KUK-LOGFRAME-INPUTS", "coaching", "logframe"),
    # a cause or a consequence linked to a problem the tree's problems table lacks (1.1.0)
    Rule("KUK-PROBLEM-LINK-UNKNOWN", "warning", "problem"),
    # --- budget
    Rule("KUK-BUDGET-NEGATIVE", "error", "budget"),
    Rule("KUK-BUDGET-TOTAL-MISMATCH", "error", "budget"),
    Rule("KUK-BUDGET-LINE-NOT-IN-TOTAL", "warning", "budget"),
    Rule("KUK-BUDGET-ME-SHARE", "error", "budget"),
    # --- fundraising
    Rule("KUK-FUNDRAISING-ONE-SOURCE", "warning", "fundraising"),
    Rule("KUK-FUNDRAISING-LARGEST-SHARE", "coaching", "fundraising"),
    # a plan for less than the deck's 2-3 years (1.1.0)
    Rule("KUK-FUNDRAISING-HORIZON", "coaching", "fundraising"),
    # --- sustainability (1.1.0: the deck's two kinds)
    Rule("KUK-SUSTAINABILITY-KINDS", "warning", "sustainability"),
)

CATALOGUE: dict[str, Rule] = {r.code: r for r in RULES}
assert len(CATALOGUE) == len(RULES), "duplicate rule code"
