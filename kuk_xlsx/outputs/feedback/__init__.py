"""Feedback copies: the NGO's own workbook with every finding marked inside it.

:func:`write_feedback` writes a copy of a validated workbook (never touching the
original) in which

* every offending cell is filled by severity and carries a comment with the
  message and the how-to-fix line in the language asked for (:mod:`.mark`);
* a review sheet, placed first, shows the organisation, the status, the counts, a
  traffic light per step and the findings (each cell a link to it), capped like
  the text report (:mod:`.review`);
* everything the NGO needs to go on filling it in is kept: dropdowns, formulas
  and their last computed values, defined names, the hidden ``_lists`` and
  ``_meta`` sheets, conditional formats (:mod:`.copy`).  Macros are never kept
  (the copy of an ``.xlsm`` is an ``.xlsx``);
* nothing in the copy reaches outside it: links to other workbooks, DDE and
  web formulas, links to files and network folders are replaced by their last
  values or taken out, and each is listed on the review sheet (:mod:`.links`).

Running it again on a feedback copy does not stack (:mod:`.undo`), and each
returned file gets its own copy, never over an input (:mod:`.targets`).
openpyxl is imported in this package only.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from kuk_xlsx.checks.engine import Report
from kuk_xlsx.outputs.feedback.base import (
    AUTHOR,
    COMMENT_MARK,
    HIGHLIGHT,
    LIGHT_FILL,
    REVIEW_SHEET,
    STATE_SHEET,
)
from kuk_xlsx.outputs.feedback.copy import (
    cached_values,
    load,
    load_losses,
    package_losses,
    restore_cached_values,
)
from kuk_xlsx.outputs.feedback.guard import SetupError, require_defusedxml
from kuk_xlsx.outputs.feedback.links import Cut, connections, neutralise
from kuk_xlsx.outputs.feedback.mark import mark_cells, rebuild_validations
from kuk_xlsx.outputs.feedback.package import package_copy
from kuk_xlsx.outputs.feedback.review import review_sheet, select_review
from kuk_xlsx.outputs.feedback.targets import feedback_path, feedback_targets, is_feedback_copy
from kuk_xlsx.outputs.feedback.undo import undo_previous, write_record
from kuk_xlsx.package.preflight import check_package
from kuk_xlsx.package.problems import ReadError
from kuk_xlsx.spec.template import LANGS, Template, load_template
from kuk_xlsx.write.safe import OutputError, atomic_path


def write_feedback(
    report: Report,
    out_dir: Path | str,
    lang: str,
    template: Template | None = None,
    target: Path | None = None,
) -> Path:
    """Write a copy of the validated workbook with the feedback inside; return its path.

    The copy has the original's file name (an ``.xlsm`` becomes ``.xlsx``: macros
    are never kept) and is written atomically; the original is only read.  Raises
    :class:`OutputError` when the copy cannot be written (the original is
    unreadable, gone, or the target is the original itself or is locked).
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    tpl = template or load_template()
    src = Path(report.file)
    if report.plan is None:
        raise OutputError("outputs.feedback.unreadable", path=src)
    target = target or feedback_path(report, out_dir)
    if target.resolve() == src.resolve():
        raise OutputError("outputs.feedback.itself", path=target)
    if target.exists() and not is_feedback_copy(target):
        raise OutputError("outputs.feedback.exists", path=target)
    try:
        data = src.read_bytes()
        checked = check_package(data, str(src), whole_grid=False)
        try:
            out = package_copy(checked, report, lang, tpl)
        except ReadError:
            raise
        except Exception:  # NotHere, or XML the text edits did not foresee: the full writer
            # openpyxl builds every cell up to a sheet's farthest one: check that too
            check_package(data, str(src)).close()
            out = _openpyxl_copy(data, src, report, lang, tpl)
        finally:
            checked.close()
    except OSError as exc:
        raise OutputError(
            "outputs.feedback.cannot_read", path=src, why=exc.strerror or exc
        ) from None
    except ReadError as exc:
        raise OutputError(
            "outputs.feedback.problem", path=src, why=exc.problem.message(lang)
        ) from None
    with atomic_path(target) as tmp:
        tmp.write_bytes(out)
    return target


def _openpyxl_copy(data: bytes, src: Path, report: Report, lang: str, tpl: Template) -> bytes:
    """The copy through openpyxl's full load and save, for what the package writer hands on:
    it can drop macros and take outward links out, and undo an earlier feedback run."""
    require_defusedxml()  # (raises SetupError: no copy without it)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = load(data, src)
        lost = package_losses(data)
        lost += load_losses(str(w.message) for w in caught)
        cached = cached_values(data)
        undo_previous(wb, tpl)
        cuts = neutralise(wb, cached) + connections(data)
        rebuild_validations(wb, tpl, report)
        state = mark_cells(wb, report.findings, lang, tpl)
        review = review_sheet(wb, report, lang, tpl, lost, cuts)
        write_record(wb, review.title, state)
        select_review(wb, review)
        buffer = io.BytesIO()
        try:
            wb.save(buffer)
        except Exception as exc:  # a feature openpyxl read but cannot write back
            raise OutputError("outputs.feedback.cannot_write", path=src, why=exc) from None
    return restore_cached_values(buffer.getvalue(), data, cached)


__all__ = [
    "AUTHOR",
    "COMMENT_MARK",
    "HIGHLIGHT",
    "LIGHT_FILL",
    "REVIEW_SHEET",
    "STATE_SHEET",
    "Cut",
    "SetupError",
    "feedback_path",
    "feedback_targets",
    "require_defusedxml",
    "write_feedback",
]
