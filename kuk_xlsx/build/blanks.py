"""Regenerate the committed blank templates: ``python -m kuk_xlsx.build.blanks``."""

from __future__ import annotations

from pathlib import Path

from kuk_xlsx.build.workbook import build_workbook
from kuk_xlsx.spec.template import LANGS, templates_root


def write_blank_templates(folder: Path | None = None) -> list[Path]:
    """Write ``kuk_workbook_{lang}.xlsx`` for every language into ``folder``."""
    folder = folder or templates_root() / "blank"
    return [build_workbook(folder / f"kuk_workbook_{lang}.xlsx", lang=lang) for lang in LANGS]


if __name__ == "__main__":
    for path in write_blank_templates():
        print(path)
