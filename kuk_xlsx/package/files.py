"""Which files a command works on: paths, globs and folders, minus lock and hidden files."""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from kuk_xlsx.catalogue import labels

# Spreadsheet-like files a trainer may find among returned attachments: the
# ones we cannot read still get a status and a plain message.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")

SKIP_REASONS = labels("package.skip")  # (catalogue/package.toml)


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str  # a key of SKIP_REASONS

    def message(self, lang: str) -> str:
        return f"{self.path}: {SKIP_REASONS[self.reason].get(lang)}"


def collect(paths: list[Path] | tuple[Path, ...]) -> tuple[list[Path], list[Skipped]]:
    """Expand folders (recursively) and globs; keep order, drop duplicates."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()

    def add(p: Path, explicit: bool) -> None:
        if p.name.startswith("~$"):
            skipped.append(Skipped(p, "lock"))
        elif p.name.startswith(".") or any(
            part.startswith(".") and part not in (".", "..")
            for part in p.parts[:-1]
            if not explicit
        ):
            skipped.append(Skipped(p, "hidden"))
        else:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                files.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and child.suffix.lower() in WORKBOOK_SUFFIXES:
                    add(child, explicit=False)
        elif p.is_file():
            add(p, explicit=True)
        elif p.exists():  # a pipe or a device: reading it could wait for ever
            skipped.append(Skipped(p, "not-file"))
        elif any(ch in str(raw) for ch in "*?["):
            for match in sorted(glob.glob(str(raw), recursive=True)):
                if Path(match).is_file():
                    add(Path(match), explicit=False)
        else:
            skipped.append(Skipped(p, "missing"))
    return files, skipped
