"""UNO worker: runs under the distro python (/usr/bin/python3) that has python3-uno.

Stdlib + uno only. Invoked by tests/support/libreoffice.py::run_uno, which has
already started ``soffice --accept=pipe,name=<pipe>;urp;...``.

Request (JSON on stdin)::

    {"pipe": str, "src": file-URL, "dst": file-URL | null, "actions": [...],
     "connect_timeout": float, "result_file": path}

Actions (``sheet`` is a sheet name or a 0-based index; ``row`` is 1-based)::

    {"op": "set", "sheet": s, "cell": "B7", "value": "600"}   # typed like a user
    {"op": "get_value", "sheet": s, "cell": "B7"}
    {"op": "get_named", "name": "kuk_budget_items_me_share"}
    {"op": "rename_sheet", "sheet": s, "new": "New name"}
    {"op": "move_sheet", "sheet": s, "to": 0}                 # final 0-based position
    {"op": "insert_rows", "sheet": s, "row": 5, "count": 2}   # before row 5
    {"op": "delete_rows", "sheet": s, "row": 5, "count": 2}
    {"op": "hide_sheet", "sheet": s}
    {"op": "sheet_names"}

Read results (``get_value`` / ``get_named``)::

    {"value": float | str | None, "type": "VALUE"|"TEXT"|"FORMULA"|"EMPTY",
     "result_type": "VALUE"|"STRING"|"ERROR"|None,   # formulas only
     "string": displayed text, "formula": cell formula, "error": int (0 = ok),
     "sheet": sheet name, "cell": "A3"}
    get_named adds "name" and "content" (the range's formula, e.g. "$Sheet1.$A$3").

Output: JSON written to ``result_file``:
    {"ok": true, "results": [...], "sheets": [...], "saved": url | null}
    {"ok": false, "error": traceback, "action_index": i | null, "action": {...}}
Exit codes: 0 ok, 1 action/UNO failure, 2 could not connect, 3 ``import uno`` failed.
"""

import contextlib
import json
import os
import sys
import time
import traceback

try:
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException
    from com.sun.star.table.CellContentType import EMPTY, FORMULA, TEXT, VALUE
except ImportError as _exc:  # pragma: no cover - environment problem
    sys.stderr.write(
        f"uno_worker: cannot import the 'uno' module with {sys.executable} "
        f"({_exc}). Install python3-uno for this interpreter (Debian: apt-get install "
        f"python3-uno) or point KUK_UNO_PYTHON at a python that has it.\n"
    )
    sys.exit(3)

# com.sun.star.sheet.FormulaResult constants
_FORMULA_RESULT = {1: "VALUE", 2: "STRING", 4: "ERROR"}


class ActionError(Exception):
    pass


def _column_letters(index):
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _props(**kwargs):
    out = []
    for key, value in kwargs.items():
        pv = PropertyValue()
        pv.Name = key
        pv.Value = value
        out.append(pv)
    return tuple(out)


def connect(pipe, timeout):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            return resolver.resolve(url)
        except NoConnectException as exc:
            last = exc
            time.sleep(0.2)
    raise TimeoutError(f"could not connect to soffice on pipe {pipe} within {timeout}s: {last}")


