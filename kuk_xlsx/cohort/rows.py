"""The cohort's tables as a header and rows, in the trainer's language.

One row per NGO for the overview (included files, then roster organisations that
sent nothing), one per file for the manifest (and why a file was left out), one
per rule for the pass rates, one per cluster of copied text.  The words come
from the catalogue (``catalogue/cohort.toml``), as :data:`T` and :data:`REASONS`.  cohort.xlsx (:mod:`.output`) and the CSV
files (:mod:`.csv_files`) both write these rows, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kuk_xlsx.catalogue import labels
from kuk_xlsx.checks.rules import CATALOGUE
from kuk_xlsx.cohort.collect import Cohort
from kuk_xlsx.cohort.copies import CopyCluster
from kuk_xlsx.read.figures import percent_points

T = labels("cohort.word")  # (catalogue/cohort.toml)
REASONS = labels("cohort.reason")  # (catalogue/cohort.toml)


def overview_rows(cohort: Cohort, lang: str) -> tuple[list[str], list[list[Any]]]:
    """Header and one row per NGO (included files, then roster organisations missing)."""
    steps = [s for s in cohort.tpl.steps]
    head = (
        [
            T["ngo"].get(lang),
            T["id"].get(lang),
            T["region"].get(lang),
            T["file"].get(lang),
            T["status"].get(lang),
            T["errors"].get(lang),
            T["warnings"].get(lang),
            T["coaching"].get(lang),
            T["overall"].get(lang),
        ]
        + [s.sheet.get(lang) for s in steps]
        + [
            T["budget"].get(lang),
            T["me_share"].get(lang),
            T["me_low"].get(lang),
            T["me_high"].get(lang),
            T["ksf"].get(lang),
            T["sources"].get(lang),
            T["largest"].get(lang),
        ]
    )
    rows = []
    for rec in cohort.included:
        s = rec.summary
        f, n, c = s["figures"], s["findings"], s["counts"]
        completion = [s["completion"].get(st.key) for st in steps]
        region = "***" if cohort.anonymise else rec.region
        rows.append(
            [
                rec.ngo,
                "" if cohort.anonymise else rec.org_id,
                region,
                cohort.shown_path(rec),
                rec.status,
                n["error"],
                n["warning"],
                n["coaching"],
                s["completion_overall"],
                *completion,
                f["budget_total"],
                # as shown and judged everywhere (to 0.1 of a point): the cell's colour,
                # made by a formula comparing it with the band, agrees with validate
                None if f["me_share"] is None else percent_points(f["me_share"]) / 100,
                f["me_band"][0],
                f["me_band"][1],
                c["success_factors"] if "success_factors" in s["completion"] else None,
                f["funding_sources"] or None,
                f["largest_source_share"],
            ]
        )
    for e in cohort.missing:
        from kuk_xlsx.cohort.collect import anonymous_code
        from kuk_xlsx.read.values import normalise_label

        name = (
            anonymous_code(normalise_label(e.org.id or e.org.name))
            if cohort.anonymise
            else e.org.name
        )
        rows.append(
            [
                name,
                "" if cohort.anonymise else e.org.id,
                "" if cohort.anonymise else e.org.region,
                "",
                T["missing"].get(lang),
            ]
            + [None] * (len(head) - 5)
        )
    return head, rows


def manifest_rows(cohort: Cohort, lang: str) -> tuple[list[str], list[list[Any]]]:
    head = [
        T["file"].get(lang),
        T["ngo"].get(lang),
        T["status"].get(lang),
        T["included"].get(lang),
        T["reason"].get(lang),
        T["date"].get(lang),
        T["version"].get(lang),
        T["sha256"].get(lang),
    ]
    rows = []
    for rec in cohort.records:
        reason = REASONS[rec.reason].get(lang) if rec.reason else ""
        if rec.reason == "unreadable" and rec.problem:
            from kuk_xlsx.package.preflight import FileProblem

            message = FileProblem(rec.problem, rec.path, **rec.problem_fields).message(lang)
            reason = f"{reason}: {message}"
        if rec.reason in ("duplicate", "older") and not cohort.anonymise:
            reason = f"{reason}: {rec.reason_detail}"
        rows.append(
            [
                cohort.shown_path(rec),
                rec.ngo if not rec.problem else "",
                rec.status,
                T["yes" if rec.included else "no"].get(lang),
                reason,
                rec.date_in_file,
                rec.template_version,
                rec.sha256,
            ]
        )
    for e in cohort.missing:
        rows.append(
            [
                "",
                e.org.name if not cohort.anonymise else "",
                T["missing"].get(lang),
                T["no"].get(lang),
                T["missing"].get(lang),
                "",
                "",
                "",
            ]
        )
    return head, rows


def rules_rows(cohort: Cohort, lang: str) -> tuple[list[str], list[list[Any]]]:
    head = [
        T["code"].get(lang),
        T["rule"].get(lang),
        T["severity"].get(lang),
        T["failing"].get(lang),
        T["checked"].get(lang),
        T["pass_rate"].get(lang),
    ]
    rows = [
        [code, CATALOGUE[code].title.get(lang), CATALOGUE[code].severity, failing, n, rate]
        for code, failing, n, rate in cohort.rule_pass_rates()
    ]
    return head, rows


def copies_rows(clusters: Sequence[CopyCluster], lang: str) -> tuple[list[str], list[list[Any]]]:
    head = [T["text"].get(lang), T["ngos"].get(lang), T["places"].get(lang)]
    rows = []
    for c in clusters:
        shown = "; ".join(f"{ngo} — {where}" for ngo, _step, where in c.places[:6])
        more = f" (+{len(c.places) - 6})" if len(c.places) > 6 else ""
        rows.append([c.preview, c.ngos, shown + more])
    return head, rows
