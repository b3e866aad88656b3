"""Rosters: the list of organisations a trainer generates workbooks for."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from kuk_xlsx.build.workbook import Organisation
from kuk_xlsx.catalogue import Label, text
from kuk_xlsx.spec.template import Template, load_template
from kuk_xlsx.write.safe import safe_filename

# A training's roster lists tens of NGOs, a programme's a few thousand; more is a
# wrong file (each row becomes a workbook, about 0.1 s each).
MAX_ROSTER_ROWS = 5_000
MAX_ROSTER_BYTES = 16 * 2**20


class RosterError(Exception):
    """The roster cannot be used; the message names the columns or rows at fault.

    Each problem is a catalogue key and its fields (a column's label is given as a
    :class:`Label` and said in the reader's language); ``str()`` is English.
    """

    def __init__(self, path: Path, *problems: tuple[str, dict[str, object]]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """Every problem, in ``lang``, after the roster's file name."""

        def said(value: object) -> object:
            return value.get(lang) if isinstance(value, Label) else value

        parts = [
            text(key, lang, **{k: said(v) for k, v in fields.items()})
            for key, fields in self.problems
        ]
        return f"{self.path}: " + "; ".join(parts)


@dataclass(frozen=True)
class RosterEntry:
    row: int  # as the trainer sees it in the roster file (header is row 1)
    org: Organisation


def _norm(text: object) -> str:
    return re.sub(r"[\s\u00a0]+", " ", str(text or "")).strip().casefold()


def _rows_from_file(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from kuk_xlsx.package.preflight import ReadError
        from kuk_xlsx.read.reader import first_sheet_rows

        try:
            return first_sheet_rows(path)
        except ReadError:
            raise RosterError(path, ("roster.damaged", {})) from None
    if suffix not in (".csv", ".txt"):
        raise RosterError(path, ("roster.not_csv", {}))
    if path.stat().st_size > MAX_ROSTER_BYTES:
        raise RosterError(path, ("roster.too_large", {"limit": MAX_ROSTER_BYTES // 2**20}))
    raw = path.read_bytes()
    # Excel's "Unicode text" export is UTF-16 with a byte-order mark
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1251"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes any byte string
        raise RosterError(path, ("roster.undecodable", {}))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    except csv.Error:  # a field over csv's limit, a NUL byte: not a roster we can read
        raise RosterError(path, ("roster.damaged", {})) from None


def read_roster(path: Path | str, template: Template | None = None) -> list[RosterEntry]:
    """Read a roster (.csv in UTF-8 or Windows-1251, or .xlsx); headers in kk, ru or en."""
    tpl = template or load_template()
    path = Path(path)
    try:
        rows = _rows_from_file(path)
    except OSError as exc:
        raise RosterError(path, ("roster.cannot_read", {"why": exc.strerror or exc})) from None
    while rows and not any(str(c).strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise RosterError(path, ("roster.empty", {}))
    if len(rows) - 1 > MAX_ROSTER_ROWS:
        raise RosterError(
            path, ("roster.too_many", {"rows": len(rows) - 1, "limit": MAX_ROSTER_ROWS})
        )
    header = [_norm(h) for h in rows[0]]
    where: dict[str, int] = {}
    for col in tpl.roster:
        names = {_norm(col.key), *(_norm(t) for t in col.label.all())}
        for i, h in enumerate(header):
            if h in names and col.key not in where:
                where[col.key] = i
    missing = [c for c in tpl.roster if c.required and c.key not in where]
    if missing:
        found = ", ".join(str(h) for h in rows[0])
        raise RosterError(
            path,
            *[("roster.missing_column", {"column": c.label, "name": c.key}) for c in missing],
            ("roster.header_has", {"found": found}),
        )
    entries: list[RosterEntry] = []
    problems: list[tuple[str, dict[str, object]]] = []
    seen: dict[str, int] = {}
    for n, raw_row in enumerate(rows[1:], start=2):
        values = {k: str(raw_row[i]).strip() if i < len(raw_row) else "" for k, i in where.items()}
        if not any(values.values()):
            continue
        for col in tpl.roster:
            if col.required and not values.get(col.key):
                problems.append(("roster.row_empty", {"row": n, "column": col.label}))
        oid = values.get("id", "")
        if oid:
            key = oid.casefold()
            if key in seen:
                problems.append(("roster.duplicate_id", {"first": seen[key], "row": n, "id": oid}))
            else:
                seen[key] = n
        entries.append(RosterEntry(n, Organisation(**values)))
    if problems:
        raise RosterError(path, *problems)
    if not entries:
        raise RosterError(path, ("roster.no_entries", {}))
    return entries


def roster_filenames(entries: list[RosterEntry]) -> list[str]:
    """One file name per entry: safe on Windows, unique even ignoring case."""
    names: list[str] = []
    taken: set[str] = set()
    for e in entries:
        stem = safe_filename(f"{e.org.id}_{e.org.name}")
        candidate, i = stem, 2
        while candidate.casefold() in taken:
            candidate = f"{stem}_{i}"
            i += 1
        taken.add(candidate.casefold())
        names.append(candidate + ".xlsx")
    return names
