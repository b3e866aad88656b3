"""Build the sample workbooks in samples/ from their data files in samples/data/.

Run from the repository root::

    python samples/make_samples.py                 # build every sample
    python samples/make_samples.py --refresh-libreoffice

Each ``samples/data/<stem>.toml`` describes one filled workbook::

    file = "<stem>.xlsx"          # written to samples/<file>
    lang = "kk"                   # kk / ru / en
    level = "national"            # national / regional (the M&E band)
    modules = ["strategy"]        # modules or step keys; the profile is always in
    libreoffice = true            # optional: also write samples/<stem>_libreoffice.xlsx

    [org]                         # roster fields: id, name, region, contact_person, contact
    [data.<step>.<block>]         # a fields block: field = value
    [[data.<step>.<block>]]       # a table: one row per [[...]]
    [data.<step>.<block>.<row>]   # a grid (the logframe): fixed row -> column = value

Values are what ``build_workbook(data=...)`` takes: choice keys from choices.toml,
booleans for yes/no, lists of month numbers, native TOML dates, numbers.  Data
keys are checked against the spec, so a misspelt step, block or column is an
error rather than a silently empty cell.

The direct builds are byte-reproducible (tests/test_samples.py rebuilds and
compares them).  The LibreOffice re-save is not (LibreOffice stamps the time),
so it is only redone when its source sample changed, when it is missing, or
with ``--refresh-libreoffice``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

SAMPLES_DIR = Path(__file__).resolve().parent
DATA_DIR = SAMPLES_DIR / "data"
REPO_ROOT = SAMPLES_DIR.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from kuk_xlsx.build.workbook import Organisation, build_workbook, select_steps  # noqa: E402
from kuk_xlsx.spec.template import Template, load_template  # noqa: E402

TOP_KEYS = {"file", "lang", "level", "modules", "libreoffice", "org", "data"}
LIBREOFFICE_SUFFIX = "_libreoffice"


class SampleError(ValueError):
    """A data file does not describe a sample the spec can build."""


def data_files() -> list[Path]:
    """Every sample data file, sorted by name."""
    return sorted(DATA_DIR.glob("*.toml"))


def read_toml(path: Path | str) -> dict[str, Any]:
    """The raw TOML of a data file."""
    with Path(path).open("rb") as fh:
        return tomllib.load(fh)


def sample_file(path: Path | str) -> Path:
    """Where the sample built from data file ``path`` lives: samples/<file>."""
    raw = read_toml(path)
    name = raw.get("file")
    if not isinstance(name, str) or not name.endswith(".xlsx") or Path(name).name != name:
        raise SampleError(f"{path}: 'file' must be a plain file name ending in .xlsx")
    return SAMPLES_DIR / name


def libreoffice_file(path: Path | str) -> Path | None:
    """samples/<stem>_libreoffice.xlsx when the data file asks for one, else ``None``."""
    if not read_toml(path).get("libreoffice", False):
        return None
    target = sample_file(path)
    return target.with_name(f"{target.stem}{LIBREOFFICE_SUFFIX}{target.suffix}")


def load_sample(path: Path | str, template: Template | None = None) -> dict[str, Any]:
    """Data file -> keyword arguments for ``build_workbook`` (all but the target).

    Returns ``{"lang", "level", "modules", "org", "data"}``; ``org`` is an
    :class:`~kuk_xlsx.build.Organisation`.  Raises :class:`SampleError` when a
    key is not in the spec or a value has the wrong shape for its block.
    """
    tpl = template or load_template()
    raw = read_toml(path)
    unknown = sorted(set(raw) - TOP_KEYS)
    if unknown:
        raise SampleError(f"{path}: unknown top-level keys {unknown}")
    org_raw = raw.get("org", {})
    org_fields = set(Organisation.__dataclass_fields__)
    bad_org = sorted(set(org_raw) - org_fields)
    if bad_org:
        raise SampleError(f"{path}: [org] has unknown keys {bad_org}; use {sorted(org_fields)}")
    data = raw.get("data", {})
    modules = list(raw.get("modules", [])) or None
    _check_data(tpl, data, str(path))
    included = {s.key for s in select_steps(tpl, modules)}
    left_out = sorted(set(data) - included)
    if left_out:
        raise SampleError(f"{path}: data for steps {left_out} that modules {modules} leave out")
    return {
        "lang": raw.get("lang", "kk"),
        "level": raw.get("level", "national"),
        "modules": modules,
        "org": Organisation(**{k: str(v) for k, v in org_raw.items()}),
        "data": data,
    }


def _check_data(tpl: Template, data: dict[str, Any], where: str) -> None:
    steps = {s.key: s for s in tpl.steps}
    for step_key, blocks in data.items():
        if step_key not in steps:
            raise SampleError(f"{where}: unknown step {step_key!r}")
        step = steps[step_key]
        for block_key, value in blocks.items():
            try:
                blk = step.block(block_key)
            except KeyError:
                raise SampleError(f"{where}: unknown block {step_key}.{block_key}") from None
            cols = {c.key for c in blk.columns}
            path = f"{where}: {step_key}.{block_key}"
            if blk.kind == "table":
                if not isinstance(value, list):
                    raise SampleError(f"{path} is a table: write [[data.{step_key}.{block_key}]]")
                rows = value
            elif blk.kind == "fields":
                if not isinstance(value, dict):
                    raise SampleError(
                        f"{path} is a fields block: write [data.{step_key}.{block_key}]"
                    )
                rows = [value]
            else:
                fixed = {r.key for r in blk.fixed_rows}
                extra = sorted(set(value) - fixed)
                if extra:
                    raise SampleError(f"{path}: unknown grid rows {extra}; use {sorted(fixed)}")
                rows = list(value.values())
            months = range(1, int(tpl.rules.get("schedule_months", 6)) + 1)
            for i, row in enumerate(rows):
                extra = sorted(set(row) - cols)
                if extra:
                    raise SampleError(f"{path} row {i + 1}: unknown columns {extra}")
                for col in blk.columns:
                    value = row.get(col.key)
                    if col.type != "months" or value is None:
                        continue
                    if not isinstance(value, list) or not set(value) <= set(months):
                        raise SampleError(
                            f"{path} row {i + 1}: {col.key} must list month numbers "
                            f"{months.start}-{months.stop - 1}, not {value!r}"
                        )


def build_sample(path: Path | str, target: Path | str | None = None) -> Path:
    """Build the workbook of data file ``path`` (to ``target``, default samples/<file>)."""
    return build_workbook(target or sample_file(path), **load_sample(path))


def resave_with_libreoffice(src: Path, dst: Path) -> Path:
    """Re-save ``src`` through headless LibreOffice (formulas recalculated) as ``dst``."""
    from tests.support.libreoffice import convert

    with tempfile.TemporaryDirectory(prefix="kuk_samples_lo_") as tmp:
        out = convert(src, "xlsx", Path(tmp))
        shutil.move(str(out), dst)
    return dst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--refresh-libreoffice",
        action="store_true",
        help="re-save the LibreOffice samples even when their source did not change",
    )
    args = parser.parse_args(argv)
    from tests.support.libreoffice import soffice_path

    status = 0
    for path in data_files():
        target = sample_file(path)
        before = target.read_bytes() if target.exists() else None
        build_sample(path, target)
        changed = before != target.read_bytes()
        print(f"{'built' if changed else 'unchanged'}: {target.relative_to(REPO_ROOT)}")
        lo_target = libreoffice_file(path)
        if lo_target is None:
            continue
        if not (changed or args.refresh_libreoffice or not lo_target.exists()):
            print(f"unchanged: {lo_target.relative_to(REPO_ROOT)} (source unchanged)")
            continue
        if soffice_path() is None:
            print(
                f"NOT UPDATED: {lo_target.relative_to(REPO_ROOT)}: LibreOffice (soffice) not found",
                file=sys.stderr,
            )
            status = 1
            continue
        resave_with_libreoffice(target, lo_target)
        print(f"re-saved through LibreOffice: {lo_target.relative_to(REPO_ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
