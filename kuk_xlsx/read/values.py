"""Turning what people type into typed values, with our own rules.

``float()`` accepts ``nan``, ``inf``, ``1_000`` and non-ASCII digits; people type
``5 000``, ``1 234,50 ₸``, ``10%`` and ``1,5 млн``.  These parsers accept what
people mean and refuse what no one means.  Each returns ``None`` when the text
is not a value of that kind.

Accepted number forms (documented in README):
- digits with spaces, non-breaking or thin spaces, or apostrophes as thousands
  separators: ``5 000``, ``5 000``, ``1'000``;
- a decimal comma or point: ``5,5``, ``0,1``, ``2.75``; ``1,234.50`` and
  ``1.234,50`` (both separators: the last one is the decimal mark);
- a currency sign or word before or after: ``₸``, ``тг``, ``тенге``, ``KZT``,
  ``руб``, ``$``, ``USD``, ``€``;
- a scale word after: ``тыс``/``мың``/``thousand`` (x 1,000), ``млн``/``million``
  (x 1,000,000), ``млрд``/``billion``;
- a trailing ``%`` (divided by 100);
- a leading minus (``-``, ``−``).
Refused: ``nan``, ``inf``, underscores, non-ASCII digits, several numbers in one
cell, letters other than the words above.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

SPACES = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003 \t"
# Cyrillic letters that look like Latin ones: people mix them up when typing.
_LOOKALIKE = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ӏ": "l",
    }
)

_CURRENCY = re.compile(
    r"(₸|тг\.?|тенге|теңге|tenge|kzt|руб\.?|рублей|₽|\$|usd|€|eur)", re.IGNORECASE
)
_SCALES = [
    (re.compile(r"(млрд\.?|миллиард\w*|billion|bn)$", re.IGNORECASE), 1e9),
    (re.compile(r"(млн\.?|миллион\w*|million|mln|m)$", re.IGNORECASE), 1e6),
    (re.compile(r"(тыс\.?|тысяч\w*|мың|thousand|k)$", re.IGNORECASE), 1e3),
]


def normalise_label(text: object) -> str:
    """Fold case, spaces (incl. non-breaking), dashes, quotes and look-alike letters."""
    if text is None or text == "":
        return ""
    return _normalise(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=8192)  # labels and headers; NGO texts rarely repeat
def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = s.replace("ё", "е").replace("Ё", "Е")
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    s = re.sub(r"[«»“”„\"'`’]", "", s)
    s = re.sub(f"[{SPACES}\r\n]+", " ", s).strip().rstrip("*").strip()
    return s.casefold().translate(_LOOKALIKE)


def clean_text(value: object) -> str:
    """Cell text as the person meant it: trimmed; a cell holding only spaces is empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    text = str(value)
    return text.strip(SPACES + "\r\n")


