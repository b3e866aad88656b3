"""Checks before any XML parser or cell reader sees a file.

Trainers open attachments from many senders.  A file is typed by its magic
bytes, its zip directory is checked against size limits, every XML part's prolog
is refused if it declares a DOCTYPE or ENTITY (Excel never writes them), and
the sheets' cell references are scanned so that no reader allocates a grid by a
reference we have not checked (python-calamine aborts the whole process on a
single value in XFD1048576).

The cell reader never sees the file as sent: :func:`reader_view` builds a small
zip from the parts checked here (workbook, shared strings, styles, sheets), with
every sheet scanned and clipped to the rows and columns a workbook may use.  So
what python-calamine reads is exactly what was checked, whatever tricks the
original zip plays (two central directories, duplicate or look-alike part names,
sizes that lie, references without ``r`` or with odd quoting).
"""

from __future__ import annotations

import codecs
import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from bisect import bisect_right

try:  # zlib-ng inflates our parts twice as fast as CPython's zlib, checksums ten times
    from zlib_ng import zlib_ng as _zlib
except ImportError:  # a platform without its wheel: the same API, slower
    _zlib = zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple
from xml.sax.saxutils import quoteattr

from kuk_xlsx.spec.template import Label


@dataclass(frozen=True)
class Limits:
    """What a package may hold; the message for a file over a limit names it."""

    max_file_bytes: int = 128 * 1024 * 1024  # the file as sent, before anything is unpacked
    max_entries: int = 2_000
    max_part_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, for parts over 1 MiB
    # Parts parsed into a tree here (workbook.xml, its rels, custom.xml): ours are ~10 KB.
    max_parsed_part_bytes: int = 8 * 1024 * 1024
    # The area of a sheet handed to the cell reader; cells beyond are dropped first.
    max_rows: int = 10_000
    max_cols: int = 78
    # Sheet XML handed to the cell reader, all sheets together (a full 10,000 x 78
    # sheet is about 30 MB): bounds the values read into memory.
    max_sheet_bytes: int = 64 * 1024 * 1024
    # For readers that build every cell, formatted or not (openpyxl): cells in all sheets.
    max_cells: int = 100_000


LIMITS = Limits()

MESSAGES: dict[str, Label] = {
    "unreadable": Label(
        kk="Файлды ашу мүмкін болмады.",
        ru="Не удалось открыть файл.",
        en="The file could not be opened.",
    ),
    "empty": Label(
        kk="Файл бос (0 байт): оны қайта жіберуді сұраңыз.",
        ru="Файл пустой (0 байт): попросите прислать его ещё раз.",
        en="The file is empty (0 bytes): ask for it to be sent again.",
    ),
    "xls": Label(
        kk="Бұл ескі Excel 97-2003 (.xls) файлы: оны «Excel жұмыс кітабы (.xlsx)» ретінде қайта сақтаңыз.",
        ru="Это старый файл Excel 97-2003 (.xls): пересохраните его как «Книга Excel (.xlsx)».",
        en="This is an old Excel 97-2003 (.xls) file: re-save it as Excel Workbook (.xlsx).",
    ),
    "xlsb": Label(
        kk="Бұл Excel екілік кітабы (.xlsb): оны «Excel жұмыс кітабы (.xlsx)» ретінде қайта сақтаңыз.",
        ru="Это двоичная книга Excel (.xlsb): пересохраните её как «Книга Excel (.xlsx)».",
        en="This is an Excel Binary Workbook (.xlsb): re-save it as Excel Workbook (.xlsx).",
    ),
    "xml2003": Label(
        kk="Бұл ескі «XML 2003 кестесі» файлы: оны «Excel жұмыс кітабы (.xlsx)» ретінде қайта сақтаңыз.",
        ru="Это старый файл «Таблица XML 2003»: пересохраните его как «Книга Excel (.xlsx)».",
        en="This is an old XML Spreadsheet 2003 file: re-save it as Excel Workbook (.xlsx).",
    ),
    "encrypted": Label(
        kk="Файл құпиясөзбен қорғалған: құпиясөзді алып тастап, қайта жіберіңіз.",
        ru="Файл защищён паролем: снимите пароль и пришлите файл ещё раз.",
        en="The file is protected with a password: remove the password and send it again.",
    ),
    "ods": Label(
        kk="Бұл OpenDocument (.ods) файлы: оны Excel (.xlsx) пішімінде сақтаңыз.",
        ru="Это файл OpenDocument (.ods): сохраните его в формате Excel (.xlsx).",
        en="This is an OpenDocument (.ods) file: save it as Excel Workbook (.xlsx).",
    ),
    "html": Label(
        kk="Бұл веб-бет (HTML), Excel файлы емес: жұмыс дәптерін .xlsx ретінде сақтаңыз.",
        ru="Это веб-страница (HTML), а не файл Excel: сохраните рабочую тетрадь как .xlsx.",
        en="This is a web page (HTML), not an Excel file: save the workbook as .xlsx.",
    ),
    "text": Label(
        kk="Бұл мәтіндік (CSV) файл, Excel жұмыс кітабы емес: түпнұсқа .xlsx файлын жіберіңіз.",
        ru="Это текстовый (CSV) файл, а не книга Excel: пришлите исходный файл .xlsx.",
        en="This is a text (CSV) file, not an Excel workbook: send the original .xlsx file.",
    ),
    "not-zip": Label(
        kk="Бұл Excel файлы емес (немесе ол бүлінген).",
        ru="Это не файл Excel (или он повреждён).",
        en="This is not an Excel file (or it is damaged).",
    ),
    "truncated": Label(
        kk="Файл толық жүктелмеген (үзілген): оны қайта жіберуді сұраңыз.",
        ru="Файл загружен не полностью (обрезан): попросите прислать его ещё раз.",
        en="The file is incomplete (cut off): ask for it to be sent again.",
    ),
    "damaged": Label(
        kk="Файл бүлінген: Excel-де ашып, қайта сақтап, қайта жіберіңіз.",
        ru="Файл повреждён: откройте его в Excel, пересохраните и пришлите ещё раз.",
        en="The file is damaged: open it in Excel, save it again and send it again.",
    ),
    "strict": Label(
        kk="Файл «Strict Open XML» пішімінде: оны «Excel жұмыс кітабы (.xlsx)» ретінде қайта сақтаңыз.",
        ru="Файл в формате «Strict Open XML»: пересохраните его как «Книга Excel (.xlsx)».",
        en="The file is in Strict Open XML format: re-save it as Excel Workbook (.xlsx).",
    ),
    # {detail} is filled with " (…)" when there is one, else with nothing.
    "too-large": Label(
        kk="Файл тым үлкен немесе тым көп бөліктен тұрады{detail}: оны тексеріңіз.",
        ru="Файл слишком большой или состоит из слишком многих частей{detail}: проверьте его.",
        en="The file is too large or has too many parts{detail}: please check it.",
    ),
    "unsafe-xml": Label(
        kk="Файлда Excel ешқашан жазбайтын қауіпті XML бар{detail}: ол оқылмады.",
        ru="В файле есть опасный XML, который Excel никогда не пишет{detail}: он не прочитан.",
        en="The file contains unsafe XML that Excel never writes{detail}: it was not read.",
    ),
    "not-workbook": Label(
        kk="Файлда Excel жұмыс кітабы жоқ: қажетті бөлігі жоқ{detail}.",
        ru="В файле нет книги Excel: нет обязательной части{detail}.",
        en="The file holds no Excel workbook: a part it needs is missing{detail}.",
    ),
}

