"""A catalogue of hostile and broken inputs, each built by a few lines of code.

Trainers receive returned workbooks as e-mail attachments from many senders:
old formats, renamed files, cut-off downloads, and now and then a file made to
hurt the reader.  Every entry of :data:`CATALOGUE` builds one such file from our
own template (``build_workbook`` with the Ayel densauly sample's data) or from
nothing, and says what ``kuk-xlsx validate`` must make of it: the status, and the
FileProblem code or the finding code that carries the plain message.

Nothing here is a committed binary: zips are rewritten with :mod:`zipfile` or
written byte by byte (:func:`raw_zip`) where a zip has to lie.
"""

from __future__ import annotations

import io
import random
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO / "samples" / "data" / "ayel_densauly_project_ru.toml"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
STEP_SHEET = "16 Устойчивость"  # the last step sheet of the sample (sustainability)
BUDGET_SHEET = "14 Бюджет"


@dataclass(frozen=True)
class Expect:
    """What ``kuk-xlsx validate`` must say about a file."""

    status: str  # OK / WARNINGS / ERRORS / UNREADABLE
    problem: str = ""  # the FileProblem code (UNREADABLE only)
    limit: str = ""  # ... and the limit it names (a Limits field, or "area")
    finding: str = ""  # a finding code that must be among the findings
    note: str = ""  # an interpretation the reader must record (read in-process)
    no_note: str = ""  # an interpretation the reader must not record
    check: Callable[[Any], None] | None = None  # more about the PlanData read in-process


@dataclass(frozen=True)
class Hostile:
    name: str  # the file name (its suffix is what a trainer would see)
    what: str
    make: Callable[[Context], bytes]
    expect: Expect


@dataclass
class Context:
    """What the builders share: the base workbooks (built once) and a URL that must
    never be fetched (a local listener counts connections)."""

    folder: Path
    url: str = "http://127.0.0.1:9/kuk"
    _cache: dict[str, bytes] = field(default_factory=dict)

    def built(self, key: str, change: Callable[[dict[str, Any]], None] | None = None) -> bytes:
        """Our template filled with the sample's data (``change`` edits the data first)."""
        if key not in self._cache:
            self._cache[key] = build_filled(self.folder / f"_{key}.xlsx", change)
        return self._cache[key]

    @property
    def base(self) -> bytes:
        return self.built("base")


def load_sample_kwargs() -> dict[str, Any]:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from samples.make_samples import load_sample

    return load_sample(SAMPLE_DATA)


def build_filled(path: Path, change: Callable[[dict[str, Any]], None] | None = None) -> bytes:
    """``build_workbook(path, data=...)`` with the sample's data, edited by ``change``."""
    import copy

    from kuk_xlsx.build.workbook import build_workbook

    kwargs = load_sample_kwargs()
    kwargs["data"] = copy.deepcopy(kwargs["data"])
    if change is not None:
        change(kwargs["data"])
    return build_workbook(path, **kwargs).read_bytes()


# --- zip surgery ----------------------------------------------------------------------


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def rewrite(
    data: bytes,
    change: dict[str, bytes | Callable[[bytes], bytes] | None] | None = None,
    add: dict[str, bytes] | None = None,
) -> bytes:
    """The zip with parts replaced (bytes), edited (a function) or removed (None)."""
    change = change or {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, body in parts(data).items():
            new = change.get(name, body)
            if callable(new):
                new = new(body)
            if new is not None:
                zout.writestr(name, new)
        for name, body in (add or {}).items():
            zout.writestr(name, body)
    return out.getvalue()


def raw_zip(
    entries: list[tuple[str, bytes]],
    *,
    declared: dict[str, int] | None = None,
    flags: dict[str, int] | None = None,
    method: dict[str, int] | None = None,
) -> bytes:
    """A stored zip written byte by byte, so that its directory can lie: ``declared``
    sizes, ``flags`` (bit 0: encrypted) and compression ``method`` per entry name."""
    declared, flags, method = declared or {}, flags or {}, method or {}
    out, central, offset = [], [], 0
    for name, body in entries:
        raw = name.encode()
        size = declared.get(name, len(body))
        head = (20, flags.get(name, 0), method.get(name, 0), 0, 0x21, zlib.crc32(body))
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *head, len(body), size, len(raw), 0)
        central.append(
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack(
                "<HHHHHIIIHHHHHII", *head, len(body), size, len(raw), 0, 0, 0, 0, 0, offset
            )
            + raw
        )
        out += [local + raw, body]
        offset += len(local) + len(raw) + len(body)
    directory = b"".join(central)
    n = len(entries)
    zip64 = b""
    if n > 0xFFFF:  # zip64 end records, then an end record that points to them
        here = offset + len(directory)
        zip64 = struct.pack(
            "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, n, n, len(directory), offset
        )
        zip64 += struct.pack("<IIQI", 0x07064B50, 0, here, 1)
    short = min(n, 0xFFFF)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, short, short, len(directory), offset, 0)
    return b"".join(out) + directory + zip64 + end