class Session:
    def __init__(self, doc):
        self.doc = doc
        self.dirty = True

    # -- helpers
    def sheet(self, ref):
        sheets = self.doc.Sheets
        if isinstance(ref, bool):
            raise ActionError(f"invalid sheet reference {ref!r}")
        if isinstance(ref, int):
            if not 0 <= ref < sheets.Count:
                raise ActionError(f"sheet index {ref} out of range (0..{sheets.Count - 1})")
            return sheets.getByIndex(ref)
        if isinstance(ref, str):
            if not sheets.hasByName(ref):
                raise ActionError(f"no sheet named {ref!r}; sheets: {list(sheets.ElementNames)}")
            return sheets.getByName(ref)
        raise ActionError(f"invalid sheet reference {ref!r}")

    def sheet_names(self):
        return list(self.doc.Sheets.ElementNames)

    def recalc(self):
        if self.dirty:
            self.doc.calculateAll()
            self.dirty = False

    def describe(self, cell):
        self.recalc()
        ctype = cell.Type
        addr = cell.CellAddress
        out = {
            "sheet": self.doc.Sheets.getByIndex(addr.Sheet).Name,
            "cell": f"{_column_letters(addr.Column)}{addr.Row + 1}",
            "string": cell.getString(),
            "formula": cell.getFormula(),
            "error": cell.getError(),
            "result_type": None,
        }
        if ctype == VALUE:
            out["type"], out["value"] = "VALUE", cell.getValue()
        elif ctype == TEXT:
            out["type"], out["value"] = "TEXT", cell.getString()
        elif ctype == FORMULA:
            rtype = _FORMULA_RESULT.get(cell.FormulaResultType2, "UNKNOWN")
            out["type"], out["result_type"] = "FORMULA", rtype
            out["value"] = cell.getValue() if rtype == "VALUE" else cell.getString()
        elif ctype == EMPTY:
            out["type"], out["value"] = "EMPTY", None
        else:  # pragma: no cover
            out["type"], out["value"] = str(ctype.value), cell.getString()
        return out

    # -- actions
    def op_set(self, a):
        cell = self.sheet(a["sheet"]).getCellRangeByName(a["cell"])
        value = a["value"]
        # setFormula behaves like typing: "600" -> number, "=A1" -> formula, text stays text
        cell.setFormula(value if isinstance(value, str) else repr(value))
        self.dirty = True
        return None

    def op_get_value(self, a):
        return self.describe(self.sheet(a["sheet"]).getCellRangeByName(a["cell"]))

    def op_get_named(self, a):
        ranges = self.doc.NamedRanges
        name = a["name"]
        if not ranges.hasByName(name):
            raise ActionError(
                f"no workbook-level name {name!r}; names: {list(ranges.ElementNames)}"
            )
        named = ranges.getByName(name)
        referred = named.getReferredCells()
        if referred is None:
            raise ActionError(f"name {name!r} ({named.getContent()!r}) is not a cell reference")
        out = self.describe(referred.getCellByPosition(0, 0))
        out["name"] = name
        out["content"] = named.getContent()
        return out

    def op_rename_sheet(self, a):
        self.sheet(a["sheet"]).setName(a["new"])
        self.dirty = True
        return None

    def op_move_sheet(self, a):
        sheets = self.doc.Sheets
        sh = self.sheet(a["sheet"])
        name = sh.Name
        to = int(a["to"])
        if not 0 <= to < sheets.Count:
            raise ActionError(f"target index {to} out of range (0..{sheets.Count - 1})")
        current = list(sheets.ElementNames).index(name)
        # moveByName inserts before the given position of the *current* order
        sheets.moveByName(name, to + 1 if to > current else to)
        if list(sheets.ElementNames).index(name) != to:
            raise ActionError(f"move_sheet ended at {list(sheets.ElementNames)}")
        self.dirty = True
        return None

    def op_insert_rows(self, a):
        self.sheet(a["sheet"]).Rows.insertByIndex(int(a["row"]) - 1, int(a.get("count", 1)))
        self.dirty = True
        return None

    def op_delete_rows(self, a):
        self.sheet(a["sheet"]).Rows.removeByIndex(int(a["row"]) - 1, int(a.get("count", 1)))
        self.dirty = True
        return None

    def op_hide_sheet(self, a):
        self.sheet(a["sheet"]).IsVisible = False
        self.dirty = True
        return None

    def op_sheet_names(self, a):
        return self.sheet_names()


def main():
    request = json.load(sys.stdin)
    result_file = request["result_file"]

    def emit(payload):
        with open(result_file, "w", encoding="utf-8") as fh:
            json.dump(payload, fh)

    try:
        ctx = connect(request["pipe"], float(request.get("connect_timeout", 30)))
    except Exception:
        emit({"ok": False, "error": traceback.format_exc(), "action_index": None})
        return 2

    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = None
    index, action = None, None
    try:
        doc = desktop.loadComponentFromURL(request["src"], "_blank", 0, _props(Hidden=True))
        if doc is None:
            raise ActionError(f"soffice could not load {request['src']}")
        session = Session(doc)
        session.recalc()
        results = []
        for i, action in enumerate(request["actions"]):
            index = i
            op = action.get("op")
            handler = getattr(session, f"op_{op}", None)
            if handler is None:
                raise ActionError(f"unknown op {op!r}")
            results.append(handler(action))
        index, action = None, None
        doc.calculateAll()
        if request.get("dst"):
            doc.storeToURL(
                request["dst"], _props(FilterName="Calc MS Excel 2007 XML", Overwrite=True)
            )
        emit(
            {
                "ok": True,
                "results": results,
                "sheets": session.sheet_names(),
                "saved": request.get("dst"),
            }
        )
        rc = 0
    except Exception:
        emit(
            {"ok": False, "error": traceback.format_exc(), "action_index": index, "action": action}
        )
        rc = 1
    finally:
        if doc is not None:
            with contextlib.suppress(Exception):
                doc.close(True)
        # the bridge usually dies while soffice shuts down
        with contextlib.suppress(Exception):
            desktop.terminate()
    return rc


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # The result file is written and closed: skip the interpreter's finalization,
    # where pyuno now and then crashes once the office has gone.
    os._exit(code)
