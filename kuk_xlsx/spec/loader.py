"""Loading a template folder: TOML files in, a checked :class:`Template` out.

Every file is read with :mod:`tomllib`; every key and value is checked, and a
problem raises :class:`SpecError` naming the file and the key path.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from kuk_xlsx.catalogue import LANGS, Label
from kuk_xlsx.spec.changes import Change, parse_changes
from kuk_xlsx.spec.model import (
    BLOCK_KINDS,
    COLUMN_TYPES,
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
from kuk_xlsx.spec.names import all_defined_names

_KEY_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def templates_root() -> Path:
    """The folder holding template folders: inside the installed package, else the repo."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "workbook_templates"
    if packaged.is_dir():
        return packaged
    return package.parent / "workbook_templates"


# The keys each kind of table takes; any other key is refused (see _Loader.only).
TEMPLATE_KEYS = (
    "id",
    "version",
    "released",
    "steps",
    "title",
    "training_goal",
    "how_to",
    "rules",
    "ui",
    "modules",
    "roster",
)
STEP_KEYS = (
    "key",
    "number",
    "module",
    "title",
    "sheet",
    "instructions",
    "example",
    "blocks",
    "rules",
)
BLOCK_KEYS = {
    "table": ("key", "kind", "title", "columns", "rows", "min_rows", "totals"),
    "fields": ("key", "kind", "title", "fields"),
    "grid": ("key", "kind", "title", "columns", "fixed_rows"),
}
COLUMN_KEYS = ("key", "label", "type", "required", "width", "choices", "ref", "formula", "hint")
_TOTAL = ("key", "label", "kind", "column")
TOTAL_KEYS = {
    "sum": _TOTAL,
    "sum_where": (*_TOTAL, "where_column", "where_choice"),
    "share_where": (*_TOTAL, "where_column", "where_choice", "band"),
}


def _is_band(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and 0 <= value[0] <= value[1] <= 1
    )


DEFAULT_TEMPLATE = "kuk_training"
RELEASES = "releases.toml"  # the hashes of builds sent out; not part of the hash itself
CHANGES = "changes.toml"  # version -> key changes; not part of the hash (no layout in it)


@cache
def load_template(name: str = DEFAULT_TEMPLATE, root: Path | None = None) -> Template:
    """Load and check the template folder ``root/name``."""
    folder = (root or templates_root()) / name
    return _Loader(folder).load()


