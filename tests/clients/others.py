"""What Google Sheets, Numbers, LibreOffice, WPS and other writers put in a saved workbook,
done to our filled workbooks (see :mod:`tests.clients.excel` for Excel)."""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.sax.saxutils import escape

from tests.clients.zipxml import (
    MAIN,
    REL,
    Book,
    attr,
    cells,
    found,
    rewrite_cells,
    set_attr,
)

_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def _step_sheets(book: Book) -> dict[str, str]:
    return {s: p for s, p in book.sheets().items() if not s.startswith("_")}


# --- Google Sheets ------------------------------------------------------------------------
def google_sheets(book: Book) -> None:
    """Google Sheets' download as .xlsx: no docProps/ at all, no ``<dimension>``, every
    sheet visible, formulas with functions Excel lacks as
    ``IFERROR(__xludf.DUMMYFUNCTION("…"), cached)``, dropdowns from other sheets gone."""
    for name in [n for n in book.parts if n.startswith("docProps/")]:
        book.drop(name)
    book.edit(
        "_rels/.rels", lambda x: re.sub(r'<Relationship\b[^>]*Target="docProps/[^"]*"/>', "", x)
    )
    book.edit(
        "[Content_Types].xml",
        lambda x: re.sub(r'<Override PartName="/docProps/[^"]*"[^>]*/>', "", x),
    )
    book.edit("xl/workbook.xml", lambda x: re.sub(r'\sstate="(?:hidden|veryHidden)"', "", x))
    for part in book.sheets().values():
        xml = re.sub(r"<dimension [^>]*/>", "", book.text(part))
        xml = re.sub(r'<dataValidation type="list"[^>]*>.*?</dataValidation>', "", xml, flags=re.S)
        xml = re.sub(r'<dataValidations count="\d+"></dataValidations>', "", xml)

        def dummy(m: re.Match[str]) -> str:
            cached = m.group(3)
            literal = cached if cached else '""'
            return (
                f'<f>IFERROR(__xludf.DUMMYFUNCTION("ARRAYFORMULA(D{m.group(1)}*E{m.group(1)})"),'
                f"{literal})</f>{m.group(2)}"
            )

        xml = re.sub(r'<f>IF\(OR\(D(\d+)="",E\1=""\),"",D\1\*E\1\)</f>(<v>([^<]*)</v>)', dummy, xml)
        book.put(part, xml)


# --- Numbers ------------------------------------------------------------------------------
def _rels_of(part: str) -> str:
    """The relationships part of a sheet part."""
    folder, _, leaf = part.rpartition("/")
    return f"{folder}/_rels/{leaf}.rels"


def renumber_sheets(book: Book, order: list[int]) -> None:
    """Sheet parts renamed: the i-th sheet's part becomes ``sheet{order[i]}.xml``, its
    relationships part with it, and the workbook's relationship ids given out in
    the same shuffled order (a reader must follow the ids, not the positions)."""
    sheets = list(book.sheets().items())
    rels = book.text("xl/_rels/workbook.xml.rels")
    wb = book.text("xl/workbook.xml")
    types = book.text("[Content_Types].xml")
    renamed = {}
    for (_, part), n in zip(sheets, order, strict=True):
        renamed[part] = f"xl/worksheets/sheet{n}.xml"
    old = {p: book.parts.pop(p) for p in renamed}
    old_rels = {p: book.parts.pop(_rels_of(p), None) for p in renamed}
    for part, new in renamed.items():
        book.parts[new] = old[part]
        moved = old_rels[part]
        if moved is not None:
            book.parts[_rels_of(new)] = moved
        leaf = part.split("/", 1)[1]
        rels = rels.replace(f'Target="{leaf}"', f'Target="@{new.split("/", 1)[1]}"')
        types = types.replace(f'PartName="/{part}"', f'PartName="@/{new}"')
    rels, types = rels.replace('Target="@', 'Target="'), types.replace('PartName="@', 'PartName="')
    ids = re.findall(r'r:id="(rId\d+)"', wb)
    for rid, n in zip(ids, order, strict=True):
        rels = rels.replace(f'Id="{rid}"', f'Id="@rId{n + 100}"')
        wb = wb.replace(f'r:id="{rid}"', f'r:id="@rId{n + 100}"')
    book.put("xl/_rels/workbook.xml.rels", rels.replace('Id="@', 'Id="'))
    book.put("xl/workbook.xml", wb.replace('r:id="@', 'r:id="'))
    book.put("[Content_Types].xml", types)