def patch_directory(data: bytes, name: str, **fields: int) -> bytes:
    """Patch ``file_size``, ``compress_type`` or ``flag_bits`` of one entry, in its
    central directory record and its local header alike."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info, pos = zf.getinfo(name), zf.start_dir
    buf = bytearray(data)
    raw = name.encode()
    while True:
        pos = data.index(b"PK\x01\x02", pos)
        (name_len,) = struct.unpack_from("<H", data, pos + 28)
        if data[pos + 46 : pos + 46 + name_len] == raw:
            break
        pos += 4
    local = info.header_offset
    for key, value in fields.items():
        offsets = {
            "file_size": (24, 22, "<I"),
            "compress_type": (10, 8, "<H"),
            "flag_bits": (8, 6, "<H"),
        }
        c_off, l_off, fmt = offsets[key]
        struct.pack_into(fmt, buf, pos + c_off, value)
        struct.pack_into(fmt, buf, local + l_off, value)
    return bytes(buf)


def sheet_part(data: bytes, sheet: str) -> str:
    """The zip part of a sheet, by its name."""
    files = parts(data)
    wb = ET.fromstring(files["xl/workbook.xml"])
    rels = {
        r.get("Id"): r.get("Target", "") for r in ET.fromstring(files["xl/_rels/workbook.xml.rels"])
    }
    for s in wb.iterfind("m:sheets/m:sheet", NS):
        if s.get("name") == sheet:
            target = rels[s.get(f"{{{NS['r']}}}id")]
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise KeyError(sheet)


def shared_strings(data: bytes) -> list[str]:
    root = ET.fromstring(parts(data)["xl/sharedStrings.xml"])
    return ["".join(si.itertext()) for si in root.iterfind("m:si", NS)]


def named_cell(data: bytes, name: str) -> tuple[str, str]:
    """(sheet part, A1) of the first cell of a workbook-level defined name."""
    wb = ET.fromstring(parts(data)["xl/workbook.xml"])
    for dn in wb.iterfind("m:definedNames/m:definedName", NS):
        if dn.get("name") == name:
            sheet, _, ref = (dn.text or "").rpartition("!")
            return sheet_part(data, sheet.strip("'")), ref.split(":")[0].replace("$", "")
    raise KeyError(name)


def set_cell(xml: bytes, ref: str, new_cell: bytes) -> bytes:
    """Replace the cell ``ref`` of a sheet's XML (it must be there) with ``new_cell``."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    out, n = pattern.subn(lambda _m: new_cell, xml, count=1)
    assert n == 1, ref
    return out


def add_rows(xml: bytes, rows: bytes) -> bytes:
    return xml.replace(b"</sheetData>", rows + b"</sheetData>", 1)


def on_sheet(ctx: Context, sheet: str, edit: Callable[[bytes], bytes]) -> bytes:
    return rewrite(ctx.base, {sheet_part(ctx.base, sheet): edit})


def inline(ref: str, text: str) -> bytes:
    from xml.sax.saxutils import escape

    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'.encode()


# --- the catalogue: not a package at all ----------------------------------------------


def ole2(payload: bytes) -> bytes:
    return OLE2 + b"\x00" * 504 + payload + b"\x00" * 1024


def old_xls(_ctx: Context) -> bytes:
    return ole2("Workbook".encode("utf-16-le"))


def password_protected(_ctx: Context) -> bytes:
    """What Excel writes for File > Info > Protect with password: the package encrypted
    inside an OLE2 file with EncryptionInfo and EncryptedPackage streams."""
    names = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50
    return ole2(names + "EncryptedPackage".encode("utf-16-le") + bytes(range(256)) * 40)


def ods_renamed(_ctx: Context) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    return out.getvalue()


def csv_renamed(_ctx: Context) -> bytes:
    return "Организация;Сумма\nОФ «Әйел денсаулығы»;150000\n".encode()


def csv_utf16_renamed(_ctx: Context) -> bytes:
    """Excel's "Unicode text" export: UTF-16 with a byte-order mark, tab-separated."""
    return "Организация\tСумма\r\nОФ\t150000\r\n".encode("utf-16")


def html_renamed(_ctx: Context) -> bytes:
    return b"<html><body><table><tr><td>1</td></tr></table></body></html>"


def xml_2003_renamed(_ctx: Context) -> bytes:
    return (
        b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>'
    )


def empty(_ctx: Context) -> bytes:
    return b""


def random_bytes(_ctx: Context) -> bytes:
    import random

    return random.Random(7).randbytes(4096)


