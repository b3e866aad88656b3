"""Reading fields and grid blocks: single cells and fixed rows, each in a cell of its own.

A fields block's every column is one cell, found by its defined name, else by its
label in any language (the cell to its right); a grid block is a header and fixed
rows, found by its name or its headers, each row found again by its label should
rows have been inserted.  Every cell is typed by :meth:`_SheetReader.typed`.
"""

from __future__ import annotations

from kuk_xlsx.read.a1 import cell_ref
from kuk_xlsx.read.model import BlockData
from kuk_xlsx.read.sheet import _SheetReader
from kuk_xlsx.read.values import normalise_label
from kuk_xlsx.spec.template import Block, Column, Step, block_name, column_name


class _Fields(_SheetReader):
    """Fields and grid blocks read into a :class:`BlockData`."""

    def read_fields(self, step: Step, blk: Block, sheet: str, out: BlockData) -> None:
        for col in blk.columns:
            rng = self.name_range(column_name(step.key, blk.key, col.key), sheet)
            if rng is None:
                rng = self.find_label(sheet, col)
                if rng is None:
                    continue
                self.note(
                    "name-fallback",
                    sheet=sheet,
                    step=step.key,
                    column=col.key,
                    cell=cell_ref(rng[0], rng[1]),
                    note="found by its label",
                )
            out.cells[col.key] = cell_ref(rng[0], rng[1])
            value = self.typed(step, col, sheet, rng[0], rng[1])
            if value is not None:
                out.fields[col.key] = value

    def find_label(self, sheet: str, col: Column) -> tuple[int, int, int, int] | None:
        labels = {normalise_label(t) for t in col.label.all()}
        for r, row in enumerate(self.grid(sheet)):
            for c, v in enumerate(row[:3]):
                if normalise_label(v) in labels:
                    for c2 in range(c + 1, min(len(row), c + 4)):
                        return (r, c2, r, c2)
        return None

    def read_grid(self, step: Step, blk: Block, sheet: str, out: BlockData) -> None:
        area = self.name_range(block_name(step.key, blk.key), sheet)
        if area is None:
            area = self.find_header(sheet, blk, first_col=1)
            if area is None:
                return
            self.note(
                "name-fallback", sheet=sheet, step=step.key, note=f"{blk.key}: found by its headers"
            )
        r0, c0 = area[0], area[1]
        out.area = f"{cell_ref(r0, c0)}:{cell_ref(area[2], area[3])}"
        row_labels = {fr.key: {normalise_label(t) for t in fr.label.all()} for fr in blk.fixed_rows}
        for i, fr in enumerate(blk.fixed_rows):
            r = r0 + 1 + i
            # rows may have been inserted: find the row by its label below the header
            for rr in range(r0 + 1, min(r0 + 40, len(self.grid(sheet)))):
                if normalise_label(self.cell(sheet, rr, c0)) in row_labels[fr.key]:
                    r = rr
                    break
            for j, col in enumerate(blk.columns):
                out.cells[f"{fr.key}.{col.key}"] = cell_ref(r, c0 + 1 + j)
                value = self.typed(step, col, sheet, r, c0 + 1 + j)
                if value is not None:
                    out.fields[f"{fr.key}.{col.key}"] = value