# The limit a file went over, named in the user's language ({part}: the part).
LIMIT_TEXT: dict[str, Label] = {
    "max_file_bytes": Label(
        kk="{found} байт, шегі {limit}",
        ru="{found} байт, предел {limit}",
        en="{found} bytes, limit {limit}",
    ),
    "max_entries": Label(
        kk="{found} бөлік, шегі {limit}",
        ru="частей: {found}, предел {limit}",
        en="{found} parts, limit {limit}",
    ),
    "max_part_bytes": Label(
        kk="{part}: {found} байт, бір бөліктің шегі {limit}",
        ru="{part}: {found} байт, предел для одной части {limit}",
        en="{part}: {found} bytes, limit per part {limit}",
    ),
    "max_parsed_part_bytes": Label(
        kk="{part}: {found} байт, шегі {limit}",
        ru="{part}: {found} байт, предел {limit}",
        en="{part}: {found} bytes, limit {limit}",
    ),
    "max_total_bytes": Label(
        kk="барлығы {found} байт, шегі {limit}",
        ru="всего {found} байт, предел {limit}",
        en="{found} bytes in all, limit {limit}",
    ),
    "max_ratio": Label(
        kk="{part}: сығу коэффициенті {found}, шегі {limit}",
        ru="{part}: степень сжатия {found}, предел {limit}",
        en="{part}: compression ratio {found}, limit {limit}",
    ),
    "area": Label(
        kk="«{part}» парағында жұмыс дәптері пайдаланатын аймақтан тыс ұяшықтар бар",
        ru="на листе «{part}» есть ячейки за пределами области, которую использует тетрадь",
        en="the sheet “{part}” has cells beyond the area a workbook may use",
    ),
    "max_sheet_bytes": Label(
        kk="парақтарда {found} байт, шегі {limit}",
        ru="в листах {found} байт, предел {limit}",
        en="{found} bytes in the sheets, limit {limit}",
    ),
    "max_cells": Label(
        kk="{found} ұяшық, шегі {limit}",
        ru="ячеек: {found}, предел {limit}",
        en="{found} cells, limit {limit}",
    ),
    "max_rows": Label(
        kk="{found} жол, шегі {limit}",
        ru="строк: {found}, предел {limit}",
        en="{found} rows, limit {limit}",
    ),
}


@dataclass(frozen=True)
class FileProblem:
    """Why a file cannot be read at all; rendered in the user's language.

    ``detail`` is language-neutral (a part name); a file over a limit also
    carries the limit's name (a :class:`Limits` field), what was found and the
    limit, so the message names the limit in the user's language.
    """

    code: str
    path: str
    detail: str = ""
    limit: str = ""
    found: int = 0
    maximum: int = 0

    def fields(self) -> dict[str, str | int]:
        """What the message is made from, for a finding's params (JSON-able)."""
        return {
            "detail": self.detail,
            "limit": self.limit,
            "found": self.found,
            "maximum": self.maximum,
        }

    def message(self, lang: str) -> str:
        """The plain message in ``lang``."""
        label = MESSAGES.get(self.code, MESSAGES["unreadable"])
        detail = self.detail
        if self.limit in LIMIT_TEXT:
            detail = (
                LIMIT_TEXT[self.limit]
                .get(lang)
                .format(part=self.detail, found=self.found, limit=self.maximum)
            )
        return label.get(lang).format(detail=f" ({detail})" if detail else "")


class ReadError(Exception):
    """The file cannot be read as a workbook at all; ``problem`` says why."""

    def __init__(self, problem: FileProblem) -> None:
        self.problem = problem
        super().__init__(problem.message("en"))


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_STRICT_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_SPREADSHEET_2003 = b"urn:schemas-microsoft-com:office:spreadsheet"
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sniff(data: bytes, path: str) -> None:
    """Refuse what is not a zip package, saying what it is instead."""

    def fail(code: str, detail: str = "") -> ReadError:
        return ReadError(FileProblem(code, path, detail))

    if not data:
        raise fail("empty")
    if data.startswith(_OLE2):
        # An encrypted .xlsx is an OLE2 file holding the package as a stream.
        raise fail("encrypted" if any(mark in data for mark in _ENCRYPTED) else "xls")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", "replace").encode("utf-8", "replace")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") and _SPREADSHEET_2003 in head:
        raise fail("xml2003")
    if head.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in head:
        raise fail("html")
    if head.startswith(b"<?xml"):
        raise fail("not-zip")
    # Text (CSV in UTF-8 or Windows-1251): no control characters but tab and line ends.
    raise fail("not-zip" if _CONTROL_BYTES.search(head) else "text")