_NUMBERS_NOTE = (
    "This document was exported from Numbers. Each table was converted to an Excel "
    "worksheet. All other objects on each Numbers sheet were placed on separate "
    "worksheets. Please be aware that formula calculations may differ in Excel."
)


def numbers(book: Book) -> None:
    """Apple Numbers' export: an "Export Summary" sheet inserted first (sheet-scoped
    names and the active tab move one place on), sheet parts found only through
    their relationship ids, and shared-string counts that do not match the list."""
    count = len(book.sheets())
    renumber_sheets(book, [count - i for i in range(count)])
    rows = [
        ("Sheet Name", "Table Name", "Excel Worksheet Name"),
        *[(s, "Table 1", s) for s in book.sheets()],
    ]
    body = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{"ABC"[c]}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for c, v in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate([(_NUMBERS_NOTE, "", ""), *rows], start=1)
    )
    book.put(
        "xl/worksheets/sheet0.xml",
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
        f'xmlns:r="{REL}"><sheetData>{body}</sheetData></worksheet>',
    )
    book.edit(
        "xl/_rels/workbook.xml.rels",
        lambda x: x.replace(
            "</Relationships>",
            f'<Relationship Id="rId99" Type="{REL}/worksheet" Target="worksheets/sheet0.xml"/>'
            "</Relationships>",
        ),
    )
    book.edit(
        "[Content_Types].xml",
        lambda x: x.replace(
            "</Types>",
            f'<Override PartName="/xl/worksheets/sheet0.xml" ContentType="{_SHEET_CT}"/></Types>',
        ),
    )

    def workbook(x: str) -> str:
        x = re.sub(r'localSheetId="(\d+)"', lambda m: f'localSheetId="{int(m.group(1)) + 1}"', x)
        return x.replace(
            "<sheets>", '<sheets><sheet name="Export Summary" sheetId="99" r:id="rId99"/>'
        )

    book.edit("xl/workbook.xml", workbook)
    # (a sheet's tab selection stays on the first step sheet; Numbers selects none)
    book.edit(
        "xl/sharedStrings.xml",
        lambda x: re.sub(
            r'uniqueCount="\d+"',
            'uniqueCount="3"',
            re.sub(r' count="\d+"', ' count="7"', x, count=1),
            count=1,
        ),
    )


# --- LibreOffice and others ---------------------------------------------------------------
def _add_xf(book: Book, like: int, num_fmt: int, code: str | None) -> int:
    """A new cellXfs entry: a copy of ``like`` with number format ``num_fmt`` (added to
    ``numFmts`` with ``code`` when given); its index."""
    styles = book.text("xl/styles.xml")
    if code is not None:
        styles = re.sub(
            r'<numFmts count="(\d+)">',
            lambda m: (
                f'<numFmts count="{int(m.group(1)) + 1}"><numFmt numFmtId="{num_fmt}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
            ),
            styles,
        )
    block = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', styles, re.S)
    assert block is not None
    xfs = re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", block.group(2), re.S)
    new = re.sub(
        r'numFmtId="\d+"', f'numFmtId="{num_fmt}" applyNumberFormat="1"', xfs[like], count=1
    )
    new = new.replace('applyNumberFormat="1" applyNumberFormat="1"', 'applyNumberFormat="1"')
    new = re.sub(r'(applyNumberFormat="1")(.*?) applyNumberFormat="1"', r"\1\2", new)
    replaced = f'<cellXfs count="{len(xfs) + 1}">{block.group(2)}{new}</cellXfs>'
    book.put("xl/styles.xml", styles.replace(block.group(0), replaced))
    return len(xfs)


