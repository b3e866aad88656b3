"""What every part of a feedback copy shares: our marks, colours, and inert cell writing.

``AUTHOR``, ``COMMENT_MARK`` and the very hidden ``STATE_SHEET`` are how a later
run tells our own feedback from the NGO's content (see :mod:`.undo`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kuk_xlsx.catalogue import label
from kuk_xlsx.spec.template import LISTS_SHEET, META_SHEET
from kuk_xlsx.write.safe import clean_text

AUTHOR = "kuk_xlsx"
STATE_SHEET = "_feedback"
STATE_VERSION = "1"
COMMENT_MARK = "kuk_xlsx ·"  # first words of every comment we write
COMMENT_SEPARATOR = "\n\n— — —\n"  # between our feedback and a comment that was there
MAX_RANGE_CELLS = 2_000  # a range finding colours at most this many cells

REVIEW_SHEET = label("outputs.review.sheet")

# Fills in the step sheets (light, so the NGO's text stays readable) and the
# matching dark font for the same colour used as a label on the review sheet.
HIGHLIGHT = {"error": "FFB3B3", "warning": "FFD08A", "coaching": "BDD7EE"}
HIGHLIGHT_FONT = {"error": "9C0006", "warning": "7F4F00", "coaching": "1F4E78"}
LIGHT_FILL = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE"}
LIGHT_FONT = {"green": "006100", "amber": "9C5700", "red": "9C0006"}
HEADER_FILL = "D9E1F2"
NOTE_FILL = "DDEBF7"
LINK_FONT = "0563C1"
SEVERITY_RANK = {"error": 0, "warning": 1, "coaching": 2}
STATUS_LIGHT = {"OK": "green", "WARNINGS": "amber", "ERRORS": "red", "UNREADABLE": "red"}


def record_states(states: dict[str, str]) -> tuple[str, ...]:
    """The states our record sheet may have in a workbook whose sheets have ``states``
    (name -> state).  We write it very hidden; LibreOffice saves it hidden; Google Sheets
    and gnumeric show every hidden sheet, and then our ``_meta`` and ``_lists`` are shown
    too, which an NGO cannot have done by hand to a record of its own."""
    shown = all(states.get(s) == "visible" for s in (META_SHEET, LISTS_SHEET))
    return ("veryHidden", "hidden", "visible") if shown else ("veryHidden", "hidden")


@dataclass
class State:
    """What one feedback run changed, so the next run can put it back."""

    fills: list[tuple[str, str, str, str]]  # sheet, cell, original fill XML, our colour
    comments: list[tuple[str, str, str, str]]  # sheet, cell, original text, original author


def put(cell: Any, value: Any) -> Any:
    """Set a cell so that text never becomes a formula, a link or a number."""
    if value is None or value == "":
        cell.value = None
        return cell
    if isinstance(value, bool | int | float):
        cell.value = value
        return cell
    text, _cut = clean_text(str(value))
    cell.value = text
    cell.data_type = "s"
    return cell


def sheet_ref(sheet: str, ref: str = "A1") -> str:
    """``'Sheet name'!B7`` (quotes doubled inside), as an internal link's location."""
    return "'" + sheet.replace("'", "''") + "'!" + ref
