"""How the training workbook's cells look: fills, the format cache, input and header formats.

Inputs are light yellow (the "type here" convention of many NGO forms),
instructions light blue, examples light grey, headers grey-blue; a ticked month
cell holds :data:`MONTH_MARK` and turns green.  xlsxwriter wants one format object
per distinct look, so :class:`Formats` hands out one per set of properties, on top
of the workbook's base font.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kuk_xlsx.spec.template import Column
from kuk_xlsx.write.xlsx import Workbook

MONTH_MARK = "x"

INPUT_FILL = "#FFF2CC"
HEADER_FILL = "#D9E1F2"
INSTR_FILL = "#DDEBF7"
EXAMPLE_FILL = "#F2F2F2"
GOOD_FILL = "#C6EFCE"
BAD_FILL = "#FFC7CE"
MONTH_FILL = "#A9D08E"


@dataclass
class Formats:
    """The workbook's formats, one per distinct set of properties."""

    wb: Workbook
    cache: dict[tuple, object] = field(default_factory=dict)

    def get(self, **props: object) -> object:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
            self.cache[key] = self.wb.add_format({**base, **props})
        return self.cache[key]


def input_format(fmt: Formats, col: Column) -> object:
    """The unlocked, yellow format of an input cell of ``col``'s type."""
    props: dict[str, object] = {
        "bg_color": INPUT_FILL,
        "border": 1,
        "border_color": "#BFBFBF",
        "locked": False,
        "text_wrap": col.type in ("long_text", "text", "choice", "ref"),
    }
    num = {"money": "#,##0", "percent": "0.0%", "date": "dd.mm.yyyy", "number": "General"}
    if col.type in num:
        props["num_format"] = num[col.type]
    if col.type in ("yes_no", "months"):
        props["align"] = "center"
    return fmt.get(**props)


def header_format(fmt: Formats) -> object:
    """The format of a table's or grid's header row."""
    return fmt.get(bold=True, text_wrap=True, bg_color=HEADER_FILL, border=1, valign="vcenter")
