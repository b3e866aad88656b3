"""Our filled workbooks as other programs save them read back exactly (#15, item 1).

Each fixture (see :mod:`tests.clients.emulate`) is one fully filled source workbook
rewritten the way one client writes it.  Read back, it must give every input
value the source gives, in the same cell; the same template, version, language
and organisation; only the interpretations its client's change explains; and the
same findings as the source (nothing the NGO did not do).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from kuk_xlsx.checks.engine import Report
from kuk_xlsx.read.model import PlanData
from kuk_xlsx.read.reader import ReadError, read_workbook_bytes
from kuk_xlsx.spec.template import Template
from tests.clients.compare import added_notes, identity, located, raws, renamed, values
from tests.clients.emulate import CLIENTS, Client
from tests.clients.zipxml import Book

each_client = pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.name)


def _plan(report: Report) -> PlanData:
    assert report.plan is not None, report.problem
    return report.plan


@each_client
def test_the_fixture_has_its_clients_shape(
    client: Client, client_files: dict[str, Path], sources: dict[str, Path]
) -> None:
    data = client_files[client.name].read_bytes()
    assert data != sources[client.lang].read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        blob = b"\n".join([n.encode() for n in zf.namelist()] + [zf.read(n) for n in zf.namelist()])
    assert client.marker in blob
    if client.absent:
        assert client.absent not in blob


@each_client
def test_every_input_reads_back_exactly(
    client: Client, client_reports: dict[str, Report], source_plans: dict[str, PlanData]
) -> None:
    plan, source = _plan(client_reports[client.name]), source_plans[client.lang]
    assert values(plan) == renamed(values(source), client.sheet_suffix)
    got, had = raws(plan), raws(source)
    if client.raw_changed:  # stored another way: said in each value's raw, never its value
        assert got != had
    else:
        assert got == had


@each_client
def test_identity_is_kept(
    client: Client, client_reports: dict[str, Report], source_plans: dict[str, PlanData]
) -> None:
    assert identity(_plan(client_reports[client.name])) == identity(source_plans[client.lang])


@each_client
def test_only_the_clients_change_is_interpreted(
    client: Client, client_reports: dict[str, Report], source_plans: dict[str, PlanData]
) -> None:
    added = added_notes(_plan(client_reports[client.name]), source_plans[client.lang])
    assert set(added) == client.notes


@each_client
def test_validate_finds_only_what_the_ngo_did(
    client: Client, client_reports: dict[str, Report], source_reports: dict[str, Report]
) -> None:
    report, source = client_reports[client.name], source_reports[client.lang]
    found, had = located(report), located(source, client.sheet_suffix)
    added = [f for f in found if f not in had]
    assert [f for f in had if f not in found] == []
    assert {f[0] for f in added} == client.findings
    assert report.status == source.status


def test_the_sources_fill_every_input(source_plans: dict[str, PlanData], tpl: Template) -> None:
    for lang, plan in source_plans.items():
        for step in tpl.steps:
            for blk in step.blocks:
                data = plan.block(step.key, blk.key)
                assert data is not None, (lang, step.key)
                inputs = {c.key for c in blk.columns if not c.formula}
                if blk.kind == "table":
                    assert len(data.rows) == blk.rows, (lang, step.key, blk.key)
                    assert all(inputs <= set(r.values) for r in data.rows)
                elif blk.kind == "grid":
                    want = {f"{r.key}.{c}" for r in blk.fixed_rows for c in inputs}
                    assert set(data.fields) == want
                else:
                    assert set(data.fields) == inputs


def test_strict_files_keep_every_safety_check(client_files: dict[str, Path]) -> None:
    """Strict Open XML is read as transitional only after the checks every file gets: a
    DOCTYPE in one of its sheets is still refused before any parser sees it."""
    book = Book(client_files["excel_strict"].read_bytes())
    part = next(iter(book.sheets().values()))
    book.edit(part, lambda x: x.replace("?>", '?><!DOCTYPE w [<!ENTITY e "x">]>', 1))
    with pytest.raises(ReadError) as caught:
        read_workbook_bytes(book.to_bytes(), "strict.xlsx")
    assert caught.value.problem.code == "unsafe-xml"
