"""The package's layout: stages in the order data flows, no cycles, heavy libraries fenced.

A stage may import only from itself and from the stages before it.  The test
reads the source (every import, including the lazy ones inside functions), so it
fails on a cycle even where Python would resolve it at run time.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kuk_xlsx"

# The journey of the data, first to last.  A newcomer reads the tree in this order.
STAGES = (
    "catalogue",  # every word a person reads, kk/ru/en
    "spec",  # the template as a typed model
    "write",  # atomic, inert outputs; the one xlsxwriter module
    "build",  # spec -> training workbook
    "package",  # which files; sniff, zip/XML limits, the checked reader view
    "read",  # checked view -> typed PlanData, its totals recomputed (never the cached ones)
    "roster",  # the trainer's list of NGOs
    "checks",  # PlanData -> findings (keys and values, no words)
    "render",  # finding -> message, in the reader's language
    "outputs",  # text, JSON, xlsx report, feedback copy
    "summary",  # one NGO at a glance
    "diff",  # two submissions of one NGO
    "migrate",  # one NGO's workbook carried into the current template version
    "cohort",  # many NGOs: collect, copies, xlsx/csv, rounds
    "docs",  # generated docs
    "cli",  # the command line
)

# Each heavy library is imported in exactly one place.
HEAVY = {
    "xlsxwriter": ("kuk_xlsx.write.xlsx",),
    "openpyxl": ("kuk_xlsx.outputs.feedback",),  # incl. its defusedxml guard
    "python_calamine": ("kuk_xlsx.read",),
    "click": ("kuk_xlsx.cli",),
    "pandas": (),
}

MAX_LINES = 520


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(path: Path, module: str) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_pkg else 0)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((name, node.lineno))
            # `from kuk_xlsx import read` imports the sub-package read
            found += [(f"{name}.{a.name}", node.lineno) for a in node.names if name == "kuk_xlsx"]
    return found


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "kuk_xlsx":
        return None
    return STAGES.index(parts[1]) if parts[1] in STAGES else None


MODULES = _modules()


def test_every_module_belongs_to_a_stage() -> None:
    top = {"kuk_xlsx", "kuk_xlsx.__main__"}
    lost = [m for m in MODULES if m not in top and _stage(m) is None]
    assert not lost, f"modules outside the stages {STAGES}: {lost}"


def test_stages_import_only_from_earlier_stages() -> None:
    wrong = []
    for module, path in MODULES.items():
        mine = _stage(module)
        if mine is None:  # the package's own __init__ (the public API) may use any stage
            continue
        for name, line in _imports(path, module):
            theirs = _stage(name)
            if theirs is not None and theirs > mine:
                wrong.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line} ({STAGES[mine]}) imports {name}"
                )
    assert not wrong, "a stage imports a later stage:\n" + "\n".join(wrong)


@pytest.mark.parametrize("library", sorted(HEAVY))
def test_each_heavy_library_is_imported_in_one_place(library: str) -> None:
    allowed = HEAVY[library]
    where = sorted(
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for module, path in MODULES.items()
        for name, line in _imports(path, module)
        if name.split(".")[0] == library
        and not any(module == a or module.startswith(a + ".") for a in allowed)
    )
    assert not where, f"{library} may be imported only in {allowed}; also found in {where}"


def test_no_module_is_too_long_to_read() -> None:
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in MODULES.values()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_every_module_imports_on_its_own() -> None:
    """Each module imports in a fresh interpreter: no cycle hidden by import order."""
    code = (
        "import importlib, sys\n"
        "for m in sys.argv[1:]:\n"
        "    for k in [k for k in sys.modules if k.startswith('kuk_xlsx')]:\n"
        "        del sys.modules[k]\n"
        "    importlib.import_module(m)\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, *[m for m in MODULES if m != "kuk_xlsx.__main__"]],
        check=True,
        cwd=PACKAGE.parent,
    )


def test_one_cache_policy() -> None:
    """What is worked out from a template is cached only by ``template_cache``:
    never written into a frozen object's ``__dict__``, never kept in a dict keyed
    by ``id()`` (an id is reused once its object is gone)."""
    wrong = []
    for path in MODULES.values():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "__dict__"
            ) or (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "id"
            ):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not wrong, "an ad-hoc cache (use spec.model.template_cache): " + ", ".join(wrong)