class ZipEntry(NamedTuple):
    """What the central directory says of one part: the fields of
    :class:`zipfile.ZipInfo` the preflight uses.  (A named tuple: a workbook has
    dozens of parts, and a frozen dataclass took a third of the directory's read.)"""

    filename: str
    header_offset: int
    compress_size: int
    file_size: int
    CRC: int
    flag_bits: int
    compress_type: int


_CENTRAL_ENTRY = struct.Struct("<4s4B4HL2L5H2L")  # 46 bytes, then name, extra, comment


def _central_directory(data: bytes) -> dict[str, ZipEntry] | None:
    """The entries of a plain zip by name, read as zipfile reads them but without
    building its objects (a tenth of a workbook read); ``None`` for anything less
    plain (zip64, data before the zip, extra fields, a name twice, a count that does
    not match): zipfile reads those, and says what is wrong with them."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 20 or end + 22 > len(data) or data[end - 20 : end - 16] == b"PK\x06\x07":
        return None
    disk, cd_disk, here, count, size, offset = struct.unpack_from("<4H2L", data, end + 4)
    if disk or cd_disk or here != count or count == 0xFFFF or offset + size != end:
        return None
    out: dict[str, ZipEntry] = {}
    pos = offset
    unpack = _CENTRAL_ENTRY.unpack_from
    other_sep = os.sep if os.sep != "/" else ""
    try:
        for _ in range(count):
            (sig, _v, _s, _nv, _ns, flags, method, _t, _d, crc, csize, usize,
             nlen, xlen, clen, _disk, _ia, _ea, hoff) = unpack(data, pos)  # fmt: skip
            if sig != b"PK\x01\x02" or xlen or 0xFFFFFFFF in (csize, usize, hoff):
                return None
            raw = data[pos + 46 : pos + 46 + nlen]
            # (ASCII is the same in both encodings, and cp437's codec is slow)
            name = raw.decode("ascii" if raw.isascii() else "utf-8" if flags & 0x800 else "cp437")
            if "\0" in name or (other_sep and other_sep in name) or name in out:
                return None  # zipfile cuts at NUL, turns os.sep into "/": let it
            out[name] = ZipEntry(name, hoff, csize, usize, crc, flags, method)
            pos += 46 + nlen + clen
    except (struct.error, UnicodeDecodeError):
        return None
    return out if pos == end else None


@dataclass
class CheckedPackage:
    """A zip that passed the preflight, and the small parts already read whole."""

    entries: dict[str, ZipEntry] | dict[str, zipfile.ZipInfo]  # by name, as spelt
    parts: dict[str, bytes]
    path: str
    data: bytes = b""
    limits: Limits = LIMITS
    # A part's name as the package spells it, by its lower-case name (OPC part
    # names are case-insensitive; some writers spell them their own way).
    folded: dict[str, str] = field(default_factory=dict)
    _zf: zipfile.ZipFile | None = None

    @property
    def zf(self) -> zipfile.ZipFile:
        """zipfile's view of the package, opened only for a part read the slow way."""
        if self._zf is None:
            self._zf = zipfile.ZipFile(io.BytesIO(self.data))
        return self._zf

    def close(self) -> None:
        if self._zf is not None:
            self._zf.close()

    def find(self, name: str) -> str | None:
        """The part called ``name`` in any case, or ``None``."""
        if name in self.entries:
            return name
        return self.folded.get(name.lower())

    def read(self, name: str) -> bytes:
        """A part's bytes (checked parts come from memory); KeyError if absent."""
        if name not in self.parts:
            self.parts[name] = self.read_raw(name)
        return self.parts[name]

    def read_raw(self, name: str, size: int = -1) -> bytes:
        """Decompress a part straight from the buffer (zipfile's per-part overhead is
        most of the cost on small parts); fall back to zipfile for anything unusual.

        A whole part must decompress to exactly its declared size and checksum:
        never more (no reader downstream trusts a size we have not seen)."""
        info = self.entries[name]
        try:
            fast = _fast_read(self.data, info, size)
        except _zlib.error as exc:
            raise ReadError(FileProblem("damaged", self.path, f"{name}: {exc}")) from None
        if fast is not None:
            return fast
        try:
            zf = self.zf
        except _ZIP_ERRORS as exc:
            raise ReadError(FileProblem("damaged", self.path, f"{name}: {exc}")) from None
        return _read(zf, name, self.path, size)


def _fast_read(data: bytes, info: ZipEntry | zipfile.ZipInfo, size: int) -> bytes | None:
    off = info.header_offset
    if not data or info.flag_bits & 1 or data[off : off + 4] != b"PK\x03\x04":
        return None
    if off + 30 > len(data):
        return None
    name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
    start = off + 30 + name_len + extra_len
    comp = memoryview(data)[start : start + info.compress_size]
    whole = size < 0
    if info.compress_type == zipfile.ZIP_STORED:
        out = bytes(comp if whole else comp[:size])
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        # One byte more than declared tells a lying size without inflating a bomb.
        out = _zlib.decompressobj(-15).decompress(comp, info.file_size + 1 if whole else size)
    else:
        return None
    if whole and (len(out) != info.file_size or _zlib.crc32(out) != info.CRC):
        raise _zlib.error("the part does not match its declared size and checksum")
    return out


