"""``validate --feedback`` on every client fixture: a copy is written, nothing is lost (#15).

The package writer copies each part it does not mark byte for byte: every part of
the fixture but the sheets with marks (their comments and drawings), the sheet
whose tab was selected, the workbook, its relationships, the content types and
the styles comes out identical.  (A Strict package is copied as the transitional
package it was read as: identical to that.)  XML with prefixes and rows or cells
without references are edited where marked and kept as they were elsewhere.  The copy
reads back with every value, and validates as its fixture did.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

import kuk_xlsx
from kuk_xlsx.checks.engine import Report
from kuk_xlsx.outputs.feedback.package import package_copy
from kuk_xlsx.outputs.feedback.xmlparts import NotHere
from kuk_xlsx.package.preflight import check_package
from kuk_xlsx.package.strict import is_xml_part, transitional
from kuk_xlsx.read.model import PlanData
from kuk_xlsx.spec.template import Template
from tests.clients.compare import identity, located, renamed, values
from tests.clients.emulate import CLIENTS, Client
from tests.clients.zipxml import Book

_VALIDATIONS = re.compile(r"<dataValidations\b.*?</dataValidations>", re.S)
each_client = pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.name)


def _copy(client_copies: dict[str, Any], client: Client) -> Path:
    copy = client_copies[client.name]
    assert isinstance(copy, Path), copy
    return copy


@each_client
def test_the_expected_writer_takes_it(
    client: Client, client_files: dict[str, Path], client_reports: dict[str, Report], tpl: Template
) -> None:
    data = client_files[client.name].read_bytes()
    checked = check_package(data, client.name, whole_grid=False)
    try:
        package_copy(checked, client_reports[client.name], client.lang, tpl)
        taken = "package"
    except NotHere:
        taken = "openpyxl"
    finally:
        checked.close()
    assert taken == client.writer


@each_client
def test_the_copy_reads_back_with_every_value(
    client: Client,
    client_copies: dict[str, Any],
    client_reports: dict[str, Report],
    source_plans: dict[str, PlanData],
) -> None:
    again = kuk_xlsx.validate(_copy(client_copies, client))
    assert again.plan is not None, again.problem
    want = renamed(values(source_plans[client.lang]), client.sheet_suffix)
    assert values(again.plan) == want
    assert identity(again.plan) == identity(source_plans[client.lang])
    assert located(again) == located(client_reports[client.name])


def _may_change(book: Book, report: Report) -> set[str]:
    """The parts the package writer rewrites for ``report``'s marks."""
    sheets = book.sheets()
    marked = {f.sheet for f in report.findings if f.cell}
    marked |= {
        s for s, p in sheets.items() if re.search(rb'tabSelected="(?:1|true)"', book.parts[p])
    }
    allowed = {
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
    }
    for sheet in marked & set(sheets):
        part = sheets[sheet]
        folder, _, leaf = part.rpartition("/")
        rels = f"{folder}/_rels/{leaf}.rels"
        allowed |= {part, rels}
        if rels in book.parts:  # its comments and their drawing
            for r in book.rels(rels):
                target = r["Target"]
                path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
                allowed.add(posixpath.normpath(path))
    return allowed


@pytest.mark.parametrize(
    "client", [c for c in CLIENTS if c.writer == "package"], ids=lambda c: c.name
)
def test_unmarked_parts_are_byte_identical(
    client: Client,
    client_files: dict[str, Path],
    client_copies: dict[str, Any],
    client_reports: dict[str, Report],
) -> None:
    book = Book(client_files[client.name].read_bytes())
    strict = client.name == "excel_strict"
    allowed = _may_change(book, client_reports[client.name])
    with zipfile.ZipFile(_copy(client_copies, client)) as now:
        names = set(now.namelist())
        assert set(book.parts) <= names  # nothing dropped
        changed = set()
        for name, was in book.parts.items():
            expected = transitional(was) if strict and is_xml_part(name) else was
            if now.read(name) != expected:
                changed.add(name)
        # beyond the marks, only dropdowns the client dropped (Google Sheets) are put back
        for name in changed - allowed:
            after = now.read(name).decode()
            assert '<dataValidation type="list"' in after
            assert _VALIDATIONS.sub("", after) == _VALIDATIONS.sub("", book.text(name)), name
    assert len(names - set(book.parts)) >= 2  # the review and the record sheets
