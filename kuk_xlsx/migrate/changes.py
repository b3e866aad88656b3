"""The version -> changes table: how each template version renamed, added or dropped keys.

A workbook made from an older version is read, then its keys are mapped to the
current template's through the changes of every version between (renames composed
in order).  Adding a template version with changed keys is adding its entry to
:data:`CHANGES`; a key the current template lacks is never carried, listed here or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One change a template version made to the keys of the version before it.

    ``key`` is ``"step"``, ``"step.block"`` or ``"step.block.column"`` as the
    version before named it; ``to`` is the new full key of a rename.  ``kind``:
    ``rename`` (values follow the key), ``add`` (new and empty: listed so the NGO
    fills it), ``drop`` (its values are listed, not carried).  A key the target
    template lacks is never carried, listed or not here.
    """

    kind: str
    key: str
    to: str = ""


# version -> the changes it made to the version before it.  1.0.0 is the first
# release; template 1.1.0 adds its entry here, e.g.
#   "1.1.0": (Change("rename", "profile.org.areas", "profile.org.activities"),
#             Change("add", "network.goal"), Change("drop", "swot_external.barriers"))
CHANGES: dict[str, tuple[Change, ...]] = {}


def _version(v: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in v.split("."))
    except ValueError:
        return ()


def changes_between(
    old: str, new: str, table: Mapping[str, tuple[Change, ...]] | None = None
) -> list[Change]:
    """The changes of every version after ``old`` up to ``new``, oldest first.

    A version we cannot parse (a file that does not say) is taken as the first.
    """
    table = CHANGES if table is None else table
    lo, hi = _version(old), _version(new)
    return [ch for v in sorted(table, key=_version) if lo < _version(v) <= hi for ch in table[v]]


class KeyMap:
    """Old keys -> current keys through a list of changes (renames composed in order)."""

    def __init__(self, changes: list[Change]) -> None:
        self.renames: list[tuple[str, str]] = [(c.key, c.to) for c in changes if c.kind == "rename"]
        self.dropped: set[str] = {c.key for c in changes if c.kind == "drop"}
        self.added: list[str] = [c.key for c in changes if c.kind == "add"]

    def key(self, old: str) -> str | None:
        """The current key of ``old`` (``None``: dropped); a rename of a step or block
        moves everything under it."""
        key = old
        for src, dst in self.renames:
            if key == src or key.startswith(src + "."):
                key = dst + key[len(src) :]
        parts = key.split(".")
        if any(".".join(parts[: i + 1]) in self.dropped for i in range(len(parts))):
            return None
        return key
