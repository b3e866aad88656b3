"""Strict Open XML read as the transitional SpreadsheetML every reader knows.

Excel's "Strict Open XML Spreadsheet" save differs from the usual (transitional)
one in its namespace and relationship-type URIs (``http://purl.oclc.org/ooxml/…``),
a ``conformance="strict"`` attribute, and dates written as ISO 8601 text
(``t="d"``, which transitional SpreadsheetML allows too).  python-calamine and
openpyxl find nothing in it (openpyxl loads zero sheets, without an error), so
the checked package hands every XML part on with those URIs replaced by their
transitional twins (:func:`transitional`): a byte-for-byte replacement of fixed
ASCII strings, made after the part's prolog was checked, which can introduce no
markup.  Every other check runs as for any file.
"""

from __future__ import annotations

# (strict, transitional); the relationship types' stems first: the namespace they start
# with is replaced after them
_URIS = tuple(
    (a.encode("ascii"), b.encode("ascii"))
    for a, b in (
        (
            "http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
        ),
        (
            "http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
        ),
        (
            "http://purl.oclc.org/ooxml/officeDocument/relationships",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        ),
        (
            "http://purl.oclc.org/ooxml/spreadsheetml/main",
            "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        ),
        (
            "http://purl.oclc.org/ooxml/drawingml/main",
            "http://schemas.openxmlformats.org/drawingml/2006/main",
        ),
        (
            "http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
            "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
        ),
        (
            "http://purl.oclc.org/ooxml/drawingml/chart",
            "http://schemas.openxmlformats.org/drawingml/2006/chart",
        ),
        (
            "http://purl.oclc.org/ooxml/officeDocument/customProperties",
            "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
        ),
        (
            "http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        ),
        (
            "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
            "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
        ),
        (
            "http://purl.oclc.org/ooxml/officeDocument/sharedTypes",
            "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
        ),
        ('conformance="strict"', 'conformance="transitional"'),
    )
)
STRICT_MAIN = _URIS[3][0]
_MARK = b"purl.oclc.org/ooxml/"


def is_strict(workbook_head: bytes) -> bool:
    """Whether a workbook part (its start is enough) is Strict Open XML."""
    return STRICT_MAIN in workbook_head


def transitional(data: bytes) -> bytes:
    """An XML part of a Strict package with its URIs made transitional (the same bytes,
    not a copy, when it has none)."""
    if _MARK not in data and b'conformance="strict"' not in data:
        return data
    for strict, usual in _URIS:
        data = data.replace(strict, usual)
    return data


def is_xml_part(name: str) -> bool:
    """A part :func:`transitional` applies to (never a picture or a binary part)."""
    return name.lower().endswith((".xml", ".rels", ".vml"))
