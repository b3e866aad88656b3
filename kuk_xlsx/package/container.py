"""The zip container: its central directory read safely, and parts inflated within limits.

:func:`_declared_directory` reads the entry count the end record declares before
zipfile lists anything; :func:`_central_directory` reads a plain zip's directory
without building zipfile's objects (``None`` for anything less plain, which
zipfile then reads).  :class:`CheckedPackage` is a zip that passed the checks in
:mod:`kuk_xlsx.package.preflight`: it finds parts by their case-folded name and
inflates them straight from the buffer, each to exactly its declared size and
checksum, falling back to zipfile only for unusual entries.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

try:  # zlib-ng inflates our parts twice as fast as CPython's zlib, checksums ten times
    from zlib_ng import zlib_ng as _zlib
except ImportError:  # a platform without its wheel: the same API, slower
    _zlib = zlib
from dataclasses import dataclass, field
from typing import NamedTuple

from kuk_xlsx.package.problems import LIMITS, FileProblem, Limits, ReadError


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
