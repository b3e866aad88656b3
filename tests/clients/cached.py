"""Formula results as a spreadsheet program caches them: worked out for our template's formulas.

xlsxwriter leaves every formula's cached result empty; Excel, Google Sheets,
Numbers and LibreOffice save the result they computed.  :func:`cache_results`
puts those results into a :class:`~tests.clients.zipxml.Book`, worked out from the
source workbook as read (the figures the reader recomputes, and each budget row's
quantity times unit cost), so that a fixture carries real cached values that
agree with what the NGO typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kuk_xlsx.read.model import PlanData
from tests.clients.zipxml import Book, attr, rewrite_cells, set_attr

_ROW_PRODUCT = re.compile(r'IF\(OR\(D(\d+)="",E\1=""\),"",D\1\*E\1\)')
_BAND = re.compile(r'IF\(kuk_profile_org_level="[^"]*",([\d.]+),([\d.]+)\)')
_STATUS = re.compile(r'IF\(F\d+="","",IF\(AND\([^)]*\),"([^"]*)","([^"]*)"\)\)')
_NUMBER_CELL = re.compile(r'<c r="([A-Z]+\d+)"[^>]*?(?<!/)>(?:<f>[^<]*</f>)?<v>([^<]*)</v>')


def number_text(x: float) -> str:
    """A number as Excel writes it in ``<v>``: shortest round-trip form, no ``.0``."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def results(plan: PlanData) -> Callable[[str, dict[str, str]], float | str | None]:
    """A function: (formula, the sheet's numbers by cell) -> the cached result, or
    ``None`` for a formula it does not know."""
    fig = plan.figures
    org = plan.block("profile", "org")
    level = org.fields["level"].value if org and "level" in org.fields else "national"
    share, low, high = (
        fig.get("budget.items.me_share"),
        fig.get("budget.items.me_share_min"),
        fig.get("budget.items.me_share_max"),
    )

    def result(formula: str, numbers: dict[str, str]) -> float | str | None:
        m = _ROW_PRODUCT.fullmatch(formula)
        if m:
            d, e = numbers.get(f"D{m.group(1)}"), numbers.get(f"E{m.group(1)}")
            return float(d) * float(e) if d and e else ""
        if formula == "SUM(kuk_budget_items_amount)":
            return fig["budget.items.total"]
        if formula.startswith("SUMIF(kuk_budget_items_category"):
            return fig["budget.items.me_amount"]
        if formula.startswith("IF(SUM(kuk_budget_items_amount)=0"):
            return share if share is not None else ""
        if formula == "SUM(kuk_fundraising_plan_amount)":
            return fig["fundraising.plan.total"]
        m = _BAND.fullmatch(formula)
        if m:
            return float(m.group(1) if level == "regional" else m.group(2))
        m = _STATUS.fullmatch(formula)
        if m:
            if share is None or low is None or high is None:
                return ""
            return m.group(1) if low <= share <= high else m.group(2)
        return None

    return result


def _cache_cell(
    result: Callable[[str, dict[str, str]], float | str | None], numbers: dict[str, str]
) -> Callable[[str, str | None], str | None]:
    """The cell rewriter for :func:`rewrite_cells`: a formula cell with its result."""

    def one(attrs: str, content: str | None) -> str | None:
        if content is None or "<f>" not in content:
            return None
        formula = re.search(r"<f>([^<]*)</f>", content)
        assert formula is not None
        text = formula.group(1).replace("&gt;", ">").replace("&lt;", "<")
        value = result(text, numbers)
        assert value is not None, f"no cached result known for ={text}"
        if isinstance(value, str):
            attrs = set_attr(attrs, "t", "str")
            cached = value
        else:
            attrs = set_attr(attrs, "t", None)
            cached = number_text(value)
        assert attr(attrs, "r")
        return f"<c{attrs}>{formula.group(0)}<v>{cached}</v></c>"

    return one


def cache_results(book: Book, plan: PlanData) -> None:
    """Every formula cell of ``book`` with its computed result cached in ``<v>``."""
    result = results(plan)
    for part in book.sheets().values():
        xml = book.text(part)
        if "<f>" in xml:
            numbers = {ref: v for ref, v in _NUMBER_CELL.findall(xml) if v}
            book.put(part, rewrite_cells(xml, _cache_cell(result, numbers)))
