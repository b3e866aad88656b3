"""The feedback copy's zip: unchanged parts copied compressed, as they are.

zipfile cannot copy a member without inflating and deflating it again; for a
feedback copy that was a third of the time (bench_feedback), spent on parts the
copy does not change.  :func:`zip_parts` writes a plain zip (no zip64, no
encryption, no data descriptors) whose members are either new bytes, deflated here,
or a member of the checked original whose compressed bytes are copied verbatim
with the size and checksum its central directory declares.  Only what zipfile
itself reads back is written: the copy is opened with zipfile in the tests, and by
LibreOffice.

:class:`Parts` is the package as the writer sees it: each part read once (as text
the edits know, see :func:`.xmlparts.unprefixed`), changed, added or left out, then
written with :func:`zip_parts`; its relationship helpers find the parts.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

try:  # zlib-ng deflates the parts we change 3-4x as fast as CPython's zlib (bench_feedback)
    from zlib_ng import zlib_ng as _zlib
except ImportError:  # a platform without its wheel: the same API, slower
    _zlib = zlib
from collections.abc import Iterable
from dataclasses import dataclass

from kuk_xlsx.outputs.feedback.copy import normalise, xml_fromstring
from kuk_xlsx.outputs.feedback.xmlparts import NotHere, unprefixed
from kuk_xlsx.package.container import CheckedPackage

# version needed 2.0 (deflate); bit 11: the name is UTF-8
_VERSION = 20
_UTF8 = 0x800
_LIMIT = 0xFFFF_FFFF  # past this a member needs zip64, which we never write


@dataclass(frozen=True)
class Member:
    """One member of the copy: its name, how it is stored, and its stored bytes."""

    name: str
    method: int  # zipfile.ZIP_STORED or zipfile.ZIP_DEFLATED
    crc: int
    size: int  # uncompressed
    stored: bytes  # the bytes as they go into the zip
    date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)


def deflated(
    name: str, body: bytes, date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)
) -> Member:
    """A member made from new bytes, deflated at level 1 (the copy is written once and
    read once; level 6 buys about 10% smaller files for twice the time)."""
    packer = _zlib.compressobj(1, _zlib.DEFLATED, -15)
    stored = packer.compress(body) + packer.flush()
    return Member(name, zipfile.ZIP_DEFLATED, _zlib.crc32(body), len(body), stored, date_time)


def copied(data: bytes, info: zipfile.ZipInfo) -> Member | None:
    """The original's member with its compressed bytes as they are, or ``None`` when it is
    not a plain stored or deflated member that can be copied so (the caller then inflates
    it and deflates it anew)."""
    off = info.header_offset
    if (
        info.flag_bits & 1  # encrypted
        or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        or max(info.compress_size, info.file_size, off) >= _LIMIT
        or off + 30 > len(data)
        or data[off : off + 4] != b"PK\x03\x04"
    ):
        return None
    name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
    start = off + 30 + name_len + extra_len
    stored = data[start : start + info.compress_size]
    if len(stored) != info.compress_size:
        return None
    return Member(
        info.filename,
        info.compress_type,
        info.CRC,
        info.file_size,
        stored,
        info.date_time,
    )


def zip_parts(members: Iterable[Member]) -> bytes:
    """The zip of ``members``, in the order given."""
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    count = 0
    for m in members:
        name = m.name.encode("utf-8")
        flags = 0 if m.name.isascii() else _UTF8
        year, month, day, hour, minute, second = m.date_time
        dos_date = (max(year, 1980) - 1980) << 9 | month << 5 | day
        dos_time = hour << 11 | minute << 5 | second // 2
        fields = (m.method, dos_time, dos_date, m.crc, len(m.stored), m.size, len(name))
        local = struct.pack("<4s5H3I2H", b"PK\x03\x04", _VERSION, flags, *fields, 0)
        if offset + len(local) + len(name) + len(m.stored) >= _LIMIT:
            raise ValueError("the copy would need zip64")
        directory.append(
            struct.pack(
                "<4s6H3I5H2I",
                b"PK\x01\x02",
                _VERSION,
                _VERSION,
                flags,
                *fields,
                0,  # extra
                0,  # comment
                0,  # disk
                0,  # internal attributes
                0,  # external attributes
                offset,
            )
            + name
        )
        chunks += (local, name, m.stored)
        offset += len(local) + len(name) + len(m.stored)
        count += 1
    if count >= 0xFFFF:
        raise ValueError("the copy would need zip64")
    central = b"".join(directory)
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(central), offset, 0)
    return b"".join([*chunks, central, end])


# --- the package as parts --------------------------------------------------------------

PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


class Parts:
    """The checked package, each part read once; parts changed or added, written out in
    the original's order."""

    def __init__(self, checked: CheckedPackage) -> None:
        self.checked = checked
        self.infos = list(checked.entries.values())
        self.names = set(checked.entries)
        self.folded = {n.lower() for n in self.names}
        self.changed: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}
        self._text: dict[str, str] = {}
        self._bytes: dict[str, bytes] = {}
        self.removed: set[str] = set()

    def text(self, name: str) -> str:
        """A part's text as the copy has it so far (changed, added or as it was)."""
        if name in self.added:
            return self.added[name].decode("utf-8")
        if name in self.changed:
            return self.changed[name].decode("utf-8")
        if name not in self._text:
            if name not in self.names:
                raise NotHere(f"no part {name}")
            self._bytes[name] = self.checked.read_raw(name)
            try:
                text = self._bytes[name].decode("utf-8")
            except UnicodeDecodeError:
                raise NotHere(f"{name} is not UTF-8") from None
            # (a part we change is written as the edits know it; one we don't stays as it was)
            self._text[name] = unprefixed(text)
        return self._text[name]

    def remove(self, name: str) -> None:
        """Leave the part out of the copy."""
        self.removed.add(name)

    def put(self, name: str, text: str) -> None:
        body = text.encode("utf-8")
        if name in self.names:
            self.changed[name] = body
        else:
            self.added[name] = body

    def free(self, pattern: str) -> str:
        """The first ``pattern % n`` (n = 1, 2, …) that names no part."""
        n = 1
        while (pattern % n).lower() in self.folded or pattern % n in self.added:
            n += 1
        name = pattern % n
        self.folded.add(name.lower())
        return name

    def zip(self) -> bytes:
        """The copy: parts changed or added deflated anew, every other part's compressed
        bytes copied as they are (a Strict Open XML package is read as transitional, so
        there every part is written anew, as read)."""
        members = []
        for info in self.infos:
            name = info.filename
            if name in self.removed:
                continue
            body = self.changed.get(name)
            member = None
            if body is None and not self.checked.strict:
                member = copied(self.checked.data, info)
            if member is None:
                if body is None:
                    body = self._bytes.get(name) or self.checked.read_raw(name)
                member = deflated(name, body, info.date_time)
            members.append(member)
        members += [deflated(name, body) for name, body in self.added.items()]
        return zip_parts(members)


def relationships(text: str) -> dict[str, tuple[str, str, str]]:
    """Relationship id -> (type, target, target mode)."""
    root = xml_fromstring(text.lstrip("\ufeff").encode("utf-8"))
    return {
        r.get("Id", ""): (r.get("Type", ""), r.get("Target", ""), r.get("TargetMode", ""))
        for r in root
        if r.tag == f"{{{PKG_REL}}}Relationship"
    }


def resolve(base: str, target: str) -> str:
    """A relationship target as a zip path, from the folder of the part that has it."""
    return normalise(target.lstrip("/") if target.startswith("/") else f"{base}/{target}")


def rels_part_of(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"
