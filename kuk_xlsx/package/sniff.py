"""What kind of file was sent, told by its first bytes, before it is opened as a zip.

A trainer's inbox holds old .xls files, password-protected workbooks (an OLE2
file with the package inside), XML Spreadsheet 2003, web pages and CSV saved
with an .xlsx name.  :func:`sniff` lets through only what starts like a zip and
refuses the rest with a :class:`FileProblem` that says what the file is instead,
so the sender is told what to re-save it as.
"""

from __future__ import annotations

import codecs
import re

from kuk_xlsx.package.problems import FileProblem, ReadError

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
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