# Small parts that we parse ourselves: read whole once, checked, kept.
_KEPT_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "docProps/custom.xml")
# Parts python-calamine reads besides the sheets (see reader_view): for it they are
# read whole once in the preflight and kept, instead of a head there and all later.
_VIEW_PARTS = ("xl/sharedStrings.xml", "xl/styles.xml")

_PARSED_PARTS = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "docProps/custom.xml",
    "docProps/core.xml",
    "docProps/app.xml",
}

_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    NotImplementedError,
    UnicodeDecodeError,
)


def check_package(
    data: bytes, path: str, limits: Limits = LIMITS, *, whole_grid: bool = True
) -> CheckedPackage:
    """Preflight ``data`` and return the open zip; raise :class:`ReadError`.

    ``whole_grid`` (the default) is for readers that build every cell of a sheet,
    formatted or not, up to its farthest one (openpyxl): then a sheet reaching
    beyond ``max_rows`` x ``max_cols``, or more than ``max_cells`` cells in all, is
    refused too.  Our own reader passes ``False``: :func:`reader_view` clips.
    """
    sniff(data, path)

    def fail(code: str, detail: str = "", limit: str = "", found: int = 0) -> ReadError:
        maximum = getattr(limits, limit) if limit else 0
        return ReadError(FileProblem(code, path, detail, limit, found, maximum))

    if len(data) > limits.max_file_bytes:
        raise fail("too-large", limit="max_file_bytes", found=len(data))
    # Before zipfile lists a central directory (200,000 entries take a second).
    declared = _declared_directory(data)
    if declared is not None:
        entries, directory_size = declared
        if entries > limits.max_entries or directory_size > limits.max_entries * 512:
            # (a directory too big for its count holds at least size / 46 entries)
            found = entries if entries > limits.max_entries else directory_size // 46
            raise fail("too-large", limit="max_entries", found=found)
    entries: dict[str, ZipEntry] | dict[str, zipfile.ZipInfo] | None
    entries = _central_directory(data)
    zf = None
    if entries is not None:
        infos: list[ZipEntry] | list[zipfile.ZipInfo] = list(entries.values())
    else:
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            infos = zf.infolist()
        except _ZIP_ERRORS:
            raise fail("truncated") from None
        entries = zf.NameToInfo
    if len(infos) > limits.max_entries:
        raise fail("too-large", limit="max_entries", found=len(infos))
    folded = {info.filename.replace("\\", "/").lower(): info.filename for info in infos}
    sizes = [info.file_size for info in infos]
    usual = (
        len(folded) == len(infos)
        and not any(info.flag_bits & 1 for info in infos)
        and {info.compress_type for info in infos} <= {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
        and max(sizes, default=0) <= min(limits.max_part_bytes, 1 << 20)
    )
    total = sum(sizes)
    # (the loop below says which part is wrong, first one first; most packages need
    # only the checks above, which cost a third of it)
    seen: set[str] = set()
    for info in () if usual else infos:
        name = info.filename
        key = name.replace("\\", "/").lower()
        if key in seen:  # OPC: part names are unique ignoring case
            raise fail("damaged", f"{name}: the part is there twice")
        seen.add(key)
        if info.flag_bits & 1:
            raise fail("encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise fail("damaged", f"{name}: compression method {info.compress_type}")
        if info.file_size > limits.max_part_bytes:
            raise fail("too-large", name, "max_part_bytes", info.file_size)
        if info.file_size > 1 << 20 and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise fail("too-large", name, "max_ratio", ratio)
    if total > limits.max_total_bytes:
        raise fail("too-large", limit="max_total_bytes", found=total)
    checked = CheckedPackage(entries, {}, path, data, limits, folded, zf)
    if "mimetype" in folded and b"opendocument" in checked.read_raw(folded["mimetype"], 200):
        raise fail("ods")
    if checked.find("xl/workbook.xml") is None and checked.find("xl/workbook.bin") is not None:
        raise fail("xlsb")
    for required in ("[Content_Types].xml", "xl/workbook.xml"):
        if checked.find(required) is None:
            raise fail("not-workbook", required)
    # The parts our readers parse; sheets are checked as their extent is scanned.
    for name in _PARSED_PARTS:
        actual = checked.find(name)
        if actual is None:
            continue
        whole = name in _KEPT_PARTS or (not whole_grid and name in _VIEW_PARTS)
        if name in _KEPT_PARTS:
            size = checked.entries[actual].file_size
            if size > limits.max_parsed_part_bytes:
                raise fail("too-large", actual, "max_parsed_part_bytes", size)
        head = checked.read_raw(actual, -1 if whole else 4096)
        check_xml(head, actual, path, whole)
        if whole:
            checked.parts[name] = head
    if _STRICT_NS in checked.parts["xl/workbook.xml"][:4096]:
        raise fail("strict")
    if whole_grid:
        _check_whole_grid(checked)
    return checked


_CELL_TAG = re.compile(rb"<(?:[^\s<>/!?:=\"']*:)*c[\s/>]")
_RELATIONSHIP = re.compile(rb"<(?:[^\s<>/!?:=\"']*:)*Relationship\s[^>]*>")
_REL_TARGET = re.compile(rb"""\sTarget\s*=\s*["']([^"']*)["']""")
_REL_TYPE = re.compile(rb"""\sType\s*=\s*["'][^"']*/worksheet["']""", re.IGNORECASE)


def _check_whole_grid(pkg: CheckedPackage) -> None:
    """Every sheet within the area and the cell count, for readers that build them all."""
    limits = pkg.limits
    sheets = {
        n for k, n in pkg.folded.items() if k.startswith("xl/worksheets/") and k.endswith(".xml")
    }
    rels = pkg.parts.get("xl/_rels/workbook.xml.rels", b"")
    for rel in _RELATIONSHIP.findall(rels):
        target = _REL_TARGET.search(rel)
        if target is None or _REL_TYPE.search(rel) is None:
            continue
        name = target.group(1).decode("utf-8", "replace").replace("\\", "/")
        full = posixpath.normpath(name.lstrip("/") if name.startswith("/") else "xl/" + name)
        found = pkg.find(full) or pkg.find(name)
        if found is not None:
            sheets.add(found)
    cells = 0
    for part in sorted(sheets):
        data = pkg.read_raw(part)
        check_xml(data, part, pkg.path, whole=True)
        scan, _ = scan_sheet(data, part, limits)
        if not scan.readable or scan.clipped:
            raise ReadError(FileProblem("too-large", pkg.path, part, limit="area"))
        cells += len(_CELL_TAG.findall(data))
        if cells > limits.max_cells:
            raise ReadError(
                FileProblem(
                    "too-large", pkg.path, limit="max_cells", found=cells, maximum=limits.max_cells
                )
            )


def _declared_directory(data: bytes) -> tuple[int, int] | None:
    """(entries, central directory bytes) as the end record declares them (zip64 too),
    found as zipfile finds it (the last end-record signature); ``None`` if none."""
    tail_start = max(0, len(data) - (22 + 65_535))
    i = data.rfind(b"PK\x05\x06", tail_start)
    if i < 0 or i + 22 > len(data):
        return None
    entries, size = struct.unpack_from("<HI", data, i + 10)
    if entries == 0xFFFF or size == 0xFFFFFFFF:
        loc = i - 20
        if loc >= 0 and data[loc : loc + 4] == b"PK\x06\x07":
            (offset,) = struct.unpack_from("<Q", data, loc + 8)
            if offset + 56 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
                entries, size = struct.unpack_from("<QQ", data, offset + 32)
    return entries, size


# --- XML prologs -----------------------------------------------------------------

_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_PLAIN_PROLOG = re.compile(
    rb'(?:<\?xml version="1\.0" encoding="(?:UTF|utf)-8"(?: standalone="(?:yes|no)")?\?>'
    rb"\r?\n?)?<[A-Za-z_]"
)
_DTD_ANYWHERE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)  # only where "<!" is


def usual_prolog(head: bytes) -> bool:
    """Whether a part starts as every writer we know starts one: no byte-order mark,
    UTF-8 declared (or no declaration), the root element next."""
    return _PLAIN_PROLOG.match(head) is not None


def _decode_head(head: bytes) -> str | None:
    """The part's start as its XML parser would decode it; ``None``: an encoding we refuse."""
    if head.startswith(codecs.BOM_UTF8):
        return head[3:].decode("utf-8", "replace")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", "replace")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", "replace")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", "replace")
    if b"\x00" in head[:4]:
        return None  # UTF-32 or not text at all: no Excel part
    m = _XML_ENCODING.match(head)
    encoding = m.group(1).decode("ascii").lower() if m else "utf-8"
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        return None
    if codec.name.startswith(("utf-16", "utf-32")):
        return None  # declared so, but without the bytes to show it
    try:
        return head.decode(codec.name, "replace")
    except (UnicodeError, LookupError, TypeError, ValueError):
        return None


