"""The zip container: its central directory read safely, and parts inflated within limits.

:func:`_declared_directory` reads the entry count the end record declares before
zipfile lists anything (a huge directory is refused before it is built); zipfile
then reads the directory.  :class:`CheckedPackage` is a zip that passed the checks
in :mod:`kuk_xlsx.package.preflight`: it finds parts by their case-folded name and
inflates them straight from the buffer at the offsets zipfile found, each to
exactly its declared size and checksum, falling back to zipfile's own reader for
anything unusual.  (Inflating directly is a fifth of a workbook's read: zipfile's
per-part open re-reads and re-checks the local header, and builds a reader object,
for every part.)
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

try:  # zlib-ng inflates our parts twice as fast as CPython's zlib, checksums ten times
    from zlib_ng import zlib_ng as _zlib
except ImportError:  # a platform without its wheel: the same API, slower
    _zlib = zlib
from dataclasses import dataclass, field

from kuk_xlsx.package.problems import LIMITS, FileProblem, Limits, ReadError
from kuk_xlsx.package.strict import is_xml_part, transitional


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


@dataclass
class CheckedPackage:
    """A zip that passed the preflight, and the small parts already read whole."""

    entries: dict[str, zipfile.ZipInfo]  # by name, as spelt
    parts: dict[str, bytes]
    path: str
    data: bytes = b""
    limits: Limits = LIMITS
    # A part's name as the package spells it, by its lower-case name (OPC part
    # names are case-insensitive; some writers spell them their own way).
    folded: dict[str, str] = field(default_factory=dict)
    _zf: zipfile.ZipFile | None = None
    # The shared strings or styles where [Content_Types].xml puts them under another
    # name: the usual name -> the part (see preflight._check_whole_parts).
    located: dict[str, str] = field(default_factory=dict)
    # Strict Open XML: every XML part is read with its URIs made transitional (see
    # kuk_xlsx.package.strict), so that no reader downstream needs to know
    strict: bool = False

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
            data = _fast_read(self.data, info, size)
        except _zlib.error as exc:
            raise ReadError(FileProblem("damaged", self.path, f"{name}: {exc}")) from None
        if data is None:
            try:
                zf = self.zf
            except _ZIP_ERRORS as exc:
                raise ReadError(FileProblem("damaged", self.path, f"{name}: {exc}")) from None
            data = _read(zf, name, self.path, size)
        if self.strict and is_xml_part(name):
            return transitional(data)
        return data


def _fast_read(data: bytes, info: zipfile.ZipInfo, size: int) -> bytes | None:
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


def _read(zf: zipfile.ZipFile, name: str, path: str, size: int = -1) -> bytes:
    try:
        with zf.open(name) as fh:
            return fh.read(size)
    except (*_ZIP_ERRORS, zlib.error, _zlib.error, RuntimeError) as exc:
        raise ReadError(FileProblem("damaged", path, f"{name}: {exc}")) from None
