"""Checks before any XML parser or cell reader sees a file.

Trainers open attachments from many senders.  A file is typed by its magic
bytes, its zip directory is checked against size limits, every XML part's prolog
is refused if it declares a DOCTYPE or ENTITY (Excel never writes them), and
the sheets' cell references are scanned so that no reader allocates a grid by a
reference we have not checked (python-calamine aborts the whole process on a
single value in XFD1048576).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from kuk_xlsx.spec import Label


@dataclass(frozen=True)
class Limits:
    """Zip limits; the message for a file over a limit names it."""

    max_entries: int = 2_000
    max_part_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, for parts over 1 MiB


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
    "too-large": Label(
        kk="Файл тым үлкен немесе тым көп бөліктен тұрады ({detail}): оны тексеріңіз.",
        ru="Файл слишком большой или состоит из слишком многих частей ({detail}): проверьте его.",
        en="The file is too large or has too many parts ({detail}): please check it.",
    ),
    "unsafe-xml": Label(
        kk="Файлда Excel ешқашан жазбайтын қауіпті XML бар ({detail}): ол оқылмады.",
        ru="В файле есть опасный XML, который Excel никогда не пишет ({detail}): он не прочитан.",
        en="The file contains unsafe XML that Excel never writes ({detail}): it was not read.",
    ),
    "not-workbook": Label(
        kk="Файлда Excel жұмыс кітабы жоқ ({detail}).",
        ru="В файле нет книги Excel ({detail}).",
        en="The file holds no Excel workbook ({detail}).",
    ),
}


@dataclass(frozen=True)
class FileProblem:
    """Why a file cannot be read at all; rendered in the user's language."""

    code: str
    path: str
    detail: str = ""

    def message(self, lang: str) -> str:
        """The plain message in ``lang``."""
        label = MESSAGES.get(self.code, MESSAGES["unreadable"])
        return label.get(lang).format(detail=self.detail)


class ReadError(Exception):
    """The file cannot be read as a workbook at all; ``problem`` says why."""

    def __init__(self, problem: FileProblem) -> None:
        self.problem = problem
        super().__init__(problem.message("en"))


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,4})([0-9]{1,8})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,8})"')
# A reference past column BH-ish (2 letters from C, or 3+) or past row 9999:
# only then is the exact extent worth a full scan.
_FAR_REF = re.compile(rb'r="(?:[A-Z]{3}|[C-Z][A-Z][0-9]|[A-Z]{0,2}[0-9]{5})')
_STRICT_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"


def sniff(data: bytes, path: str) -> None:
    """Refuse what is not a zip package, saying what it is instead."""

    def fail(code: str, detail: str = "") -> ReadError:
        return ReadError(FileProblem(code, path, detail))

    if not data:
        raise fail("empty")
    if data.startswith(_OLE2):
        raise fail("encrypted" if _ENCRYPTED in data[:2_000_000] else "xls")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<html" in head:
        raise fail("html")
    try:
        head.decode("utf-8")
        is_text = b"\x00" not in head
    except UnicodeDecodeError:
        is_text = False
    raise fail("text" if is_text else "not-zip")


@dataclass
class CheckedPackage:
    """A zip that passed the preflight, and the small parts already read whole."""

    zf: zipfile.ZipFile
    parts: dict[str, bytes]
    path: str
    data: bytes = b""

    def read(self, name: str) -> bytes:
        """A part's bytes (checked parts come from memory); KeyError if absent."""
        if name not in self.parts:
            self.parts[name] = self.read_raw(name)
        return self.parts[name]

    def read_raw(self, name: str, size: int = -1) -> bytes:
        """Decompress a part straight from the buffer (zipfile's per-part overhead is
        most of the cost on small parts); fall back to zipfile for anything unusual."""
        info = self.zf.NameToInfo[name]
        try:
            fast = _fast_read(self.data, info, size)
        except zlib.error as exc:
            raise ReadError(FileProblem("damaged", self.path, f"{name}: {exc}")) from None
        return fast if fast is not None else _read(self.zf, name, self.path, size)