def booleans_as_numbers(book: Book, yes: str, no: str) -> None:
    """Yes/no answers stored as booleans: LibreOffice's 1/0 under a ``"TRUE";"TRUE";"FALSE"``
    format, alternating with ``t="b"`` cells (Excel, gnumeric)."""
    strings = book.shared_strings()
    flag: dict[int, str] = {i: "1" for i, s in enumerate(strings) if s == yes}
    flag.update({i: "0" for i, s in enumerate(strings) if s == no})
    seen = [0]
    like = None
    for part in _step_sheets(book).values():
        for m in cells(book.text(part)):
            v = re.fullmatch(r"<v>(\d+)</v>", m.group(2) or "")
            if attr(m.group(1), "t") == "s" and v and int(v.group(1)) in flag:
                like = int(attr(m.group(1), "s") or 0)
                break
        if like is not None:
            break
    assert like is not None
    style = _add_xf(book, like, 170, '"TRUE";"TRUE";"FALSE"')

    def one(attrs: str, content: str | None) -> str | None:
        v = re.fullmatch(r"<v>(\d+)</v>", content or "")
        if attr(attrs, "t") != "s" or v is None or int(v.group(1)) not in flag:
            return None
        seen[0] += 1
        bit = flag[int(v.group(1))]
        if seen[0] % 2:
            return f"<c{set_attr(set_attr(attrs, 't', None), 's', str(style))}><v>{bit}</v></c>"
        return f"<c{set_attr(attrs, 't', 'b')}><v>{bit}</v></c>"

    for part in _step_sheets(book).values():
        book.edit(part, lambda x: rewrite_cells(x, one))
    assert seen[0] > 4


def custom_date_formats(book: Book) -> None:
    """Dates under the custom formats a Kazakh or Russian locale writes, with locale and
    calendar tags: ``[$-43F]DD.MM.YYYY;@`` and ``[$-F800]dddd, mmmm dd, yyyy``."""
    dates = sorted(book.date_styles())
    book.edit(
        "xl/styles.xml",
        lambda x: x.replace('formatCode="dd.mm.yyyy"', 'formatCode="[$-43F]DD\\.MM\\.YYYY;@"'),
    )
    long = _add_xf(book, dates[0], 171, "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy")
    seen = [0]

    def one(attrs: str, content: str | None) -> str | None:
        s = attr(attrs, "s")
        if content is None or s is None or int(s) not in dates:
            return None
        seen[0] += 1
        return None if seen[0] % 2 else f"<c{set_attr(attrs, 's', str(long))}>{content}</c>"

    for part in _step_sheets(book).values():
        book.edit(part, lambda x: rewrite_cells(x, one))
    assert seen[0] >= 2


def formulas_without_values(book: Book) -> None:
    """Formula cells with no ``<v>`` at all (nothing cached, not even an empty one)."""
    for part in book.sheets().values():
        book.edit(part, lambda x: re.sub(r"(</f>)<v>[^<]*</v>", r"\1", x))


def _space(text: str) -> str:
    attr_ = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<t{attr_}>{escape(text)}</t>"


def _inline(strings: list[str], stray: bool) -> Callable[[str, str | None], str | None]:
    """The cell rewriter for :func:`inline_strings`."""
    seen = 0

    def one(attrs: str, content: str | None) -> str | None:
        nonlocal seen
        v = re.fullmatch(r"<v>(\d+)</v>", content or "")
        if attr(attrs, "t") != "s" or v is None:
            return None
        text = strings[int(v.group(1))]
        seen += 1
        if stray:  # the value again, or a number-as-text's number, before the text
            return f"<c{set_attr(attrs, 't', 'inlineStr')}><v>0</v><is>{_space(text)}</is></c>"
        if seen % 2:
            return f"<c{set_attr(attrs, 't', 'str')}><v>{escape(text)}</v></c>"
        return f"<c{set_attr(attrs, 't', 'inlineStr')}><is>{_space(text)}</is></c>"

    return one


def inline_strings(book: Book, stray: bool = False) -> None:
    """Text in the cells instead of the shared strings, as streaming writers save it:
    ``t="inlineStr"`` with ``<is>`` and ``t="str"`` with the text in ``<v>``; with
    ``stray``, every one as ``t="inlineStr"`` with a ``<v>`` before its ``<is>`` (as
    in the R readxl test files: calamine once refused it, LibreOffice 7.4 drops it)."""
    rewrite = _inline(book.shared_strings(), stray)
    for part in book.sheets().values():
        book.edit(part, lambda x: rewrite_cells(x, rewrite))


