"""What a package may hold, and how the preflight says why it refused a file.

The limits every check is made against (:class:`Limits`, one frozen default
:data:`LIMITS`), the plain messages in kk/ru/en for each kind of refusal and for
the limit a file went over, and the error every check raises:
:class:`ReadError`, carrying a :class:`FileProblem` (language-neutral, rendered
in the reader's language on demand).  Nothing here looks at a file.
"""

from __future__ import annotations

from dataclasses import dataclass

from kuk_xlsx.catalogue import Label, labels


@dataclass(frozen=True)
class Limits:
    """What a package may hold; the message for a file over a limit names it."""

    max_file_bytes: int = 128 * 1024 * 1024  # the file as sent, before anything is unpacked
    max_entries: int = 2_000
    max_part_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, for parts over 1 MiB
    # Parts parsed into a tree here (workbook.xml, its rels, custom.xml): ours are ~10 KB.
    max_parsed_part_bytes: int = 8 * 1024 * 1024
    # The area of a sheet handed to the cell reader; cells beyond are dropped first.
    max_rows: int = 10_000
    max_cols: int = 78
    # Sheet XML handed to the cell reader, all sheets together (a full 10,000 x 78
    # sheet is about 30 MB): bounds the values read into memory.
    max_sheet_bytes: int = 64 * 1024 * 1024
    # For readers that build every cell, formatted or not (openpyxl): cells in all sheets.
    max_cells: int = 100_000
    # The area of all sheets one read looks at (rows x columns of each grid read):
    # five full 10,000 x 78 sheets.  150 sheets with a value at BZ10000, searched
    # for a step's title, took 9 s and 1.1 GB.
    max_read_cells: int = 4_000_000
    # The shared strings, parsed whole by every reader (ours are ~50 KB; 16 MiB is
    # ~700,000 short texts: 0.4 s and 160 MB to read).
    max_shared_strings_bytes: int = 16 * 1024 * 1024
    # For the feedback copy (openpyxl makes an object of every style and text, and
    # writes them back): styles up to Excel's own 64,000 cell formats (~4-6 MB),
    # shared strings up to ~150,000 texts.
    max_copy_styles_bytes: int = 6 * 1024 * 1024
    max_copy_shared_strings_bytes: int = 4 * 1024 * 1024


LIMITS = Limits()

MESSAGES: dict[str, Label] = labels("package.problem")  # (catalogue/package.toml)

# The limit a file went over, named in the user's language ({part}: the part).
LIMIT_TEXT: dict[str, Label] = labels("package.limit")  # (catalogue/package.toml)


@dataclass(frozen=True)
class FileProblem:
    """Why a file cannot be read at all; rendered in the user's language.

    ``detail`` is language-neutral (a part name); a file over a limit also
    carries the limit's name (a :class:`Limits` field), what was found and the
    limit, so the message names the limit in the user's language.
    """

    code: str
    path: str
    detail: str = ""
    limit: str = ""
    found: int = 0
    maximum: int = 0

    def fields(self) -> dict[str, str | int]:
        """What the message is made from, for a finding's params (JSON-able)."""
        return {
            "detail": self.detail,
            "limit": self.limit,
            "found": self.found,
            "maximum": self.maximum,
        }

    def message(self, lang: str) -> str:
        """The plain message in ``lang``."""
        label = MESSAGES.get(self.code, MESSAGES["unreadable"])
        detail = self.detail
        if self.limit in LIMIT_TEXT:
            detail = (
                LIMIT_TEXT[self.limit]
                .get(lang)
                .format(part=self.detail, found=self.found, limit=self.maximum)
            )
        return label.get(lang).format(detail=f" ({detail})" if detail else "")


class ReadError(Exception):
    """The file cannot be read as a workbook at all; ``problem`` says why."""

    def __init__(self, problem: FileProblem) -> None:
        self.problem = problem
        super().__init__(problem.message("en"))
