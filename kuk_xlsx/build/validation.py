"""Dropdowns and data validation: the hidden lists sheet and each input range's rule.

Every choice list of the spec is written to the hidden lists sheet under a defined
name (:func:`kuk_xlsx.spec.template.list_name`); :func:`validate` points a choice,
yes/no or reference column at its list, and gives number, money, percent, date
and month columns a gentle rule.  Apart from choices and yes/no, the rules only
warn: a participant may always type what the list does not know yet.
"""

from __future__ import annotations

from datetime import datetime

from kuk_xlsx.build.state import BuildState
from kuk_xlsx.build.styles import MONTH_MARK
from kuk_xlsx.spec.template import LISTS_SHEET, Column, column_name, list_name
from kuk_xlsx.write.xlsx import xl_col_to_name


def lists_sheet(b: BuildState) -> None:
    """The hidden sheet with every choice list, each under its defined name."""
    ws = b.wb.add_worksheet(LISTS_SHEET)
    bold = b.fmt.get(bold=True)
    for col, (key, clist) in enumerate(b.tpl.choices.items()):
        ws.write_string(0, col, key, bold)
        labels = clist.labels(b.lang)
        for row, label in enumerate(labels, start=1):
            ws.write_string(row, col, label)
        letter = xl_col_to_name(col)
        b.wb.define_name(
            list_name(key), f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
        )
        ws.set_column(col, col, 30)
    ws.hide()


def validate(b: BuildState, col: Column, r0: int, c0: int, r1: int, c1: int) -> None:
    """Add ``col``'s data validation (if its type has one) to rows r0..r1, columns c0..c1."""
    opts: dict[str, object] | None = None
    if col.type == "choice" and col.choices:
        opts = {"validate": "list", "source": f"={list_name(col.choices)}"}
    elif col.type == "yes_no":
        opts = {"validate": "list", "source": f"={list_name('yes_no')}"}
    elif col.type == "ref" and col.ref:
        ref_step, ref_block, ref_col = col.ref.split(".")
        if ref_step in b.step_keys:
            # A warning, not a stop: the list is empty until step 7 is filled.
            opts = {
                "validate": "list",
                "source": f"={column_name(ref_step, ref_block, ref_col)}",
                "error_type": "warning",
            }
    elif col.type == "months":
        opts = {"validate": "list", "source": [MONTH_MARK], "error_type": "warning"}
    elif col.type in ("number", "money"):
        opts = {"validate": "decimal", "criteria": ">=", "value": 0, "error_type": "warning"}
    elif col.type == "percent":
        opts = {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 1,
            "error_type": "warning",
        }
    elif col.type == "date":
        opts = {
            "validate": "date",
            "criteria": ">",
            "value": datetime(1990, 1, 1),
            "error_type": "warning",
        }
    if opts is not None:
        opts.setdefault("ignore_blank", True)
        b.ws.data_validation(r0, c0, r1, c1, opts)