def rich_text_and_phonetic(book: Book) -> None:
    """Shared strings as rich text (two formatted runs) and with phonetic runs
    (``<rPh>``, which Excel adds to text typed through an East Asian IME): only the
    runs are the text, never the reading."""
    out = []
    for i, text in enumerate(book.shared_strings()):
        if i % 3 == 0 and len(text) > 3:
            half = len(text) // 2
            run = '<r><rPr><b/><sz val="11"/><color theme="1"/><rFont val="Calibri"/><family val="2"/></rPr>'
            out.append(f"<si>{run}{_space(text[:half])}</r><r>{_space(text[half:])}</r></si>")
        elif i % 3 == 1:
            out.append(
                f'<si>{_space(text)}<rPh sb="0" eb="1"><t>ヨミ</t></rPh>'
                '<phoneticPr fontId="1" type="noConversion"/></si>'
            )
        else:
            out.append(f"<si>{_space(text)}</si>")
    book.edit(
        "xl/sharedStrings.xml",
        lambda x: re.sub(r"<si>.*</si>", lambda _: "".join(out), x, flags=re.S),
    )


def no_references(book: Book) -> None:
    """Rows and cells without ``r`` wherever their place follows from the one before (as
    some streaming writers and converters save them)."""

    def col(ref: str) -> int:
        n = 0
        for ch in found(r"([A-Z]+)", ref):
            n = n * 26 + ord(ch) - 64
        return n

    def row(m: re.Match[str]) -> str:
        number, body = int(m.group(2)), m.group(4)
        last = [0]

        def cell(attrs: str, content: str | None) -> str | None:
            ref = attr(attrs, "r") or ""
            c = col(ref)
            keep = c != last[0] + 1
            last[0] = c
            new = attrs if keep else set_attr(attrs, "r", None)
            return f"<c{new}/>" if content is None else f"<c{new}>{content}</c>"

        body = rewrite_cells(body or "", cell)
        head = m.group(1) if number != prev[0] + 1 else m.group(1).replace(f' r="{number}"', "")
        prev[0] = number
        return f"{head}{m.group(3)}{body}</row>" if m.group(4) is not None else f"{head}/>"

    for part in book.sheets().values():
        prev = [0]
        book.edit(
            part,
            lambda x: re.sub(r'(<row r="(\d+)"[^>]*?)(?:(>)(.*?)</row>|/>)', row, x, flags=re.S),
        )


def x_prefixed(book: Book) -> None:
    """SpreadsheetML written with an ``x:`` prefix instead of a default namespace (the
    Open XML SDK's habit): workbook, sheets, shared strings and styles."""
    wanted = ["xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml", *book.sheets().values()]
    for part in wanted:
        xml = book.text(part).replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"', 1)
        xml = re.sub(r"<(/?)([A-Za-z][\w.]*)(?=[\s/>])", r"<\1x:\2", xml)
        book.put(part, xml)


def _absolute(base: str) -> Callable[[re.Match[str]], str]:
    """A relationship target made absolute, for the .rels part of folder ``base``."""

    def one(m: re.Match[str]) -> str:
        target = m.group(1)
        if target.startswith("/") or "://" in target:
            return m.group(0)
        out: list[str] = []
        for p in (base.split("/") if base else []) + target.split("/"):
            if p == "..":
                out.pop()
            elif p not in ("", "."):
                out.append(p)
        return f'Target="/{"/".join(out)}"'

    return one


def absolute_targets(book: Book) -> None:
    """Every relationship's target as an absolute part name (``/xl/worksheets/…``)."""
    for name in [n for n in book.parts if n.endswith(".rels")]:
        base = name.split("_rels/")[0].rstrip("/")
        book.edit(name, lambda x, b=base: re.sub(r'Target="([^"]+)"', _absolute(b), x))


def _pretty(xml: str) -> str:
    """``xml`` with every element on a line of its own, indented by its depth (text and
    end tags left where they are: no text changes)."""
    depth = 0

    def indent(m: re.Match[str]) -> str:
        nonlocal depth
        tag = m.group(0)
        if tag.startswith("</"):
            depth -= 1
            return tag
        out = "\n" + "  " * depth + tag
        if not tag.endswith("/>"):
            depth += 1
        return out

    head, sep, body = xml.partition("?>")
    if not sep:
        head, body = "", xml
    return head + sep + re.sub(r"<[^!?][^>]*>", indent, body)


def bom_and_pretty(book: Book) -> None:
    """Every XML part with a UTF-8 byte-order mark and indented, one element a line."""
    for name in [n for n in book.xml_parts() if not n.endswith(".vml")]:
        book.put(name, b"\xef\xbb\xbf" + _pretty(book.text(name)).encode())