def parse_number(value: object) -> float | None:
    """A number from a cell value, or ``None`` when it is not one (see module doc)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        f = float(value)
        return f if f == f and f not in (float("inf"), float("-inf")) else None
    if not isinstance(value, str):
        return None
    # a leading apostrophe: how LibreOffice, gnumeric and openpyxl keep an entry typed
    # as '1 500 000 (Excel keeps a quotePrefix style instead, and the bare text)
    s = value.strip(SPACES).removeprefix("'").strip(SPACES)
    if not s or "_" in s or any(ch.isdigit() and not ("0" <= ch <= "9") for ch in s):
        return None
    s = s.replace("−", "-").replace("–", "-")
    scale = 1.0
    if s.endswith("%"):
        scale, s = 0.01, s[:-1].strip(SPACES)
    s = _CURRENCY.sub("", s).strip(SPACES)
    for pattern, factor in _SCALES:
        m = pattern.search(s)
        if m and m.start() > 0:
            s, scale = s[: m.start()].strip(SPACES + "."), scale * factor
            break
    s = _CURRENCY.sub("", s).strip(SPACES)
    for sp in SPACES:
        s = s.replace(sp, " ")
    sign = -1.0 if s.startswith("-") else 1.0
    s = s.lstrip("+-").strip()
    if "," in s and "." in s:
        # both marks: the last one is the decimal mark, the other groups thousands
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        group = "." if dec == "," else ","
        if not re.fullmatch(rf"\d{{1,3}}(\{group}\d{{3}})+\{dec}\d+", s):
            return None
        s = s.replace(group, "").replace(dec, ".")
    elif re.fullmatch(r"[1-9]\d{0,2}([.,]\d{3})+", s) and len(set(re.findall(r"[.,]", s))) == 1:
        s = re.sub(r"[.,]", "", s)  # 1,000 / 2.500.000: a thousands mark (amounts in tenge)
    elif s.count(",") + s.count(".") == 1:
        s = s.replace(",", ".")
    elif "," in s or "." in s:
        return None
    m = re.fullmatch(r"(\d{1,3}(?:[ '’]\d{3})+|\d+)?(?:\.(\d+))?", s)
    if not s or not m or not (m.group(1) or m.group(2)):
        return None
    whole = re.sub(r"[ '’]", "", m.group(1) or "0")
    number = float(f"{whole}.{m.group(2) or '0'}")
    return sign * number * scale


YES = {"иә", "иа", "ия", "ие", "да", "yes", "y", "x", "✓", "✔", "☑", "+", "1", "true", "д", "и"}
NO = {"жоқ", "жок", "нет", "no", "n", "-", "0", "false", "н", "ж"}
_YES = {normalise_label(w) for w in YES}
_NO = {normalise_label(w) for w in NO}


def parse_yes_no(value: object) -> bool | None:
    """``True``/``False`` from иә/да/yes/x/✓ (any case) and жоқ/нет/no; else ``None``."""
    if isinstance(value, str):
        return yes_no_text(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return {1: True, 0: False}.get(int(value)) if float(value).is_integer() else None
    return yes_no_text(str(value)) if value is not None else None


@lru_cache(maxsize=1024)  # a cohort types the same few marks thousands of times
def yes_no_text(text: str) -> bool | None:
    """:func:`parse_yes_no` of a text."""
    folded = normalise_label(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_EPOCH_1904 = date(1904, 1, 1)
_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%Y.%m.%d")


def parse_date(value: object, date1904: bool = False) -> date | None:
    """A date from a date cell, an Excel serial number, or text like 31.12.2026."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel's valid range: 1900-01-01 .. 9999-12-31
            return None
        epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
        return epoch + timedelta(days=int(value))
    if isinstance(value, str):
        text = value.strip(SPACES).rstrip("ж.").strip(SPACES)
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return None


def is_month_mark(value: object) -> bool:
    """Any mark in a month column counts (x, х, ✓, 1, +, иә …) except an explicit no."""
    if isinstance(value, str):
        return _text_month_mark(value)
    text = clean_text(value)
    return bool(text) and parse_yes_no(text) is not False


@lru_cache(maxsize=1024)
def _text_month_mark(value: str) -> bool:
    text = clean_text(value)
    return bool(text) and yes_no_text(text) is not False


# --- formulas people typed ---------------------------------------------------------

MAX_FORMULA_CHARS = 200  # longer: not evaluated (and said so)
# digits, a decimal point, + - * /, parentheses, commas between SUM's arguments
_ARITHMETIC = re.compile(r"(?:[0-9.+\-*/(), ]|SUM(?=\())+", re.IGNORECASE)


def evaluate_formula(formula: str) -> float | None:
    """The value of a formula a person typed into an input cell (``2*12000``,
    ``(1500+300)*12``, ``SUM(100,200)``: as the file stores it, whatever the
    program's language showed), or ``None`` when it is not plain arithmetic:
    numbers, + - * /, parentheses and SUM of those.  Cell references, other
    functions and anything non-finite are not evaluated: the cached result of a
    returned file is never trusted, so the caller says the value could not be checked.
    """
    import ast
    import math

    text = formula.strip().removeprefix("=")
    if not text or len(text) > MAX_FORMULA_CHARS or not _ARITHMETIC.fullmatch(text):
        return None
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError):
        return None

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return float(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
            v = value(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and isinstance(
            node.op, ast.Add | ast.Sub | ast.Mult | ast.Div
        ):
            a, b = value(node.left), value(node.right)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            return a / b
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.upper() == "SUM"
            and not node.keywords
        ):
            return sum(value(a) for a in node.args)
        raise ValueError(node)

    try:
        result = value(tree.body)
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return None
    return result if math.isfinite(result) else None