def xlsb_renamed(_ctx: Context) -> bytes:
    return raw_zip([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.bin", b"\x83\x01\x00")])


# --- the zip lies or is broken -----------------------------------------------------------


def truncated(ctx: Context) -> bytes:
    return ctx.base[: len(ctx.base) // 2]


def many_entries(ctx: Context) -> bytes:
    """200,000 zip entries: zipfile alone takes a second to list them."""
    entries = list(parts(ctx.base).items())
    entries += [(f"x/{i}", b"") for i in range(200_000)]
    return raw_zip(entries)


def shared_strings_bomb(ctx: Context) -> bytes:
    """Shared strings declaring 3 GB: a reader trusting the size allocates it."""
    return patch_directory(ctx.base, "xl/sharedStrings.xml", file_size=3_000_000_000)


def _texts(n: int) -> bytes:
    """``n`` shared strings of random hex (random: they deflate about 3:1, far under
    the ratio limit, as texts people type do)."""
    rnd = random.Random(16)
    return b"".join(b"<si><t>%010x</t></si>" % rnd.getrandbits(40) for _ in range(n))


def many_texts(ctx: Context) -> bytes:
    """700,000 shared strings (18 MB): every reader parses them whole."""
    return rewrite(
        ctx.base,
        {"xl/sharedStrings.xml": lambda x: x.replace(b"</sst>", _texts(700_000) + b"</sst>", 1)},
    )


def texts_under_another_name(ctx: Context) -> bytes:
    """200,000 shared strings (5 MB) in a part [Content_Types].xml names: openpyxl
    finds them there, not by their usual name."""
    got = parts(ctx.base)
    sst = got["xl/sharedStrings.xml"].replace(b"</sst>", _texts(200_000) + b"</sst>", 1)
    types = got["[Content_Types].xml"].replace(b"/xl/sharedStrings.xml", b"/xl/texts.xml")
    rels = got["xl/_rels/workbook.xml.rels"].replace(b"sharedStrings.xml", b"texts.xml")
    return rewrite(
        ctx.base,
        {
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": rels,
            "xl/sharedStrings.xml": None,
        },
        add={"xl/texts.xml": sst},
    )


def _in_comment(part: str, before: bytes, junk: bytes) -> Callable[[Context], bytes]:
    """A builder putting ``junk`` in an XML comment just before ``before`` in ``part``:
    well-formed, and once quadratic for a tag pattern that retried every start."""

    def make(ctx: Context) -> bytes:
        edit = lambda x: x.replace(before, b"<!--" + junk + b"-->" + before, 1)  # noqa: E731
        if part == "sheet":
            return on_sheet(ctx, STEP_SHEET, edit)
        return rewrite(ctx.base, {part: edit})

    return make


def far_sheets(n: int) -> Callable[[Context], bytes]:
    """``n`` sheets before the step sheets, each with a value at A1 and at BZ10000
    (the largest area a sheet may use); the step sheets renamed and the defined names
    gone, so every step is searched for by its title, sheet after sheet."""

    def make(ctx: Context) -> bytes:
        got = parts(ctx.base)
        sheets = rels = types = b""
        add = {}
        for i in range(n):
            add[f"xl/worksheets/far{i}.xml"] = (
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="'
                b'http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                b'<row r="1"><c r="A1"><v>1</v></c></row>'
                b'<row r="10000"><c r="BZ10000"><v>1</v></c></row></sheetData></worksheet>'
            )
            sheets += b'<sheet name="Far %d" sheetId="%d" r:id="rFar%d"/>' % (i, 900 + i, i)
            rels += (
                b'<Relationship Id="rFar%d" Target="worksheets/far%d.xml" Type="http://'
                b'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
                % (i, i)
            )
            types += (
                b'<Override PartName="/xl/worksheets/far%d.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % i
            )
        step = iter(range(1, 100))

        def rename(m: re.Match[bytes]) -> bytes:
            if m.group(1).startswith(b"_"):
                return m.group(0)
            return m.group(0).replace(b'"' + m.group(1) + b'"', b'"S%d"' % next(step), 1)

        book = re.sub(rb'<sheet name="([^"]*)"[^>]*/>', rename, got["xl/workbook.xml"])
        book = re.sub(rb"<definedNames>.*</definedNames>", b"", book, flags=re.S)
        return rewrite(
            ctx.base,
            {
                "xl/workbook.xml": book.replace(b"<sheets>", b"<sheets>" + sheets, 1),
                "xl/_rels/workbook.xml.rels": got["xl/_rels/workbook.xml.rels"].replace(
                    b"</Relationships>", rels + b"</Relationships>", 1
                ),
                "[Content_Types].xml": got["[Content_Types].xml"].replace(
                    b"</Types>", types + b"</Types>", 1
                ),
            },
            add=add,
        )

    return make


def many_formats(ctx: Context) -> bytes:
    """130,000 cell formats (8.7 MB of styles): twice what Excel itself allows."""
    rnd = random.Random(14)
    xfs = b"".join(
        b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"/>' % rnd.randrange(10**6)
        for _ in range(130_000)
    )

    def edit(xml: bytes) -> bytes:
        return re.sub(rb'<cellXfs count="[0-9]+">', b'<cellXfs count="130001">' + xfs, xml, count=1)

    return rewrite(ctx.base, {"xl/styles.xml": edit})


def deflate_bomb(ctx: Context) -> bytes:
    """A part of 40 MB of one byte, deflated to ~40 KB (ratio about 1000)."""
    return rewrite(ctx.base, add={"customXml/item1.xml": b"<a>" + b" " * 40_000_000 + b"</a>"})


def total_size_bomb(ctx: Context) -> bytes:
    """400 small parts, each declaring 1 MB (not one over the per-part ratio check)."""
    entries = list(parts(ctx.base).items())
    junk = [(f"customXml/item{i}.xml", b"<a/>") for i in range(400)]
    return raw_zip(entries + junk, declared={name: 1_000_000 for name, _ in junk})


def damaged_deflate(ctx: Context) -> bytes:
    """Bytes flipped inside a sheet's deflate stream (a bad download or disk)."""
    name = sheet_part(ctx.base, BUDGET_SHEET)
    with zipfile.ZipFile(io.BytesIO(ctx.base)) as zf:
        info = zf.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    buf = bytearray(ctx.base)
    for k in range(8):
        buf[start + info.compress_size // 2 + k] ^= 0x5A
    return bytes(buf)


def duplicate_entries(ctx: Context) -> bytes:
    """The same sheet part twice: one reader may pick the first, another the last."""
    entries = list(parts(ctx.base).items())
    name = sheet_part(ctx.base, STEP_SHEET)
    far = add_rows(dict(entries)[name], b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    return raw_zip([*entries, (name, far)])


def size_lie(ctx: Context) -> bytes:
    """A sheet that decompresses to more than its declared size."""
    name = sheet_part(ctx.base, STEP_SHEET)
    return patch_directory(ctx.base, name, file_size=100)


def zip_encrypted_entry(ctx: Context) -> bytes:
    name = sheet_part(ctx.base, STEP_SHEET)
    return patch_directory(ctx.base, name, flag_bits=1)


def unsupported_compression(ctx: Context) -> bytes:
    name = sheet_part(ctx.base, STEP_SHEET)
    return patch_directory(ctx.base, name, compress_type=12)  # bzip2


def no_content_types(ctx: Context) -> bytes:
    return rewrite(ctx.base, {"[Content_Types].xml": None})


def missing_sheet_part(ctx: Context) -> bytes:
    return rewrite(ctx.base, {sheet_part(ctx.base, BUDGET_SHEET): None})


def strict_ooxml(ctx: Context) -> bytes:
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strict = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    return rewrite(ctx.base, {"xl/workbook.xml": lambda x: x.replace(main, strict)})


# --- XML that would make a parser do what Excel never asks ----------------------------


def with_doctype(xml: bytes, doctype: bytes) -> bytes:
    decl_end = xml.index(b"?>") + 2
    return xml[:decl_end] + doctype + xml[decl_end:]


def xxe_file(ctx: Context) -> bytes:
    dtd = b'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

    def edit(xml: bytes) -> bytes:
        xml = with_doctype(xml, dtd)
        return xml.replace(b"<definedName ", b'<definedName comment="&xxe;" ', 1)

    return rewrite(ctx.base, {"xl/workbook.xml": edit})


def xxe_http_custom(ctx: Context) -> bytes:
    dtd = f'<!DOCTYPE Properties [<!ENTITY xxe SYSTEM "{ctx.url}/custom">]>'.encode()

    def edit(xml: bytes) -> bytes:
        return with_doctype(xml, dtd).replace(b"<vt:lpwstr>", b"<vt:lpwstr>&xxe;", 1)

    return rewrite(ctx.base, {"docProps/custom.xml": edit})


def xxe_http_shared_strings(ctx: Context) -> bytes:
    dtd = f'<!DOCTYPE sst [<!ENTITY % p SYSTEM "{ctx.url}/sst"> %p;]>'.encode()
    return rewrite(ctx.base, {"xl/sharedStrings.xml": lambda x: with_doctype(x, dtd)})


def billion_laughs(ctx: Context) -> bytes:
    ents = [b'<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'.encode() for i in range(1, 10)
    ]
    dtd = b"<!DOCTYPE Properties [" + b"".join(ents) + b"]>"

    def edit(xml: bytes) -> bytes:
        return with_doctype(xml, dtd).replace(b"<vt:lpwstr>", b"<vt:lpwstr>&l9;", 1)

    return rewrite(ctx.base, {"docProps/custom.xml": edit})


def quadratic_blowup(ctx: Context) -> bytes:
    dtd = b'<!DOCTYPE workbook [<!ENTITY a "' + b"x" * 50_000 + b'">]>'

    def edit(xml: bytes) -> bytes:
        xml = with_doctype(xml, dtd)
        return xml.replace(b"<definedNames>", b"<definedNames>" + b"&a;" * 20_000, 1)

    return rewrite(ctx.base, {"xl/workbook.xml": edit})


def doctype_after_long_comment(ctx: Context) -> bytes:
    """A DOCTYPE pushed past the first 4 KB of the prolog by a comment."""
    dtd = b"<!--" + b"padding " * 1000 + b'--><!DOCTYPE sst [<!ENTITY x "y">]>'
    return rewrite(ctx.base, {"xl/sharedStrings.xml": lambda x: with_doctype(x, dtd)})


def utf16_doctype(ctx: Context) -> bytes:
    """workbook.xml in UTF-16: a byte search for "<!DOCTYPE" sees nothing."""
    dtd = b'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'

    def edit(xml: bytes) -> bytes:
        xml = with_doctype(xml, dtd).replace(b'encoding="UTF-8"', b'encoding="UTF-16"', 1)
        return xml.decode("utf-8").encode("utf-16")

    return rewrite(ctx.base, {"xl/workbook.xml": edit})


# --- sheets that would make a reader allocate, or lie about themselves ------------------


FAR_VALUE = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


def far_cell(ctx: Context) -> bytes:
    """One value at XFD1048576: python-calamine alone would abort the process."""
    return on_sheet(ctx, STEP_SHEET, lambda x: add_rows(x, FAR_VALUE))


def far_styled_empty_cell(ctx: Context) -> bytes:
    """A formatted but empty cell at XFD1048576 (openpyxl builds the whole grid)."""
    row = b'<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    return on_sheet(ctx, STEP_SHEET, lambda x: add_rows(x, row))


def lying_dimension(ctx: Context) -> bytes:
    """<dimension ref="A1:C3"/> over 20,000 rows of values."""
    rows = b"".join(
        b'<row r="%d"><c r="H%d"><v>%d</v></c></row>' % (r, r, r) for r in range(40, 20_040)
    )

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:C3"/>', xml)
        return add_rows(xml, rows)

    return on_sheet(ctx, STEP_SHEET, edit)


def styled_empty_cells(ctx: Context) -> bytes:
    """300,000 formatted empty cells down to row 20,000 (past the 10,000-row cap)."""
    cols = [b"%c" % c for c in range(ord("J"), ord("Y"))]  # J..X: 15 columns
    rows = b"".join(
        b'<row r="%d">' % r + b"".join(b'<c r="%s%d" s="1"/>' % (c, r) for c in cols) + b"</row>"
        for r in range(40, 20_040)
    )
    return on_sheet(ctx, STEP_SHEET, lambda x: add_rows(x, rows))


def cells_without_r(ctx: Context) -> bytes:
    """Cells without ``r`` take the next column: 200 of them reach column GR."""
    row = b'<row r="50">' + b"<c><v>1</v></c>" * 200 + b"</row>"
    return on_sheet(ctx, STEP_SHEET, lambda x: add_rows(x, row))


def single_quoted_far_ref(ctx: Context) -> bytes:
    row = b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>"
    return on_sheet(ctx, STEP_SHEET, lambda x: add_rows(x, row))


def duplicate_r_attribute(ctx: Context) -> bytes:
    """Two ``r``: a scan reading the first misses the one the cell reader uses."""
    row = b'<row r="50"><c r="A50" r="XFD1048576"><v>1</v></c></row>'
    return on_sheet(ctx, STEP_SHEET, lambda x: add_rows(x, row))


def shared_string_out_of_range(ctx: Context) -> bytes:
    row = b'<row r="50"><c r="A50" t="s"><v>999999</v></c></row>'
    return on_sheet(ctx, STEP_SHEET, lambda x: add_rows(x, row))


def huge_cell(ctx: Context) -> bytes:
    """A 40,000-character text (more than Excel keeps) in the mission field."""
    part, ref = named_cell(ctx.base, "kuk_profile_org_mission")
    text = ("Миссия организации. " * 2000)[:40_000]
    return rewrite(ctx.base, {part: lambda x: set_cell(x, ref, inline(ref, text))})


# --- values ------------------------------------------------------------------------------


def text_in_number_cell(ctx: Context) -> bytes:
    def change(data: dict[str, Any]) -> None:
        data["budget"]["items"][0]["quantity"] = "двенадцать"

    return ctx.built("text_number", change)


def date_out_of_range(ctx: Context) -> bytes:
    """A date serial past 31.12.9999 in a date cell (its style is kept)."""
    part, ref = named_cell(ctx.base, "kuk_profile_org_date")

    def edit(xml: bytes) -> bytes:
        m = re.search(rb'<c r="' + ref.encode() + rb'"( s="\d+")?', xml)
        assert m is not None
        return set_cell(
            xml, ref, b'<c r="%s"%s><v>2958466</v></c>' % (ref.encode(), m.group(1) or b"")
        )

    return rewrite(ctx.base, {part: edit})


def date_styles(styles: bytes) -> set[int]:
    """Indexes of cell formats that show a date."""
    root = ET.fromstring(styles)
    custom = {
        nf.get("numFmtId"): nf.get("formatCode", "")
        for nf in root.iterfind("m:numFmts/m:numFmt", NS)
    }
    out = set()
    for i, xf in enumerate(root.iterfind("m:cellXfs/m:xf", NS)):
        fid = xf.get("numFmtId", "0")
        if 14 <= int(fid) <= 22 or "yy" in custom.get(fid, "").lower():
            out.add(i)
    return out


def system_1904(ctx: Context) -> bytes:
    """The 1904 date system (old Mac Excel): every date serial is 1,462 days smaller."""
    files = parts(ctx.base)
    dates = date_styles(files["xl/styles.xml"])
    cell = re.compile(rb'(<c r="[A-Z]+\d+" s="(\d+)"[^>]*><v>)(\d+)(</v>)')

    def shift(xml: bytes) -> bytes:
        def one(m: re.Match[bytes]) -> bytes:
            if int(m.group(2)) not in dates:
                return m.group(0)
            return m.group(1) + str(int(m.group(3)) - 1462).encode() + m.group(4)

        return cell.sub(one, xml)

    change: dict[str, Any] = {n: shift for n in files if n.startswith("xl/worksheets/sheet")}
    change["xl/workbook.xml"] = lambda x: re.sub(
        rb"<workbookPr", b'<workbookPr date1904="1"', x, count=1
    )
    return rewrite(ctx.base, change)


def check_1904(plan: Any) -> None:
    assert plan.steps["profile"].blocks["org"].fields["date"].value == date(2026, 11, 20)


# --- our template, or not, changed by people ---------------------------------------------


VBA = OLE2 + b"\x00" * 2048  # stands in for xl/vbaProject.bin: never run, never kept
MACRO_CT = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def with_macros(ctx: Context) -> bytes:
    def types(xml: bytes) -> bytes:
        xml = xml.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", MACRO_CT
        )
        return xml.replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )

    return rewrite(ctx.base, {"[Content_Types].xml": types}, add={"xl/vbaProject.bin": VBA})


def not_our_template(ctx: Context) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("Лист1")
    ws.write_row(0, 0, ["Мероприятие", "Сумма"])
    ws.write_row(1, 0, ["Тренинг", 150000])
    wb.close()
    return out.getvalue()


def step_sheet_deleted(ctx: Context) -> bytes:
    """The budget sheet deleted as Excel does: its names become #REF!."""
    part = sheet_part(ctx.base, BUDGET_SHEET)

    def workbook(xml: bytes) -> bytes:
        xml = re.sub(rb'<sheet name="' + BUDGET_SHEET.encode() + rb'"[^>]*/>', b"", xml)
        return re.sub(rb">'" + BUDGET_SHEET.encode() + rb"'![^<]*<", b">#REF!<", xml)

    return rewrite(ctx.base, {"xl/workbook.xml": workbook, part: None})


def meta_visible_and_edited(ctx: Context) -> bytes:
    """The hidden _meta sheet made visible and its organisation id typed over."""
    strings = shared_strings(ctx.base)
    part = sheet_part(ctx.base, "_meta")

    def meta(xml: bytes) -> bytes:
        for m in re.finditer(rb'<c r="A(\d+)"[^>]*t="s"[^>]*><v>(\d+)</v>', xml):
            if strings[int(m.group(2))] == "org_id":
                ref = f"B{int(m.group(1))}"
                return set_cell(xml, ref, inline(ref, "KZ-999"))
        raise AssertionError("no org_id row in _meta")

    def workbook(xml: bytes) -> bytes:
        return re.sub(rb'(<sheet name="_meta"[^>]*?) state="hidden"', rb"\1", xml)

    return rewrite(ctx.base, {part: meta, "xl/workbook.xml": workbook})


def name_to_ref_error(ctx: Context) -> bytes:
    def workbook(xml: bytes) -> bytes:
        return re.sub(
            rb'(<definedName name="kuk_budget_items">)[^<]*<',
            rb"\1'" + BUDGET_SHEET.encode() + rb"'!#REF!<",
            xml,
        )

    return rewrite(ctx.base, {"xl/workbook.xml": workbook})


def unreadable(code: str, limit: str = "") -> Expect:
    return Expect("UNREADABLE", problem=code, limit=limit)


CATALOGUE: tuple[Hostile, ...] = (
    # not a package
    Hostile("old_excel.xlsx", "Excel 97-2003 (.xls) renamed", old_xls, unreadable("xls")),
    Hostile(
        "password.xlsx",
        "password-protected (OLE2 EncryptedPackage)",
        password_protected,
        unreadable("encrypted"),
    ),
    Hostile("calc.xlsx", "OpenDocument .ods renamed", ods_renamed, unreadable("ods")),
    Hostile("export.xlsx", "CSV renamed", csv_renamed, unreadable("text")),
    Hostile(
        "unicode_text.xlsx",
        "UTF-16 tab-separated text renamed",
        csv_utf16_renamed,
        unreadable("text"),
    ),
    Hostile("page.xlsx", "HTML renamed", html_renamed, unreadable("html")),
    Hostile(
        "spreadsheet2003.xlsx",
        "XML Spreadsheet 2003 renamed",
        xml_2003_renamed,
        unreadable("xml2003"),
    ),
    Hostile("empty.xlsx", "0 bytes", empty, unreadable("empty")),
    Hostile("noise.xlsx", "random bytes", random_bytes, unreadable("not-zip")),
    Hostile("binary.xlsx", ".xlsb renamed", xlsb_renamed, unreadable("xlsb")),
    # the zip
    Hostile("cut_off.xlsx", "first half of a workbook", truncated, unreadable("truncated")),
    Hostile(
        "entries_200k.xlsx",
        "200,000 zip entries",
        many_entries,
        unreadable("too-large", "max_entries"),
    ),
    Hostile(
        "sst_bomb.xlsx",
        "shared strings declaring 3 GB",
        shared_strings_bomb,
        unreadable("too-large", "max_part_bytes"),
    ),
    Hostile(
        "deflate_bomb.xlsx",
        "40 MB part deflated ~1000:1",
        deflate_bomb,
        unreadable("too-large", "max_ratio"),
    ),
    Hostile(
        "total_bomb.xlsx",
        "400 parts declaring 1 MB each",
        total_size_bomb,
        unreadable("too-large", "max_total_bytes"),
    ),
    Hostile(
        "bad_deflate.xlsx",
        "bytes flipped in a deflate stream",
        damaged_deflate,
        unreadable("damaged"),
    ),
    Hostile("twice.xlsx", "one part name twice", duplicate_entries, unreadable("damaged")),
    Hostile("size_lie.xlsx", "a part larger than declared", size_lie, unreadable("damaged")),
    Hostile(
        "zip_password.xlsx", "a zip-encrypted entry", zip_encrypted_entry, unreadable("encrypted")
    ),
    Hostile(
        "bzip2.xlsx", "a part compressed with bzip2", unsupported_compression, unreadable("damaged")
    ),
    Hostile(
        "no_types.xlsx", "no [Content_Types].xml", no_content_types, unreadable("not-workbook")
    ),
    Hostile("sheet_gone.xlsx", "a sheet's part missing", missing_sheet_part, unreadable("damaged")),
    # (read as transitional since #15: a Strict workbook part beside transitional sheets too)
    Hostile("strict.xlsx", "Strict Open XML", strict_ooxml, Expect("OK", note="strict-ooxml")),
    # XML
    Hostile("xxe_file.xlsx", "XXE: file entity", xxe_file, unreadable("unsafe-xml")),
    Hostile(
        "xxe_http.xlsx", "XXE: http entity (custom.xml)", xxe_http_custom, unreadable("unsafe-xml")
    ),
    Hostile(
        "xxe_http_sst.xlsx",
        "XXE: http parameter entity (shared strings)",
        xxe_http_shared_strings,
        unreadable("unsafe-xml"),
    ),
    Hostile("laughs.xlsx", "billion laughs", billion_laughs, unreadable("unsafe-xml")),
    Hostile("quadratic.xlsx", "quadratic blowup", quadratic_blowup, unreadable("unsafe-xml")),
    Hostile(
        "late_doctype.xlsx",
        "DOCTYPE after a 8 KB comment",
        doctype_after_long_comment,
        unreadable("unsafe-xml"),
    ),
    Hostile(
        "utf16_doctype.xlsx",
        "DOCTYPE in UTF-16 workbook.xml",
        utf16_doctype,
        unreadable("unsafe-xml"),
    ),
    # sheets
    Hostile(
        "far_cell.xlsx",
        "a value at XFD1048576",
        far_cell,
        Expect("WARNINGS", finding="KUK-FILE-OUTSIDE-AREA", note="outside-area"),
    ),
    Hostile(
        "far_format.xlsx",
        "a formatted empty cell at XFD1048576",
        far_styled_empty_cell,
        Expect("OK", no_note="outside-area"),
    ),
    Hostile(
        "lying_dimension.xlsx",
        "<dimension> A1:C3 over 20,000 rows",
        lying_dimension,
        Expect("WARNINGS", finding="KUK-FILE-OUTSIDE-AREA", note="outside-area"),
    ),
    Hostile(
        "styled_300k.xlsx",
        "300,000 formatted empty cells to row 20,000",
        styled_empty_cells,
        Expect("OK", no_note="outside-area"),
    ),
    Hostile(
        "no_r.xlsx",
        "200 cells without r in one row",
        cells_without_r,
        unreadable("too-large", "area"),
    ),
    Hostile(
        "quoted_far.xlsx",
        "r='XFD1048576' in single quotes",
        single_quoted_far_ref,
        unreadable("too-large", "area"),
    ),
    Hostile(
        "two_r.xlsx",
        'a cell with r="A50" and r="XFD1048576"',
        duplicate_r_attribute,
        unreadable("too-large", "area"),
    ),
    Hostile(
        "sst_index.xlsx",
        "a shared-string index out of range",
        shared_string_out_of_range,
        unreadable("damaged"),
    ),
    Hostile("huge_cell.xlsx", "a 40,000-character cell", huge_cell, Expect("OK")),
    # values
    Hostile(
        "text_number.xlsx",
        "text in a number cell",
        text_in_number_cell,
        Expect("ERRORS", finding="KUK-VALUE-NOT-NUMBER"),
    ),
    Hostile(
        "date_range.xlsx",
        "a date serial past 9999",
        date_out_of_range,
        Expect("WARNINGS", finding="KUK-VALUE-NOT-DATE"),
    ),
    Hostile("mac_1904.xlsx", "the 1904 date system", system_1904, Expect("OK", check=check_1904)),
    # our template
    Hostile(
        "macros.xlsm",
        "a macro workbook",
        with_macros,
        Expect("WARNINGS", finding="KUK-FILE-MACROS", note="macros-ignored"),
    ),
    Hostile(
        "macros_renamed.xlsx",
        "a macro workbook renamed .xlsx",
        with_macros,
        Expect("WARNINGS", finding="KUK-FILE-MACROS", note="macros-ignored"),
    ),
    Hostile(
        "other_workbook.xlsx",
        "a valid workbook, not our template",
        not_our_template,
        Expect("ERRORS", finding="KUK-FILE-NOT-TEMPLATE"),
    ),
    Hostile(
        "no_budget.xlsx",
        "a step sheet deleted",
        step_sheet_deleted,
        Expect("ERRORS", finding="KUK-STEP-MISSING"),
    ),
    Hostile(
        "meta_edited.xlsx",
        "_meta made visible and edited",
        meta_visible_and_edited,
        Expect("WARNINGS", finding="KUK-FILE-META"),
    ),
    Hostile(
        "many_texts.xlsx",
        "700,000 shared strings (18 MB)",
        many_texts,
        unreadable("too-large", "max_shared_strings_bytes"),
    ),
    Hostile(
        "texts_renamed.xlsx",
        "200,000 shared strings in a part of another name",
        texts_under_another_name,
        Expect("OK"),
    ),
    Hostile(
        "open_tags.xlsx",
        "20,000 unclosed prefixed row tags in a comment",
        _in_comment("sheet", b"<sheetData", b"<x:row " * 20_000),
        Expect("OK"),
    ),
    Hostile(
        "open_quote.xlsx",
        "20,000 unclosed prefixed row tags and a quote left open, in a comment",
        _in_comment("sheet", b"<sheetData", b"<x:row " * 20_000 + b'"'),
        unreadable("too-large", "area"),
    ),
    Hostile(
        "open_rels.xlsx",
        "20,000 unclosed relationships in a comment",
        _in_comment(
            "xl/_rels/workbook.xml.rels", b"<Relationship ", b'<Relationship Target="x' * 20_000
        ),
        Expect("OK"),
    ),
    Hostile(
        "open_types.xlsx",
        "20,000 unclosed content-type overrides in a comment",
        _in_comment("[Content_Types].xml", b"<Override ", b"<Override " * 20_000),
        Expect("OK"),
    ),
    Hostile(
        "far_sheets.xlsx",
        "150 sheets reaching BZ10000 before renamed step sheets",
        far_sheets(150),
        unreadable("too-large", "max_read_cells"),
    ),
    Hostile(
        "few_far_sheets.xlsx",
        "3 sheets reaching BZ10000 before renamed step sheets",
        far_sheets(3),
        Expect("OK", note="name-fallback"),
    ),
    Hostile("many_formats.xlsx", "130,000 cell formats", many_formats, Expect("OK")),
    Hostile(
        "ref_name.xlsx",
        "a defined name pointing to #REF!",
        name_to_ref_error,
        Expect("OK", note="name-fallback"),
    ),
)


def build_all(folder: Path, work: Path, url: str = "http://127.0.0.1:9/kuk") -> dict[str, Path]:
    """Write every file of the catalogue into ``folder`` (``work``: for the base
    workbooks they are made from); return name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    ctx = Context(work, url)
    out = {}
    for h in CATALOGUE:
        path = folder / h.name
        path.write_bytes(h.make(ctx))
        out[h.name] = path
    return out