def wps_properties(book: Book) -> None:
    """WPS Office's own custom properties beside ours, and its application name."""
    extra = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{n}">'
        f"<vt:lpwstr>{v}</vt:lpwstr></property>"
        for pid, n, v in (
            (40, "ICV", "6F1A2B3C4D5E4F60A1B2C3D4E5F60718_13"),
            (41, "KSOProductBuildVer", "1049-12.2.0.13359"),
        )
    )
    book.edit("docProps/custom.xml", lambda x: x.replace("</Properties>", extra + "</Properties>"))
    book.edit(
        "docProps/app.xml",
        lambda x: re.sub(
            r"<Application>[^<]*</Application>", "<Application>WPS Spreadsheets</Application>", x
        ),
    )


def shared_strings_elsewhere(book: Book) -> None:
    """The shared strings under another name, found through the content types and the
    workbook's relationships (as some .NET and Java writers place them)."""
    book.rename("xl/sharedStrings.xml", "xl/strings/shared.xml")
    book.edit(
        "xl/_rels/workbook.xml.rels",
        lambda x: x.replace('Target="sharedStrings.xml"', 'Target="strings/shared.xml"'),
    )
    book.edit(
        "[Content_Types].xml",
        lambda x: x.replace(
            'PartName="/xl/sharedStrings.xml"', 'PartName="/xl/strings/shared.xml"'
        ),
    )


def understated_dimension(book: Book) -> None:
    """``<dimension ref="A1"/>`` on every sheet whatever it holds (older SheetJS and other
    writers): a reader trusting it (openpyxl read-only) sees one cell."""
    for part in book.sheets().values():
        book.edit(part, lambda x: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1"/>', x))


def libreoffice_formula_markup(book: Book) -> None:
    """LibreOffice's markup: ``<f aca="false">``, empty cells that still carry ``t="n"``,
    no ``spans`` on rows; defined names with other attributes before ``name``, and
    ``state="visible"`` written out."""
    book.edit(
        "xl/workbook.xml",
        lambda x: re.sub(
            r'(<sheet name="[^"]*" sheetId="\d+") r:id',
            r'\1 state="visible" r:id',
            x.replace("<definedName name=", '<definedName function="false" hidden="false" name='),
        ),
    )
    for part in book.sheets().values():
        xml = book.text(part).replace("<f>", '<f aca="false">')
        xml = re.sub(r' spans="[^"]*"', "", xml)
        xml = re.sub(r'<c (r="[A-Z]+\d+" s="\d+")/>', r'<c \1 t="n"/>', xml)
        book.put(part, xml)


def onlyoffice_moved_sheets(book: Book, suffix: str = "") -> None:
    """ONLYOFFICE (9.2, its issue 2183): after a sheet is moved, the names pointing at it
    are saved as ``#REF!``.  Every step sheet moved: each of our names on them broken,
    some with the range kept after ``#REF!``, some bare.  With ``suffix``, the NGO
    also renamed every step sheet (``14 Бюджет`` -> ``14 Бюджет{suffix}``), so that
    neither a name nor a sheet name leads to a step: only the title on its sheet."""
    if suffix:
        for sheet in _step_sheets(book):
            old, new = escape(sheet, {'"': "&quot;"}), escape(sheet + suffix, {'"': "&quot;"})
            book.edit(
                "xl/workbook.xml",
                lambda x, o=old, n=new: (
                    x.replace(f'<sheet name="{o}"', f'<sheet name="{n}"')
                    .replace(f"'{o}'!", f"'{n}'!")
                    .replace(f">{o}!", f">'{n}'!")
                ),
            )
    seen = 0

    def broken(m: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        where = m.group(3).rsplit("!", 1)[1] if seen % 2 else ""
        return f"{m.group(1)}#REF!{where}{m.group(4)}"

    book.edit(
        "xl/workbook.xml",
        lambda x: re.sub(
            r'(<definedName name="kuk_(?!list_)[^"]*">)(\')?([^<]*)(</definedName>)', broken, x
        ),
    )
    assert seen > 100


def gnumeric_comments(book: Book) -> None:
    """gnumeric's comments: an empty ``<authors/>`` list while every comment still says
    ``authorId="0"`` (issue 15: openpyxl then fails with "list index out of range")."""
    for name in [n for n in book.parts if re.fullmatch(r"xl/comments\d*\.xml", n)]:
        book.edit(name, lambda x: re.sub(r"<authors>.*?</authors>", "<authors/>", x, flags=re.S))
