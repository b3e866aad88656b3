"""What a caller may ask of the builder, and how it says no.

The options of :func:`kuk_xlsx.build.workbook.build_workbook` that are more than a
flag: the organisation a roster pre-fills (:class:`Organisation`), the programme
levels, the shape of pre-filled values (:data:`PlanValues`) and the choice of steps
(:func:`select_steps`).  :class:`BuildError` is raised for options that cannot make
a workbook; the rest of the builder imports it from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kuk_xlsx.spec.template import Step, Template

LEVELS = ("national", "regional")

PlanValues = dict[str, dict[str, Any]]


class BuildError(Exception):
    """The options given cannot make a workbook (unknown module, language, ...)."""


@dataclass(frozen=True)
class Organisation:
    """What a roster says about one organisation; fields match roster keys in the spec."""

    id: str = ""
    name: str = ""
    region: str = ""
    contact_person: str = ""
    contact: str = ""


# The profile fields a built workbook carries already: the roster's values and the
# programme level (see build.blocks.prefill).  A workbook with nothing else in it
# has not been started.
PREFILLED = frozenset(("id", "name", "region", "contact_person", "contact", "level"))


def select_steps(tpl: Template, modules: Iterable[str] | None) -> list[Step]:
    """Steps for the given modules or step keys (``None``: all).  The profile is always in."""
    if not modules:
        return list(tpl.steps)
    wanted = {m.strip() for m in modules if m.strip()}
    known = set(tpl.modules) | {s.key for s in tpl.steps}
    unknown = sorted(wanted - known)
    if unknown:
        raise BuildError(
            f"unknown module or step {', '.join(unknown)}; "
            f"modules: {', '.join(tpl.modules)}; steps: {', '.join(s.key for s in tpl.steps)}"
        )
    return [s for s in tpl.steps if s.module == "core" or s.module in wanted or s.key in wanted]