class _Loader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file: Path = folder
        self.hasher = hashlib.sha256()

    # small typed getters that know where they are -------------------------
    def fail(self, path: str, message: str) -> SpecError:
        return SpecError(self.file, path, message)

    def read(self, path: Path) -> dict[str, Any]:
        self.file = path
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise self.fail("(file)", f"cannot read: {exc.strerror}") from None
        self.hasher.update(path.relative_to(self.folder).as_posix().encode() + b"\0" + raw)
        try:
            return tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise self.fail("(file)", f"not valid UTF-8 TOML: {exc}") from None

    def get(self, d: dict[str, Any], key: str, path: str, kind: type, default: Any = ...) -> Any:
        if key not in d:
            if default is ...:
                raise self.fail(f"{path}.{key}".lstrip("."), "missing")
            return default
        value = d[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(
                f"{path}.{key}".lstrip("."),
                f"expected {kind.__name__}, found {type(value).__name__}",
            )
        return value

    def only(self, d: dict[str, Any], allowed: tuple[str, ...], path: str, what: str) -> None:
        """Refuse a key this table does not take (``requried = true`` must not silently
        make a column optional), naming the nearest key it may have meant."""
        for key in d:
            if key not in allowed:
                near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                raise self.fail(
                    f"{path}.{key}".lstrip("."),
                    f"unknown key in {what} (it takes: {', '.join(allowed)}){hint}",
                )

    def rules(self, d: dict[str, Any], path: str) -> dict[str, Any]:
        """A ``[rules]`` table: lower_snake_case names, each a number, a string,
        true/false, or a flat array of them (a band: two shares from 0 to 1)."""
        rules = self.get(d, "rules", path, dict, {})
        for name, value in rules.items():
            where = f"{path}.rules.{name}".lstrip(".")
            if not _KEY_RE.match(name):
                raise self.fail(where, "rule names are lower_snake_case")
            scalar = (bool, int, float, str)
            if isinstance(value, list):
                if not value or not all(isinstance(v, scalar) for v in value):
                    raise self.fail(where, "expected a flat array of numbers or strings")
            elif not isinstance(value, scalar):
                raise self.fail(where, f"expected a number, a string or an array; found {value!r}")
            if name.startswith("me_share_") and not _is_band(value):
                raise self.fail(
                    where, f"expected [low, high], shares 0 <= low <= high <= 1; found {value!r}"
                )
        return rules

    def key(self, d: dict[str, Any], path: str) -> str:
        value = self.get(d, "key", path, str)
        if not _KEY_RE.match(value):
            raise self.fail(f"{path}.key", f"{value!r} is not a lower_snake_case key")
        return value

    def label(self, d: dict[str, Any], key: str, path: str, optional: bool = False) -> Label | None:
        if optional and key not in d:
            return None
        table = self.get(d, key, path, dict)
        texts = {}
        for lang in LANGS:
            text = self.get(table, lang, f"{path}.{key}", str)
            if not text.strip():
                raise self.fail(f"{path}.{key}.{lang}", "empty text")
            texts[lang] = text.strip()
        extra = set(table) - set(LANGS)
        if extra:
            raise self.fail(f"{path}.{key}", f"unknown language(s) {sorted(extra)}")
        return Label(**texts)

    # the template ----------------------------------------------------------
    def load(self) -> Template:
        head = self.read(self.folder / "template.toml")
        self.only(head, TEMPLATE_KEYS, "", "template.toml")
        tid = self.get(head, "id", "", str)
        version = self.get(head, "version", "", str)
        released = self.get(head, "released", "", date)
        roster = tuple(
            self.load_roster_column(r, f"roster[{i}]")
            for i, r in enumerate(self.get(head, "roster", "", list))
        )
        title = self.label(head, "title", "")
        goal = self.label(head, "training_goal", "")
        how_to = self.label(head, "how_to", "")
        rules = self.rules(head, "")
        ui_raw = self.get(head, "ui", "", dict)
        ui = {k: self.label(ui_raw, k, "ui") for k in ui_raw}
        mods_raw = self.get(head, "modules", "", dict)
        modules = {k: self.label(mods_raw, k, "modules") for k in mods_raw}
        order = self.get(head, "steps", "", list)
        head_file = self.file

        choices = self.load_choices(self.read(self.folder / "choices.toml"))
        steps = []
        for i, step_key in enumerate(order):
            if not isinstance(step_key, str):
                self.file = head_file
                raise self.fail(f"steps[{i}]", "expected a step key")
            path = self.folder / "steps" / f"{step_key}.toml"
            if not path.exists():
                self.file = head_file
                raise self.fail(f"steps[{i}]", f"no file steps/{step_key}.toml")
            steps.append(self.load_step(self.read(path), step_key, set(modules)))
            for name in steps[-1].rules:
                if name in rules:
                    raise self.fail(f"rules.{name}", "already set in template.toml or another step")
            rules = {**rules, **steps[-1].rules}
        spec_hash = self.hasher.hexdigest()[:16]
        tpl = Template(
            id=tid,
            version=version,
            released=released,
            spec_hash=spec_hash,
            released_hashes=self.load_releases() | {spec_hash},
            folder=self.folder,
            changes=self.load_changes(),
            title=title,  # type: ignore[arg-type]
            training_goal=goal,  # type: ignore[arg-type]
            how_to=how_to,  # type: ignore[arg-type]
            rules=rules,
            ui=ui,  # type: ignore[arg-type]
            choices=choices,
            steps=tuple(steps),
            modules=modules,  # type: ignore[arg-type]
            roster=roster,
        )
        self.check_cross_references(tpl)
        return tpl

    def load_releases(self) -> frozenset[str]:
        """The hashes in releases.toml (optional; read, never hashed: it lists hashes)."""
        path = self.folder / RELEASES
        if not path.exists():
            return frozenset()
        self.file = path
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise self.fail("(file)", f"not valid UTF-8 TOML: {exc}") from None
        unknown = set(raw) - {"release"}
        if unknown:
            raise self.fail(sorted(unknown)[0], "unknown key (only [[release]] tables)")
        out = set()
        for i, item in enumerate(self.get(raw, "release", "", list)):
            path_i = f"release[{i}]"
            if not isinstance(item, dict):
                raise self.fail(path_i, "expected a table [[release]]")
            extra = set(item) - {"version", "hash"}
            if extra:
                raise self.fail(f"{path_i}.{sorted(extra)[0]}", "unknown key")
            self.get(item, "version", path_i, str)
            digest = self.get(item, "hash", path_i, str)
            if not re.fullmatch(r"[0-9a-f]{16}", digest):
                raise self.fail(f"{path_i}.hash", f"{digest!r} is not a 16-digit hex hash")
            out.add(digest)
        return frozenset(out)

    def load_changes(self) -> dict[str, tuple[Change, ...]]:
        """The version -> changes table in changes.toml (optional; read, never hashed)."""
        path = self.folder / CHANGES
        if not path.exists():
            return {}
        self.file = path
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise self.fail("(file)", f"not valid UTF-8 TOML: {exc}") from None
        return parse_changes(raw, self.fail)

    def load_roster_column(self, raw: Any, path: str) -> RosterColumn:
        if not isinstance(raw, dict):
            raise self.fail(path, "expected a table [[roster]]")
        self.only(raw, ("key", "label", "required"), path, "a roster column")
        return RosterColumn(
            self.key(raw, path),
            self.label(raw, "label", path),  # type: ignore[arg-type]
            self.get(raw, "required", path, bool, False),
        )

    def load_choices(self, raw: dict[str, Any]) -> dict[str, ChoiceList]:
        out = {}
        for list_key, items in raw.items():
            path = f"{list_key}"
            if not _KEY_RE.match(list_key):
                raise self.fail(path, "list names are lower_snake_case")
            if not isinstance(items, list) or not items:
                raise self.fail(path, "expected a non-empty array of tables [[...]]")
            seen = set()
            choices = []
            for i, item in enumerate(items):
                ipath = f"{path}[{i}]"
                if not isinstance(item, dict):
                    raise self.fail(ipath, "expected a table [[...]]")
                self.only(item, ("key", "label"), ipath, "a choice")
                key = self.key(item, ipath)
                if key in seen:
                    raise self.fail(f"{ipath}.key", f"duplicate choice {key!r}")
                seen.add(key)
                choices.append(Choice(key, self.label(item, "label", ipath)))  # type: ignore[arg-type]
            out[list_key] = ChoiceList(list_key, tuple(choices))
        return out

    def load_step(self, raw: dict[str, Any], expected_key: str, modules: set[str]) -> Step:
        self.only(raw, STEP_KEYS, "", "a step file")
        key = self.key(raw, "")
        if key != expected_key:
            raise self.fail("key", f"{key!r} differs from the file name {expected_key!r}")
        module = self.get(raw, "module", "", str)
        if module not in modules:
            raise self.fail("module", f"{module!r} is not one of {sorted(modules)}")
        sheet = self.label(raw, "sheet", "")
        for lang, name in zip(LANGS, sheet.all(), strict=True):  # type: ignore[union-attr]
            if len(name) > 31 or _SHEET_BAD.search(name) or name.startswith("'"):
                raise self.fail(f"sheet.{lang}", f"{name!r} is not a valid Excel sheet name")
        blocks_raw = self.get(raw, "blocks", "", list)
        blocks = tuple(
            self.load_block(self.table(b, f"blocks[{i}]"), f"blocks[{i}]")
            for i, b in enumerate(blocks_raw)
        )
        if len({b.key for b in blocks}) != len(blocks):
            raise self.fail("blocks", "block keys must be unique in a step")
        return Step(
            key=key,
            number=self.get(raw, "number", "", str),
            module=module,
            title=self.label(raw, "title", ""),  # type: ignore[arg-type]
            sheet=sheet,  # type: ignore[arg-type]
            instructions=self.label(raw, "instructions", ""),  # type: ignore[arg-type]
            example=self.label(raw, "example", ""),  # type: ignore[arg-type]
            blocks=blocks,
            rules=self.rules(raw, ""),
        )

    def load_block(self, raw: dict[str, Any], path: str) -> Block:
        key = self.key(raw, path)
        kind = self.get(raw, "kind", path, str)
        if kind not in BLOCK_KINDS:
            raise self.fail(f"{path}.kind", f"{kind!r} is not one of {sorted(BLOCK_KINDS)}")
        self.only(raw, BLOCK_KEYS[kind], path, f"a {kind} block")
        cols_key = "fields" if kind == "fields" else "columns"
        cols_raw = self.get(raw, cols_key, path, list)
        columns = tuple(
            self.load_column(self.table(c, f"{path}.{cols_key}[{i}]"), f"{path}.{cols_key}[{i}]")
            for i, c in enumerate(cols_raw)
        )
        if len({c.key for c in columns}) != len(columns):
            raise self.fail(f"{path}.{cols_key}", "keys must be unique in a block")
        rows = self.get(raw, "rows", path, int, 0)
        if kind == "table" and not 1 <= rows <= 500:
            raise self.fail(f"{path}.rows", "a table needs 1..500 empty rows")
        fixed = tuple(
            self.load_fixed_row(self.table(r, f"{path}.fixed_rows[{i}]"), f"{path}.fixed_rows[{i}]")
            for i, r in enumerate(self.get(raw, "fixed_rows", path, list, []))
        )
        if kind == "grid" and not fixed:
            raise self.fail(f"{path}.fixed_rows", "a grid needs fixed rows")
        totals = tuple(
            self.load_total(self.table(t, f"{path}.totals[{i}]"), f"{path}.totals[{i}]", columns)
            for i, t in enumerate(self.get(raw, "totals", path, list, []))
        )
        return Block(
            key=key,
            kind=kind,
            title=self.label(raw, "title", path, optional=True),
            columns=columns,
            rows=rows,
            min_rows=self.get(raw, "min_rows", path, int, 0),
            fixed_rows=fixed,
            totals=totals,
        )

    def table(self, raw: Any, path: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(path, f"expected a table; found {raw!r}")
        return raw

    def load_fixed_row(self, raw: dict[str, Any], path: str) -> FixedRow:
        self.only(raw, ("key", "label"), path, "a fixed row")
        return FixedRow(self.key(raw, path), self.label(raw, "label", path))  # type: ignore[arg-type]

    def load_column(self, raw: dict[str, Any], path: str) -> Column:
        self.only(raw, COLUMN_KEYS, path, "a column")
        ctype = self.get(raw, "type", path, str)
        if ctype not in COLUMN_TYPES:
            raise self.fail(f"{path}.type", f"{ctype!r} is not one of {sorted(COLUMN_TYPES)}")
        choices = self.get(raw, "choices", path, str, None)
        if (ctype == "choice") != (choices is not None):
            raise self.fail(f"{path}.choices", "choices go with type = 'choice', and only there")
        ref = self.get(raw, "ref", path, str, None)
        if (ctype == "ref") != (ref is not None):
            raise self.fail(f"{path}.ref", "ref goes with type = 'ref', and only there")
        return Column(
            key=self.key(raw, path),
            label=self.label(raw, "label", path),  # type: ignore[arg-type]
            type=ctype,
            required=self.get(raw, "required", path, bool, False),
            width=self.get(raw, "width", path, float, 18.0),
            choices=choices,
            ref=ref,
            formula=self.get(raw, "formula", path, str, None),
            hint=self.label(raw, "hint", path, optional=True),
        )

    def load_total(self, raw: dict[str, Any], path: str, columns: tuple[Column, ...]) -> Total:
        kind = self.get(raw, "kind", path, str)
        if kind not in TOTAL_KINDS:
            raise self.fail(f"{path}.kind", f"{kind!r} is not one of {sorted(TOTAL_KINDS)}")
        self.only(raw, TOTAL_KEYS[kind], path, f"a {kind} total")
        col_keys = {c.key for c in columns}
        column = self.get(raw, "column", path, str)
        if column not in col_keys:
            raise self.fail(f"{path}.column", f"no column {column!r} in this block")
        where_column = self.get(raw, "where_column", path, str, None)
        where_choice = self.get(raw, "where_choice", path, str, None)
        if kind != "sum" and (where_column not in col_keys or where_choice is None):
            raise self.fail(f"{path}.where_column", f"{kind} needs where_column and where_choice")
        return Total(
            key=self.key(raw, path),
            label=self.label(raw, "label", path),  # type: ignore[arg-type]
            kind=kind,
            column=column,
            where_column=where_column,
            where_choice=where_choice,
            percent=kind == "share_where",
            band=self.get(raw, "band", path, str, None),
        )

    def check_cross_references(self, tpl: Template) -> None:
        """Names, refs, choice lists and formulas point at things that exist."""
        self.file = self.folder / "steps"
        if len({s.key for s in tpl.steps}) != len(tpl.steps):
            raise self.fail("steps", "a step is listed twice")
        for lang in LANGS:
            names = [s.sheet.get(lang).casefold() for s in tpl.steps]
            if len(set(names)) != len(names):
                raise self.fail(f"sheet.{lang}", "two steps share a sheet name")
        for step in tpl.steps:
            self.file = self.folder / "steps" / f"{step.key}.toml"
            for bi, blk in enumerate(step.blocks):
                for ci, col in enumerate(blk.columns):
                    path = f"blocks[{bi}].columns[{ci}]"
                    if col.choices and col.choices not in tpl.choices:
                        raise self.fail(
                            f"{path}.choices", f"no list {col.choices!r} in choices.toml"
                        )
                    if col.ref:
                        try:
                            tpl.resolve_ref(col.ref)
                        except (KeyError, ValueError):
                            raise self.fail(
                                f"{path}.ref", f"{col.ref!r} does not resolve"
                            ) from None
                    if col.formula:
                        for used in re.findall(r"\{(\w+)\}", col.formula):
                            if used not in {c.key for c in blk.columns}:
                                raise self.fail(f"{path}.formula", f"unknown column {used!r}")
                for ti, tot in enumerate(blk.totals):
                    band = tot.band
                    if band and not all(
                        f"{band}_{lvl}" in tpl.rules for lvl in ("national", "regional")
                    ):
                        raise self.fail(
                            f"blocks[{bi}].totals[{ti}].band",
                            f"rules need {band}_national and {band}_regional",
                        )
                    if tot.where_choice:
                        wcol = blk.column(tot.where_column or "")
                        keys = {c.key for c in tpl.choices[wcol.choices or ""].choices}
                        if tot.where_choice not in keys:
                            raise self.fail(
                                f"blocks[{bi}].totals[{ti}].where_choice",
                                f"{tot.where_choice!r} is not in list {wcol.choices!r}",
                            )
        self.file = self.folder
        names = all_defined_names(tpl)
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise self.fail("(defined names)", f"keys collide into the same name: {dupes}")
        too_long = [n for n in names if len(n) > 255]
        if too_long:
            raise self.fail("(defined names)", f"too long: {too_long}")
