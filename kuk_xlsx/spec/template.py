"""The declarative description of the training workbook.

The spec lives in ``workbook_templates/<template>/`` as TOML files, read with the
standard library's :mod:`tomllib` (no dependency; comments and multi-line strings
make it pleasant for trainers to edit).  Generation, reading, validation, docs and
cohort columns are all driven by the :class:`Template` loaded here.

Layout of a template folder::

    template.toml      id, version, titles, rule parameters, UI strings, step order
    choices.toml       every dropdown list, each choice with a key and kk/ru/en labels
    steps/<key>.toml   one file per step: sheet name, instructions, example, blocks

A malformed spec raises :class:`SpecError`, which names the file and the key path.

This module is the spec's public face: the model lives in :mod:`.model`, the
defined names in :mod:`.names` and the loader in :mod:`.loader`; every public
name is importable from here.
"""

from __future__ import annotations

from kuk_xlsx.catalogue import LANGS, Label
from kuk_xlsx.spec.changes import VERSION_RE
from kuk_xlsx.spec.loader import DEFAULT_TEMPLATE, load_template, templates_root
from kuk_xlsx.spec.model import (
    BLOCK_KINDS,
    COLUMN_TYPES,
    DEFAULT_LANG,
    LISTS_SHEET,
    META_SHEET,
    TOTAL_KINDS,
    Block,
    Choice,
    ChoiceList,
    Column,
    FixedRow,
    RosterColumn,
    SpecError,
    Step,
    Template,
    Total,
)
from kuk_xlsx.spec.names import all_defined_names, block_name, column_name, list_name

__all__ = [
    "BLOCK_KINDS",
    "COLUMN_TYPES",
    "DEFAULT_LANG",
    "DEFAULT_TEMPLATE",
    "LANGS",
    "LISTS_SHEET",
    "META_SHEET",
    "TOTAL_KINDS",
    "Block",
    "Choice",
    "ChoiceList",
    "Column",
    "FixedRow",
    "Label",
    "RosterColumn",
    "SpecError",
    "Step",
    "Template",
    "Total",
    "all_defined_names",
    "block_name",
    "column_name",
    "list_name",
    "load_template",
    "released_template",
    "templates_root",
]


RELEASED = "released"  # <template>/released/<version>/: each earlier version's spec


def released_template(tpl: Template, version: str) -> Template | None:
    """The spec of an earlier released version of ``tpl`` as it went out to NGOs
    (``released/<version>/`` of its folder), or ``None``: ``version`` is the current
    one, is not a version, or was never released from this folder."""
    if tpl.folder is None or version == tpl.version or not VERSION_RE.fullmatch(version):
        return None
    root = tpl.folder / RELEASED
    if not (root / version / "template.toml").is_file():
        return None
    old = load_template(version, root)
    return old if old.id == tpl.id and old.version == version else None