def _fast_read(data: bytes, info: zipfile.ZipInfo, size: int) -> bytes | None:
    off = info.header_offset
    if not data or info.flag_bits & 1 or data[off : off + 4] != b"PK\x03\x04":
        return None
    name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
    start = off + 30 + name_len + extra_len
    comp = memoryview(data)[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        out = bytes(comp if size < 0 else comp[:size])
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        out = zlib.decompressobj(-15).decompress(comp, max(size, 0))
    else:
        return None
    if size < 0 and (len(out) != info.file_size or zlib.crc32(out) != info.CRC):
        raise zlib.error("the part does not match its checksum")
    return out


# Small parts that we parse ourselves: read whole once, checked, kept.
_KEPT_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "docProps/custom.xml")


def check_package(data: bytes, path: str, limits: Limits = LIMITS) -> CheckedPackage:
    """Preflight ``data`` and return the open zip; raise :class:`ReadError`."""
    sniff(data, path)

    def fail(code: str, detail: str = "") -> ReadError:
        return ReadError(FileProblem(code, path, detail))

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise fail("truncated") from None
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise fail("too-large", f"{len(infos)} parts, limit {limits.max_entries}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_part_bytes:
            raise fail(
                "too-large",
                f"{info.filename}: {info.file_size} bytes, limit {limits.max_part_bytes}",
            )
        if info.file_size > 1 << 20 and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise fail("too-large", f"{info.filename}: compression ratio over {limits.max_ratio}")
    if total > limits.max_total_bytes:
        raise fail("too-large", f"{total} bytes in total, limit {limits.max_total_bytes}")
    names = set(zf.namelist())
    if "mimetype" in names and b"opendocument" in _read(zf, "mimetype", path, 200):
        raise fail("ods")
    if "[Content_Types].xml" not in names:
        raise fail("not-workbook", "[Content_Types].xml is missing")
    if "xl/workbook.xml" not in names:
        raise fail("not-workbook", "xl/workbook.xml is missing")
    # The parts our readers parse; sheets are checked as their extent is scanned.
    checked = CheckedPackage(zf, {}, path, data)
    for name in _PARSED_PARTS & names:
        whole = name in _KEPT_PARTS
        head = checked.read_raw(name, -1 if whole else 4096)
        _check_prolog(head, name, path)
        if whole:
            checked.parts[name] = head
    if _STRICT_NS in checked.parts["xl/workbook.xml"][:4096]:
        raise fail("strict")
    return checked


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


def _check_prolog(head: bytes, name: str, path: str) -> None:
    """Excel never writes a DOCTYPE or an ENTITY; refuse them before any parser runs."""
    head = head[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ReadError(FileProblem("unsafe-xml", path, name))


def _read(zf: zipfile.ZipFile, name: str, path: str, size: int = -1) -> bytes:
    try:
        with zf.open(name) as fh:
            return fh.read(size)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        raise ReadError(FileProblem("damaged", path, f"{name}: {exc}")) from None


def sheet_extent(pkg: CheckedPackage, part: str) -> tuple[int, int]:
    """(largest row, largest column) any cell in the sheet part may refer to, 1-based.

    Cheap for ordinary sheets: without a far reference it returns the bound
    (9,999 rows, 78 columns) instead of scanning every cell.
    """
    if part not in pkg.zf.NameToInfo:
        return (0, 0)
    data = pkg.read_raw(part)
    _check_prolog(data, part, pkg.path)
    if not _FAR_REF.search(data):
        return (9_999, 78)  # an upper bound, which is all callers need
    max_row = max_col = 0
    for col, row in _CELL_REF.findall(data):
        max_row = max(max_row, int(row))
        n = 0
        for ch in col:
            n = n * 26 + ch - 64
        max_col = max(max_col, n)
    for row in _ROW_REF.findall(data):
        max_row = max(max_row, int(row))
    return max_row, max_col
