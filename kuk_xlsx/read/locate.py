"""Which template, language and organisation a workbook is, and which sheet holds each step.

The template and the organisation come from the hidden meta sheet, else from the
document properties (disagreements noted); the language, when neither says it,
from the sheet names.  A step's sheet is found through the defined names of its
blocks first (they survive renames and reorders), then by its sheet name in any
language, then by the step's title in the top rows; every fallback is noted.
"""

from __future__ import annotations

from kuk_xlsx.read.sheet import _SheetReader
from kuk_xlsx.read.values import clean_text, normalise_label
from kuk_xlsx.spec.model import template_cache
from kuk_xlsx.spec.template import (
    LANGS,
    LISTS_SHEET,
    META_SHEET,
    Step,
    Template,
    block_name,
    column_name,
)

META_KEYS = (
    "template_id",
    "template_version",
    "spec_hash",
    "language",
    "level",
    "org_id",
    "org_name",
)


def released_hashes(tpl: Template) -> frozenset[str]:
    """The spec hashes of the builds of ``tpl`` that went out (its releases.toml), and
    its own: a workbook carrying any other hash was made from a spec we cannot vouch for."""
    return tpl.released_hashes | {tpl.spec_hash}


class _Locate(_SheetReader):
    """The workbook identified, and each step's sheet found."""

    # --- which template, language, organisation -------------------------------
    @property
    def lang(self) -> str:
        return self.plan.language if self.plan.language in LANGS else "kk"

    def identify(self) -> None:
        meta = self.meta_sheet_values()
        props = {k[4:]: v for k, v in self.pkg.custom.items() if k.startswith("kuk_")}
        for key in META_KEYS:
            a, b = meta.get(key, ""), props.get(key, "")
            if a and b and a != b:
                self.note(
                    "meta-mismatch",
                    column=key,
                    raw=b,
                    value=a,
                    note="the meta sheet and the document properties disagree; the meta sheet wins",
                )
            setattr(self.plan, key, a or b)
        if not meta and props:
            self.note("meta-sheet-missing", note="template identified from the document properties")
        if not meta and not props:
            self.note("not-identified", note="no meta sheet and no document properties")
        if self.plan.language not in LANGS:
            self.plan.language = self.guess_language()
        states = dict(self.pkg.sheets)
        if states.get(META_SHEET) == "visible":
            if states.get(LISTS_SHEET) == "visible":
                # both our hidden sheets shown: the program that saved the file shows
                # every sheet (Google Sheets, gnumeric), not a person opening one
                self.note(
                    "hidden-sheets-shown",
                    sheet=META_SHEET,
                    note="the program that saved the file showed every hidden sheet",
                )
            else:
                self.note(
                    "meta-sheet-visible",
                    sheet=META_SHEET,
                    note="the hidden meta sheet was made visible",
                )
        if self.plan.spec_hash and self.plan.spec_hash not in released_hashes(self.tpl):
            self.plan.spec_known = False
            if self.plan.template_version == self.tpl.version:
                self.note("spec-hash-differs", raw=self.plan.spec_hash, value=self.tpl.spec_hash)

    def meta_sheet_values(self) -> dict[str, str]:
        if self._meta is None:
            self._meta = {}
            if META_SHEET in dict(self.pkg.sheets):
                grid = self.grid(META_SHEET)
                self._meta = {
                    clean_text(r[0]): clean_text(r[1])
                    for r in grid
                    if len(r) > 1 and clean_text(r[0])
                }
        return self._meta

    def guess_language(self) -> str:
        names = {normalise_label(n) for n, _ in self.pkg.sheets}
        best, score = "kk", 0
        for lang in LANGS:
            hits = sum(normalise_label(s.sheet.get(lang)) in names for s in self.tpl.steps)
            if hits > score:
                best, score = lang, hits
        return best

    def expected_step_keys(self) -> set[str]:
        if self._expected is not None:
            return self._expected
        listed = {k for k in self.meta_value("steps").split(",") if k}
        known = {s.key for s in self.tpl.steps}
        self._expected = (listed & known) or known
        return self._expected

    def meta_value(self, key: str) -> str:
        return self.meta_sheet_values().get(key) or self.pkg.custom.get(f"kuk_{key}", "")

    # --- locating a step's sheet -------------------------------------------------
    def sheet_names(self) -> list[str]:
        return self._sheet_names

    def _owned_by_names(self) -> dict[str, str]:
        """Sheet -> the step whose blocks' defined names lead to it (the first such)."""
        if self._owners is None:
            self._owners = {}
            for st in self.tpl.steps:
                for key in _step_names(self.tpl, st):
                    dest = self.destination(key)
                    if dest is not None:
                        self._owners.setdefault(dest[0], st.key)
                        break
        return self._owners

    def find_sheet(self, step: Step) -> str | None:
        names = self.sheet_names()
        present = self._present
        # 1. through the defined names of its blocks (survive renames and reorders)
        for key in _step_names(self.tpl, step):
            dest = self.destination(key)
            if dest and dest[0] in present:
                return dest[0]
        # a sheet another step's defined names lead to is that step's: never this one's
        # (a step whose sheet the NGO deleted is missing, not read from its neighbour)
        owned = self._owned_by_names()
        names = [n for n in names if owned.get(n, step.key) == step.key]
        # 2. by the sheet name in any language
        wanted = {normalise_label(t) for t in step.sheet.all()}
        for name in names:
            if normalise_label(name) in wanted:
                self.note(
                    "sheet-by-name",
                    sheet=name,
                    step=step.key,
                    note="no defined name; found by sheet name",
                )
                return name
        # 3. by the step title in the top rows: a sheet's first row (where its title
        # stands) before any sheet's second and third (where another sheet's
        # instructions may name this step: "… building a network …")
        titles = {normalise_label(t) for t in step.title.all()}
        searched = [n for n in names if n not in (LISTS_SHEET, META_SHEET)]
        for r in range(3):
            for name in searched:
                grid = self.grid(name)
                for v in grid[r][:2] if r < len(grid) else ():
                    text = normalise_label(v)
                    if text and any(t in text for t in titles):
                        self.note(
                            "sheet-by-title",
                            sheet=name,
                            step=step.key,
                            note="found by the title on the sheet",
                        )
                        return name
        return None


@template_cache
def _step_names(tpl: Template, step: Step) -> tuple[str, ...]:
    """The defined names of a step's blocks and their columns, in the order tried."""
    return tuple(
        key
        for blk in step.blocks
        for key in (
            block_name(step.key, blk.key),
            *(column_name(step.key, blk.key, c.key) for c in blk.columns),
        )
    )