def check_xml(head: bytes, name: str, path: str, whole: bool = False) -> None:
    """Refuse a DOCTYPE or an ENTITY (Excel never writes them) before any parser runs.

    The prolog is read the way an XML parser would (byte-order mark, declared
    encoding, comments and processing instructions skipped); anything else
    starting with ``<!`` before the root element is refused, and so is a prolog
    that does not end within the first 4 KB of ``head`` (64 KB when ``head`` is the
    whole part; Excel's prolog is one short line).  A whole part is also refused
    for ``<!DOCTYPE`` or ``<!ENTITY`` anywhere in it.
    """
    # The prolog every writer we know puts first, then the root element: safe, as
    # _prolog would find.  Else most prologs end within a hundred bytes: look at those
    # first, decode the whole window only when the prolog goes on (decoding a sheet
    # costs more than the check).
    found = usual_prolog(head) or _prolog(head, 512)
    if found is None:
        found = _prolog(head, 65_536 if whole else 4096)
    # (one byte first: memchr is ten times faster than a search for two)
    if not found or (whole and b"!" in head and b"<!" in head and _DTD_ANYWHERE.search(head)):
        raise ReadError(FileProblem("unsafe-xml", path, name))


def _prolog(head: bytes, window: int) -> bool | None:
    """Whether the prolog in ``head[:window]`` is safe: ``True`` (the root element, or
    the end of a short part, is reached), ``False`` (refused), ``None`` (it goes on
    past the window)."""
    text = _decode_head(head[:window])
    if text is None:
        return False
    more = len(head) >= window  # the part may go on past what was decoded
    pos = 0
    while True:
        i = text.find("<", pos)
        if i < 0:
            # no root element yet: fine at the end of a short part (the parser will
            # say what is wrong with it), unknown (so refused) when it may go on
            return None if more else True
        if text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                return None if more else False
            pos = end + 3
        elif text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                return None if more else False
            pos = end + 2
        else:
            # <!DOCTYPE, <!ENTITY, or worse, before the root element; else the root
            return not text.startswith("<!", i)


def _read(zf: zipfile.ZipFile, name: str, path: str, size: int = -1) -> bytes:
    try:
        with zf.open(name) as fh:
            return fh.read(size)
    except (*_ZIP_ERRORS, zlib.error, _zlib.error, RuntimeError) as exc:
        raise ReadError(FileProblem("damaged", path, f"{name}: {exc}")) from None


# --- sheet extents -----------------------------------------------------------------

UNBOUNDED = 1 << 40  # an extent that cannot be told: treated as beyond every limit

