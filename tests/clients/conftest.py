"""The fixtures, built once for the session: sources, client files, their reports and copies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kuk_xlsx
from kuk_xlsx.checks.engine import Report
from kuk_xlsx.read.model import PlanData
from tests.clients.emulate import CLIENTS, build
from tests.clients.source import build_sources


@pytest.fixture(scope="session")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_sources(tmp_path_factory.mktemp("client_sources"))


@pytest.fixture(scope="session")
def source_reports(sources: dict[str, Path]) -> dict[str, Report]:
    return {lang: kuk_xlsx.validate(path) for lang, path in sources.items()}


@pytest.fixture(scope="session")
def source_plans(source_reports: dict[str, Report]) -> dict[str, PlanData]:
    plans = {}
    for lang, report in source_reports.items():
        assert report.plan is not None, report.problem
        plans[lang] = report.plan
    return plans


@pytest.fixture(scope="session")
def client_files(
    tmp_path_factory: pytest.TempPathFactory,
    sources: dict[str, Path],
    source_plans: dict[str, PlanData],
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("client_files")
    return {
        c.name: build(c, sources[c.lang], source_plans[c.lang], folder / f"{c.name}.xlsx")
        for c in CLIENTS
    }


@pytest.fixture(scope="session")
def client_reports(client_files: dict[str, Path]) -> dict[str, Report]:
    return {name: kuk_xlsx.validate(path) for name, path in client_files.items()}


@pytest.fixture(scope="session")
def client_copies(
    tmp_path_factory: pytest.TempPathFactory, client_reports: dict[str, Report]
) -> dict[str, Any]:
    """Each client file's feedback copy (in the file's own language), or the error."""
    folder = tmp_path_factory.mktemp("client_copies")
    out: dict[str, Any] = {}
    for c in CLIENTS:
        try:
            out[c.name] = kuk_xlsx.write_feedback(client_reports[c.name], folder / c.name, c.lang)
        except Exception as exc:  # (said by the test that needs the copy)
            out[c.name] = exc
    return out
