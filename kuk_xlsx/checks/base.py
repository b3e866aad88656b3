"""What every check shares: a finding as data, a file's report, the context a check
reads, and the registry the checks join in the order they are defined.

A bad cell yields a :class:`Finding`; validation never stops at the first one.
Messages are rendered from a finding's fields only at output time
(:func:`kuk_xlsx.render.render`), in the language asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kuk_xlsx.checks.rules import CATALOGUE
from kuk_xlsx.package.preflight import FileProblem
from kuk_xlsx.read.model import PlanData, Value
from kuk_xlsx.read.values import normalise_label
from kuk_xlsx.spec.template import Template


@dataclass(frozen=True)
class Choices:
    """Entries of one dropdown list, by key: a finding names choices this way, and
    they are shown as their labels in the reader's language only at output time."""

    list_key: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class SpecKeys:
    """Steps, blocks or columns of the template by key (``step``, ``step.block``,
    ``step.block.column``): shown as their names in the reader's language only at
    output time."""

    keys: tuple[str, ...]


@dataclass
class Finding:
    """One problem, located as Excel shows it; the message is rendered later."""

    code: str
    step: str = ""
    sheet: str = ""
    cell: str = ""
    column: str = ""  # the column's key in the spec
    value: Any = None
    expected: Any = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code].severity


@dataclass
class Report:
    """Everything validation found in one file."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    problem: FileProblem | None = None
    plan: PlanData | None = None

    @property
    def status(self) -> str:
        """``UNREADABLE``, ``ERRORS``, ``WARNINGS`` or ``OK`` (coaching never lowers it)."""
        if self.problem is not None:
            return "UNREADABLE"
        severities = {f.severity for f in self.findings}
        if "error" in severities:
            return "ERRORS"
        if "warning" in severities:
            return "WARNINGS"
        return "OK"

    @property
    def verdict(self) -> str:
        """The status as told to a person: ``OK_COACHING`` for a file with no error or
        warning but with suggestions ("OK, with N suggestions", never "correct"), else
        :attr:`status`.  Its words are ``outputs.status.<verdict>`` (``{n}``: suggestions)."""
        if self.status == "OK" and any(f.severity == "coaching" for f in self.findings):
            return "OK_COACHING"
        return self.status

    def counts(self) -> dict[str, int]:
        """Findings per severity."""
        out = {"error": 0, "warning": 0, "coaching": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out


class Context:
    """What a check needs: the spec, the plan, the language labels are shown in."""

    def __init__(self, tpl: Template, plan: PlanData) -> None:
        self.tpl = tpl
        self.plan = plan
        self.lang = plan.language if plan.language in ("kk", "ru", "en") else "kk"
        self.empty_steps: set[str] = set()

    def present(self, step: str) -> bool:
        return step in self.plan.steps and step not in self.empty_steps

    def rows(self, step: str, block: str) -> list[Any]:
        blk = self.plan.block(step, block) if self.present(step) else None
        return blk.rows if blk else []


def unknown_links(
    refs: Iterable[Value], targets: Iterable[Value], code: str, step: str, column: str
) -> Iterator[Finding]:
    """A cell of a linking column (a dropdown of another table's rows) naming a row that
    table lacks: typed past the list, or the row reworded since.  Compared as labels
    are (case and spaces aside)."""
    known = {normalise_label(t.value) for t in targets}
    for v in refs:
        if normalise_label(v.value) not in known:
            yield Finding(code, step=step, sheet=v.sheet, cell=v.cell, column=column, value=v.value)


Check = Callable[[Context], Iterable[Finding]]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    """Register a check; they run in the order they are defined."""
    CHECKS.append(fn)
    return fn
