"""The version -> changes table: how each template version renamed, added or dropped keys.

It is data, in the template folder's ``changes.toml``::

    [[change]]
    version = "1.1.0"      # the version that made the change
    kind = "rename"        # rename | add | drop
    key = "project.summary.partners"   # as the version before named it
    to = "project.partners.partner"    # a rename's new key

A workbook of an older released version is read by that version's own layout
(``released/<version>/``), then its keys are mapped to the current template's
through the changes of every version between, renames composed in order: the
reader does it for ``validate``, summaries and cohorts, and ``kuk-xlsx migrate``
to carry the answers into a fresh workbook.  A key the current template lacks is
never carried, listed here or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

KINDS = ("rename", "add", "drop")
# A version as a workbook's meta sheet names it: digits and dots only (it comes from an
# NGO's file, and a released version's spec is found by it in a folder of that name).
VERSION_RE = re.compile(r"[0-9]{1,4}(\.[0-9]{1,4}){1,3}")
_KEY_PART = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


@dataclass(frozen=True)
class Change:
    """One change a template version made to the keys of the version before it.

    ``key`` is ``"step"``, ``"step.block"`` or ``"step.block.column"`` as the
    version before named it; ``to`` is the new full key of a rename.  ``kind``:
    ``rename`` (values follow the key), ``add`` (new and empty: listed so the NGO
    fills it), ``drop`` (its values are listed, not carried).
    """

    kind: str
    key: str
    to: str = ""


def version_tuple(v: str) -> tuple[int, ...]:
    """``"1.10.0"`` -> ``(1, 10, 0)``; ``()`` for a text that is not a version."""
    try:
        return tuple(int(p) for p in v.split("."))
    except ValueError:
        return ()


def changes_between(old: str, new: str, table: Mapping[str, tuple[Change, ...]]) -> list[Change]:
    """The changes of every version after ``old`` up to ``new``, oldest first.

    A version we cannot parse (a file that does not say) is taken as the first.
    """
    lo, hi = version_tuple(old), version_tuple(new)
    return [
        ch
        for v in sorted(table, key=version_tuple)
        if lo < version_tuple(v) <= hi
        for ch in table[v]
    ]


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


def parse_changes(
    raw: dict[str, Any], fail: Callable[[str, str], Exception]
) -> dict[str, tuple[Change, ...]]:
    """changes.toml's ``[[change]]`` tables, checked: ``fail(key_path, message)`` makes
    the error to raise (the loader's, which names the file)."""
    unknown = set(raw) - {"change"}
    if unknown:
        raise fail(sorted(unknown)[0], "unknown key (only [[change]] tables)")
    items = raw.get("change", [])
    if not isinstance(items, list):
        raise fail("change", "expected [[change]] tables")
    out: dict[str, list[Change]] = {}
    for i, item in enumerate(items):
        at = f"change[{i}]"
        if not isinstance(item, dict):
            raise fail(at, "expected a table [[change]]")
        extra = set(item) - {"version", "kind", "key", "to"}
        if extra:
            raise fail(f"{at}.{sorted(extra)[0]}", "unknown key")
        version, kind, key, to = (item.get(k, "") for k in ("version", "kind", "key", "to"))
        if not isinstance(version, str) or not VERSION_RE.fullmatch(version):
            raise fail(f"{at}.version", f"{version!r} is not a version like 1.1.0")
        if kind not in KINDS:
            raise fail(f"{at}.kind", f"{kind!r} is not one of {', '.join(KINDS)}")
        if (kind == "rename") != bool(to):
            raise fail(f"{at}.to", "a rename needs 'to'; only a rename has it")
        for k in (key, to) if to else (key,):
            parts = k.split(".") if isinstance(k, str) else []
            if not 1 <= len(parts) <= 3 or not all(_KEY_PART.fullmatch(p) for p in parts):
                raise fail(at, f"{k!r} is not step, step.block or step.block.column")
        out.setdefault(version, []).append(Change(kind, key, to))
    return {v: tuple(chs) for v, chs in out.items()}
