from __future__ import annotations

from pathlib import Path

import pytest

from kuk_xlsx.build.workbook import build_workbook
from kuk_xlsx.spec.template import Template, load_template


@pytest.fixture(scope="session")
def tpl() -> Template:
    return load_template()


@pytest.fixture(scope="session")
def blank(tmp_path_factory: pytest.TempPathFactory, tpl: Template) -> dict[str, Path]:
    """A blank workbook per language, built once for the session."""
    folder = tmp_path_factory.mktemp("blank")
    return {
        lang: build_workbook(folder / f"blank_{lang}.xlsx", lang=lang)
        for lang in ("kk", "ru", "en")
    }