# A namespace prefix, as a tag may carry one (or, wrongly, several).
_P = rb"""(?:[^\s<>/!?:="']*:)*"""
# A cell or row tag with a prefix: then the sheet is scanned the slow way.
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
# Attributes after a plain ``r``: name="value", single spaces, none of them another ``r``
# (nor a prefixed one: the slow scan counts those too).
_PLAIN_ATTRS = rb"""(?: (?!(?:[\w.-]+:)?r=)[\w:.-]+="[^"<]*")*\s*/?>"""  # openpyxl: " />"
# Every cell and row tag and every row end, for the slow scan.
_ANY_TAG = re.compile(rb"<(/?)" + _P + rb"""(c|row)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ATTR = re.compile(rb"""([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_A1 = re.compile(rb"([A-Za-z]{1,3})0*([1-9][0-9]{0,6})")
_ROWNUM = re.compile(rb"0*([1-9][0-9]{0,6})")
_VALUE_TAG = re.compile(rb"<(?:v|is)[\s/>]")
_SLOW_SCAN_TAGS = 2_000_000  # more cell and row tags than this: not scanned, not read


def _letters(n: int) -> str:
    """1-based column number -> letters."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _above(limit: str, low: str, high: str, first: str) -> bytes:
    """A regex for strings over ``limit`` in the order of their alphabet ``low``-``high``
    (``first``: what the first character may be): longer ones, or as long and greater
    at the first difference."""
    alts = [f"{first}[{low}-{high}]{{{len(limit)},}}"]
    for i, ch in enumerate(limit):
        if ch < high:
            rest = len(limit) - i - 1
            alts.append(f"{limit[:i]}[{chr(ord(ch) + 1)}-{high}][{low}-{high}]{{{rest}}}")
    return ("(?:" + "|".join(alts) + ")").encode()


def _at_most(limit: str, low: str, high: str, first: str) -> bytes:
    """A regex for non-empty strings up to ``limit`` (the complement of :func:`_above`
    among strings that start with ``first``)."""
    alts = [f"{first}[{low}-{high}]{{0,{len(limit) - 2}}}"] if len(limit) > 1 else []
    for i, ch in enumerate(limit):
        lo = low if i else first[1]
        if ch > lo:
            prev = chr(ord(ch) - 1)
            rest = len(limit) - i - 1
            alts.append(f"{limit[:i]}[{lo}-{prev}][{low}-{high}]{{{rest}}}")
    alts.append(limit)
    return ("(?:" + "|".join(alts) + ")").encode()


@dataclass(frozen=True)
class _Plain:
    """Regexes over sheets written the usual way: no prefixes, every cell and row tag
    with a plain ``r`` first (double quotes, single spaces, no second ``r``)."""

    off_cell: re.Pattern[bytes]  # a cell tag that is not plain, or beyond the limits
    off_row: re.Pattern[bytes]
    odd_cell: re.Pattern[bytes]  # a cell tag that is not plain (at any distance)
    odd_row: re.Pattern[bytes]
    far_rows: re.Pattern[bytes]  # a whole row beyond the limits (plain)
    far_cells: re.Pattern[bytes]  # a whole cell beyond the limits (plain)
    # Cheaper, for a reader placing cells by their own ``r`` (see :func:`scan_sheet`):
    first_r: re.Pattern[bytes]  # a cell tag whose first attribute is not a plain r within
    other_r: re.Pattern[bytes]  # an attribute r anywhere but first in a cell or row tag


_PLAIN_CACHE: dict[tuple[int, int], _Plain] = {}
_PLAIN_DEFAULT: list[_Plain] = []  # for LIMITS, which never change (frozen)


def _plain(limits: Limits) -> _Plain:
    if limits is LIMITS and _PLAIN_DEFAULT:  # (asked for every sheet read)
        return _PLAIN_DEFAULT[0]
    key = (limits.max_rows, limits.max_cols)
    if key in _PLAIN_CACHE:
        return _PLAIN_CACHE[key]
    row_limit, col_limit = str(limits.max_rows), _letters(limits.max_cols)
    rows_in = _at_most(row_limit, "0", "9", "[1-9]")
    cols_in = _at_most(col_limit, "A", "Z", "[A-Z]")
    rows_out = _above(row_limit, "0", "9", "[1-9]")
    cols_out = _above(col_limit, "A", "Z", "[A-Z]")
    any_row, any_col = rb"[1-9][0-9]{0,6}", rb"[A-Z]{1,3}"

    def off(name: bytes, ref: bytes) -> re.Pattern[bytes]:
        return re.compile(rb"<" + name + rb'(?=[\s/>])(?! r="' + ref + rb'"' + _PLAIN_ATTRS + rb")")

    def whole(name: bytes, ref: bytes) -> re.Pattern[bytes]:
        return re.compile(
            rb"<"
            + name
            + rb' r="'
            + ref
            + rb'"(?: [\w:.-]+="[^"<]*")*\s*(?:/>|>.*?</'
            + name
            + rb">)",
            re.S,
        )

    plain = _Plain(
        off_cell=off(b"c", cols_in + rows_in),
        off_row=off(b"row", rows_in),
        odd_cell=off(b"c", any_col + any_row),
        odd_row=off(b"row", any_row),
        far_rows=whole(b"row", rows_out),
        far_cells=whole(b"c", rb"(?:" + cols_out + rb"[0-9]+|[A-Z]+" + rows_out + rb")"),
        first_r=re.compile(rb'<c(?=[\s/>])(?! r="' + cols_in + rows_in + rb'")'),
        # an attribute name starts after white space or a closing quote; python-calamine
        # takes the last r of a tag.  A prefixed r (x:r) it ignores, but the slow scan
        # counts it (erring high): sent there too.  xmlns:r is the root's, or harmless.
        # (Literal "r" first: the regex engine jumps to them.)
        other_r=re.compile(rb"""r(?<=[\s"':]r)(?<!<c r)(?<!<row r)(?<!xmlns:r)\s*="""),
    )
    _PLAIN_CACHE[key] = plain
    if limits is LIMITS:
        _PLAIN_DEFAULT.append(plain)
    return plain


def _slow_extent(data: bytes, rows: bool = True) -> tuple[int, int]:
    """(rows, columns) a cell reader may place cells in, the way python-calamine does
    it (a cell's ``r``, else the next column of the current row; a row's ``r``, else
    the row after the last), erring high: every ``r`` counts, prefixed or repeated;
    an ``r`` it cannot read makes the extent :data:`UNBOUNDED`.  ``rows=False``: a
    row tag only moves the position (an empty far row places nothing)."""
    row = col = 0  # 0-based position of the next cell
    max_row = max_col = 0  # 1-based
    for n, m in enumerate(_ANY_TAG.finditer(data)):
        if n > _SLOW_SCAN_TAGS:
            return UNBOUNDED, UNBOUNDED
        closing, name, attrs = m.groups()
        if closing:
            if name == b"row":
                row, col = row + 1, 0
            continue
        refs = [
            a.group(2) if a.group(2) is not None else a.group(3)
            for a in _ATTR.finditer(attrs)
            if a.group(1) == b"r" or a.group(1).endswith(b":r")
        ]
        if name == b"row":
            numbers = [_ROWNUM.fullmatch(ref) for ref in refs]
            if not all(numbers):
                return UNBOUNDED, UNBOUNDED
            if numbers:
                row = max(int(num.group(1)) for num in numbers if num) - 1
            if rows:
                max_row = max(max_row, row + 1)
            if attrs.rstrip().endswith(b"/"):
                row, col = row + 1, 0
            continue
        r, c = row, col
        for i, ref in enumerate(refs):
            a1 = _A1.fullmatch(ref)
            if a1 is None:
                return UNBOUNDED, UNBOUNDED
            letters = a1.group(1).upper()
            cnum = 0
            for ch in letters:
                cnum = cnum * 26 + ch - 64
            rr, cc = int(a1.group(2)) - 1, cnum - 1
            r, c = (rr, cc) if i == 0 else (max(r, rr), max(c, cc))
        col = c + 1
        max_row, max_col = max(max_row, r + 1), max(max_col, c + 1)
    return max_row, max_col


class SheetScan(NamedTuple):
    """What the scan of one sheet part found, and what the cell reader is given.
    (A named tuple: one is made per sheet of every file read.)"""

    part: str
    rows: int  # 1-based bound on the rows the reader may see (UNBOUNDED: cannot tell)
    cols: int
    clipped: bool = False  # cells beyond the limits were dropped before reading
    lost_values: bool = False  # ... and some of them held values (not just formats)
    readable: bool = True  # False: over the limits and not clippable: not read at all


def scan_sheet(
    data: bytes, part: str, limits: Limits = LIMITS, *, rows: bool = True
) -> tuple[SheetScan, bytes]:
    """Scan a sheet part; return what was found and the bytes to hand to the reader.

    A sheet written the usual way (every cell and row with a plain ``r``) costs three
    regex passes.  With ``rows=False``, for a reader that places a cell by its own
    ``r`` (python-calamine), three cheaper ones: every cell tag starts with a plain
    ``r`` within the limits, and no tag has a second ``r`` (the one that reader would
    use); rows are not looked at, as a far row cannot place a cell that has its own
    ``r``.  Anything else is decided as with ``rows=True``.

    One with cells beyond the limits is clipped to them, and the
    clipped bytes are scanned again; one written some other way is scanned the
    slow way (as python-calamine places cells) and, when it goes beyond the limits,
    not read at all.
    """
    plain = _plain(limits)
    within = (limits.max_rows, limits.max_cols)
    if _PREFIXED.search(data) is None:
        if rows:
            if plain.off_cell.search(data) is None and plain.off_row.search(data) is None:
                return SheetScan(part, *within), data
        elif plain.first_r.search(data) is None and plain.other_r.search(data) is None:
            return SheetScan(part, *within), data
        if plain.odd_cell.search(data) is None and plain.odd_row.search(data) is None:
            clipped = plain.far_cells.sub(b"", plain.far_rows.sub(b"", data))
            if plain.off_cell.search(clipped) is None and plain.off_row.search(clipped) is None:
                lost = len(_VALUE_TAG.findall(clipped)) != len(_VALUE_TAG.findall(data))
                return SheetScan(part, *within, clipped=True, lost_values=lost), clipped
            return SheetScan(part, UNBOUNDED, UNBOUNDED, readable=False), b""
    extent_rows, extent_cols = _slow_extent(data, rows)
    if extent_rows > limits.max_rows or extent_cols > limits.max_cols:
        return SheetScan(part, extent_rows, extent_cols, readable=False), b""
    return SheetScan(part, extent_rows, extent_cols), data


# --- what the cell reader is given ------------------------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass
class ReaderView:
    """A zip built here from checked parts only: hand it (never the file as sent) to
    python-calamine, through :meth:`reader`.  ``sheets`` has one scan per sheet
    name; a sheet whose scan is not ``readable`` is left out of the zip."""

    chunks: list[bytes]  # the zip in pieces: headers, and the parts as they were read
    sheets: dict[str, SheetScan]

    def reader(self) -> ChunkReader:
        """A binary file object over the zip (see :class:`ChunkReader`)."""
        return ChunkReader(self.chunks)


class ChunkReader:
    """A read-only binary file over pieces of bytes, read as if they were joined.

    ``read(n)`` answers with at most ``n`` bytes and never crosses from one piece to
    the next (a short read, as a raw file may give): a piece asked for whole is
    handed over as it is, not copied.  python-calamine reads a file object to the
    end in growing reads; joining the view's parts for it, then slicing the joined
    bytes into its reads, cost two copies of a few hundred KB and most of a cold
    read's page faults."""

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = [c for c in chunks if c]
        self._starts: list[int] = []
        size = 0
        for c in self._chunks:
            self._starts.append(size)
            size += len(c)
        self._size = size
        self._i = 0  # the piece being read, and where in it
        self._offset = 0

    def read(self, n: int | None = -1) -> bytes:
        if self._i >= len(self._chunks):
            return b""
        if n is None or n < 0:
            rest = [self._chunks[self._i][self._offset :], *self._chunks[self._i + 1 :]]
            self._i, self._offset = len(self._chunks), 0
            return b"".join(rest)
        chunk = self._chunks[self._i]
        if self._offset == 0 and len(chunk) <= n:
            self._i += 1
            return chunk
        piece = chunk[self._offset : self._offset + n]
        self._offset += len(piece)
        if self._offset == len(chunk):
            self._i, self._offset = self._i + 1, 0
        return piece

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self.tell(), self._size)[whence]
        pos = min(max(0, base + offset), self._size)
        self._i = bisect_right(self._starts, pos) - 1 if pos < self._size else len(self._chunks)
        self._offset = pos - self._starts[self._i] if pos < self._size else 0
        return pos

    def tell(self) -> int:
        if self._i >= len(self._chunks):
            return self._size
        return self._starts[self._i] + self._offset

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True


_ATTR_SPECIAL = re.compile(r'[&<>"\n\r\t]')  # what quoteattr() would change


def _stored_zip(entries: list[tuple[str, bytes, int | None]]) -> list[bytes]:
    """A plain zip of stored (uncompressed) entries, in pieces (see ChunkReader):
    parts under 4 GiB, ASCII names.
    Written by hand: zipfile's writer costs more than everything it writes here.

    Each entry is (name, data, crc): ``crc`` is the checksum already checked for
    exactly these bytes when they were read, or ``None`` to compute it."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data, known_crc in entries:
        raw = name.encode("ascii")
        crc = _zlib.crc32(data) if known_crc is None else known_crc
        fields = (20, 0, 0, 0, 0x21, crc, len(data), len(data), len(raw))
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + raw
        central.append(
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack("<HHHHHIIIHHHHHII", *fields, 0, 0, 0, 0, 0, offset)
            + raw
        )
        out += (local, data)
        offset += len(local) + len(data)
    directory = b"".join(central)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0
    )
    return [*out, directory, end]  # (the parts not copied)


def reader_view(
    pkg: CheckedPackage,
    sheets: Iterable[tuple[str, str]],
    date1904: bool = False,
) -> ReaderView:
    """Scan every sheet (name, part) and build the zip the cell reader may read.

    Raises :class:`ReadError` ("damaged") when a sheet's part is missing or does not
    decompress to its declared size and checksum.
    """
    limits = pkg.limits
    scans: dict[str, SheetScan] = {}
    entries: list[tuple[str, bytes, int | None]] = []
    rels, names, content_types = [], [], []
    sheet_bytes = 0
    for fixed in _VIEW_PARTS:
        actual = pkg.find(fixed)
        if actual is not None:
            if fixed in pkg.parts:
                data = pkg.parts[fixed]  # read whole and checked by the preflight
            else:
                data = pkg.read_raw(actual)
                check_xml(data, actual, pkg.path, whole=True)
            entries.append((fixed, data, pkg.entries[actual].CRC))
    for i, (name, part) in enumerate(sheets, start=1):
        actual = pkg.find(part) if part else None
        if actual is None:
            raise ReadError(FileProblem("damaged", pkg.path, f"{part or name}: missing"))
        if name in scans:
            continue  # two sheets of one name: the reader would find the first
        data = pkg.read_raw(actual)
        check_xml(data, actual, pkg.path, whole=True)
        scan, clipped = scan_sheet(data, actual, limits, rows=False)
        scans[name] = scan
        if not scan.readable:
            continue
        sheet_bytes += len(clipped)
        if sheet_bytes > limits.max_sheet_bytes:
            raise ReadError(
                FileProblem(
                    "too-large",
                    pkg.path,
                    limit="max_sheet_bytes",
                    found=sheet_bytes,
                    maximum=limits.max_sheet_bytes,
                )
            )
        target = f"worksheets/sheet{i}.xml"
        # read_raw checked the part against its CRC: reuse it unless clipping changed it
        crc = pkg.entries[actual].CRC if clipped is data else None
        entries.append((f"xl/{target}", clipped, crc))
        rels.append(f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="{target}"/>')
        quoted = quoteattr(name) if _ATTR_SPECIAL.search(name) else f'"{name}"'
        names.append(f'<sheet name={quoted} sheetId="{i}" r:id="rId{i}"/>')
        content_types.append(f'<Override PartName="/xl/{target}" ContentType="{_SHEET_CT}"/>')
    xml = '<?xml version="1.0" encoding="UTF-8"?>'
    workbook = (
        f'{xml}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        f'<workbookPr date1904="{int(date1904)}"/><sheets>{"".join(names)}</sheets></workbook>'
    )
    entries += [
        ("xl/workbook.xml", workbook.encode(), None),
        (
            "xl/_rels/workbook.xml.rels",
            f'{xml}<Relationships xmlns="{_PKG_REL_NS}">{"".join(rels)}</Relationships>'.encode(),
            None,
        ),
        (
            "_rels/.rels",
            f'{xml}<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'.encode(),
            None,
        ),
        (
            "[Content_Types].xml",
            f'{xml}<Types xmlns="{_CT_NS}">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{''.join(content_types)}</Types>".encode(),
            None,
        ),
    ]
    return ReaderView(_stored_zip(entries), scans)
