"""XML prologs: a DOCTYPE or ENTITY is refused before any XML parser sees a part.

Excel never writes either, and both are how XML parsers are attacked (entity
expansion, external entities).  :func:`check_xml` reads a part's prolog the way
a parser would (byte-order mark, declared encoding, comments and processing
instructions skipped) and refuses anything else starting with ``<!`` before the
root element, a prolog too long to tell, and, for a whole part, ``<!DOCTYPE`` or
``<!ENTITY`` anywhere in it.  :func:`usual_prolog` is the cheap test for the
prolog every writer we know puts first.
"""

from __future__ import annotations

import codecs
import re

from kuk_xlsx.package.problems import FileProblem, ReadError

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
