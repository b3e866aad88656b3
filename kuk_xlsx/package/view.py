"""The reader view: a small zip built from checked parts, all the cell reader ever reads.

:func:`reader_view` reads each sheet part it is given, checks its prolog, scans
and clips it (:func:`kuk_xlsx.package.sheetscan.scan_sheet`), and writes a
fresh stored zip of those sheets with the checked shared strings and styles and
a workbook, relationships and content types written here.  So python-calamine
reads exactly what was checked, whatever tricks the original zip plays.  The zip
is kept in pieces and read through :class:`ChunkReader`, so the parts are not
copied again.
"""

from __future__ import annotations

import re
import struct
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from kuk_xlsx.package.container import CheckedPackage, _zlib
from kuk_xlsx.package.problems import FileProblem, ReadError
from kuk_xlsx.package.prolog import check_xml
from kuk_xlsx.package.sheetscan import SheetScan, scan_sheet

# Parts python-calamine reads besides the sheets (see reader_view): for it they are
# read whole once in the preflight and kept, instead of a head there and all later.
_VIEW_PARTS = ("xl/sharedStrings.xml", "xl/styles.xml")


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
    # each sheet's XML as handed to the cell reader (the same bytes, not a copy): the
    # reader looks in it for formulas people typed, which the cell reader does not give
    xml: dict[str, bytes] = field(default_factory=dict)

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
    xml_of: dict[str, bytes] = {}
    sheet_bytes = 0
    for fixed in _VIEW_PARTS:
        actual = pkg.find(fixed) or pkg.located.get(fixed)
        if actual is not None:
            if fixed in pkg.parts and actual == pkg.find(fixed):
                data = pkg.parts[fixed]  # read whole and checked by the preflight
            else:
                data = pkg.read_raw(actual)
                check_xml(data, actual, pkg.path, whole=True)
            # (a Strict package's parts were made transitional: their checksum is new)
            entries.append((fixed, data, None if pkg.strict else pkg.entries[actual].CRC))
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
        crc = pkg.entries[actual].CRC if clipped is data and not pkg.strict else None
        entries.append((f"xl/{target}", clipped, crc))
        xml_of[name] = clipped
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
    return ReaderView(_stored_zip(entries), scans, xml_of)
