"""Workbook-level defined names, built from spec keys.

Every input area is reachable through a defined name; build and read both call
these, so the names exist in one place.
"""

from __future__ import annotations

from kuk_xlsx.spec.model import Template


def block_name(step: str, block: str) -> str:
    """Name of a block's whole area (header row plus input rows, or a grid)."""
    return f"kuk_{step}_{block}"


def column_name(step: str, block: str, column: str) -> str:
    """Name of a table column's input cells, a field's value cell, or a total's cell."""
    return f"kuk_{step}_{block}_{column}"


def list_name(choices: str) -> str:
    """Name of a dropdown list on the hidden lists sheet."""
    return f"kuk_list_{choices}"


def all_defined_names(tpl: Template) -> list[str]:
    """Every defined name a full workbook of ``tpl`` carries."""
    names = [list_name(k) for k in tpl.choices]
    for step in tpl.steps:
        for blk in step.blocks:
            if blk.kind != "fields":
                names.append(block_name(step.key, blk.key))
            names.extend(column_name(step.key, blk.key, c.key) for c in blk.columns)
            for tot in blk.totals:
                names.append(column_name(step.key, blk.key, tot.key))
                if tot.band:
                    names.append(column_name(step.key, blk.key, f"{tot.key}_min"))
                    names.append(column_name(step.key, blk.key, f"{tot.key}_max"))
    return names
