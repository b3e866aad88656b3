"""Rounds in a SQLite file (standard library sqlite3): append a cohort, compare two rounds.

Schema (documented in README, "Cohort database"):

    submissions(round, sha256, file, ngo, org_id, org_name, status, included, reason,
                completion, errors, warnings, coaching, budget_total, me_share, summary_json)
        PRIMARY KEY (round, sha256)
    completion(round, sha256, step, value)           -- completion 0..1 per step
    findings(round, sha256, code, severity, step, sheet, cell)

Re-running the same files into the same round adds nothing: rows are keyed by
the file's SHA-256.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kuk_xlsx.cohort.collect import Cohort
from kuk_xlsx.write.safe import storable

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    round TEXT NOT NULL, sha256 TEXT NOT NULL, file TEXT, ngo TEXT, org_id TEXT, org_name TEXT,
    status TEXT, included INTEGER, reason TEXT, completion REAL, errors INTEGER, warnings INTEGER,
    coaching INTEGER, budget_total REAL, me_share REAL, summary_json TEXT,
    PRIMARY KEY (round, sha256)
);
CREATE TABLE IF NOT EXISTS completion (
    round TEXT NOT NULL, sha256 TEXT NOT NULL, step TEXT NOT NULL, value REAL,
    PRIMARY KEY (round, sha256, step)
);
CREATE TABLE IF NOT EXISTS findings (
    round TEXT NOT NULL, sha256 TEXT NOT NULL, code TEXT, severity TEXT, step TEXT, sheet TEXT, cell TEXT
);
CREATE INDEX IF NOT EXISTS findings_round ON findings (round, sha256);
"""


def connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    return con


def append_round(path: Path, cohort: Cohort, round_name: str) -> int:
    """Add the cohort's files to ``round_name`` (every file, with whether it counted);
    return how many new ones count as submissions (a blank sent back does not)."""
    con = connect(path)
    added = 0
    try:
        with con:
            for rec in cohort.records:
                if not rec.sha256:
                    continue
                s = rec.summary
                n = s.get("findings", {})
                f = s.get("figures", {})
                cur = con.execute(
                    "INSERT OR IGNORE INTO submissions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    _storable(
                        (
                            round_name,
                            rec.sha256,
                            cohort.shown_path(rec),
                            rec.ngo,
                            "" if cohort.anonymise else rec.org_id,
                            "" if cohort.anonymise else rec.org_name,
                            rec.status,
                            int(rec.included),
                            rec.reason,
                            s.get("completion_overall"),
                            n.get("error"),
                            n.get("warning"),
                            n.get("coaching"),
                            f.get("budget_total"),
                            f.get("me_share"),
                            json.dumps(s, ensure_ascii=False) if not cohort.anonymise else "{}",
                        )
                    ),
                )
                if cur.rowcount == 0:
                    continue
                added += rec.included
                con.executemany(
                    "INSERT OR IGNORE INTO completion VALUES (?,?,?,?)",
                    [(round_name, rec.sha256, k, v) for k, v in s.get("completion", {}).items()],
                )
                con.executemany(
                    "INSERT INTO findings VALUES (?,?,?,?,?,?,?)",
                    [_storable((round_name, rec.sha256, *f_)) for f_ in rec.findings],
                )
    finally:
        con.close()
    return added


def _storable(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row SQLite can store as UTF-8: a file name's bytes that are not UTF-8 as U+FFFD."""
    return tuple(storable(v) if isinstance(v, str) else v for v in row)


@dataclass
class Change:
    ngo: str
    completion_a: float | None
    completion_b: float | None
    errors_a: int | None
    errors_b: int | None

    @property
    def delta(self) -> float | None:
        if self.completion_a is None or self.completion_b is None:
            return None
        return self.completion_b - self.completion_a


class UnknownRound(KeyError):
    """``compare`` was asked for a round the database does not hold."""

    def __init__(self, name: str, path: Path, known: list[str]) -> None:
        self.name, self.path, self.known = name, path, known
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """Which round is missing and which rounds there are, in ``lang``."""
        from kuk_xlsx.catalogue import text

        known = ", ".join(self.known) or text("cli.none", lang)
        return text("cli.compare.no_round", lang, name=self.name, db=self.path, known=known)


def compare_rounds(path: Path, round_a: str, round_b: str) -> list[Change]:
    """Per NGO (included submissions): completion and errors in round A and round B."""
    con = connect(path)
    try:
        known = {r[0] for r in con.execute("SELECT DISTINCT round FROM submissions")}
        for name in (round_a, round_b):
            if name not in known:
                raise UnknownRound(name, path, sorted(known))
        rows: dict[str, dict[str, tuple[float, int]]] = {}
        for rnd, ngo, completion, errors in con.execute(
            "SELECT round, ngo, completion, errors FROM submissions WHERE included = 1 AND round IN (?, ?)",
            (round_a, round_b),
        ):
            rows.setdefault(ngo, {})[rnd] = (completion, errors)
    finally:
        con.close()
    out = []
    for ngo in sorted(rows):
        a, b = rows[ngo].get(round_a), rows[ngo].get(round_b)
        out.append(
            Change(
                ngo,
                a[0] if a else None,
                b[0] if b else None,
                a[1] if a else None,
                b[1] if b else None,
            )
        )
    return out
