"""Many returned workbooks -> one cohort: who returned what, how complete, where it is weak.

Files are processed one at a time (or by a small process pool) into compact
:class:`FileRecord` s; the long item rows stream to a temporary file and are
copied to the outputs at the end, so memory stays flat however many files a
trainer points it at.  Decisions that need every file (duplicates, the latest
submission of each NGO, roster matching) are made in :meth:`Cohort.finish`.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import os
import pickle
import re
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kuk_xlsx.checks import validate
from kuk_xlsx.read import PlanData
from kuk_xlsx.roster import RosterEntry
from kuk_xlsx.spec import Template, load_template
from kuk_xlsx.summary import org_name, summarise
from kuk_xlsx.values import normalise_label

LONG_TEXT_MIN = 80  # characters, after normalising, for copy-paste detection
SKETCH = 8  # bottom-k sketch size
ITEM_COLUMNS = ("ngo", "file", "step", "block", "row", "column", "value")


@dataclass
class TextSketch:
    step: str
    cell: str  # "Sheet!B7"
    preview: str
    exact: int  # crc32 of the normalised text
    sketch: tuple[int, ...]  # the k smallest shingle hashes


@dataclass
class FileRecord:
    """What the cohort keeps of one file (no cell grid, no plan)."""

    path: str
    sha256: str
    mtime: float
    status: str
    problem: str = ""
    problem_fields: dict[str, Any] = field(default_factory=dict)  # FileProblem's, for its message
    org_id: str = ""
    org_name: str = ""
    region: str = ""
    contact: str = ""
    date_in_file: str = ""
    template_version: str = ""
    language: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    rule_codes: list[str] = field(default_factory=list)
    findings: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    texts: list[TextSketch] = field(default_factory=list)
    items: list[tuple[Any, ...]] = field(default_factory=list)
    # decided in finish()
    included: bool = False
    reason: str = ""  # why skipped: unreadable, not-template, duplicate, older
    reason_detail: str = ""
    ngo: str = ""  # the NGO key shown (name, or code with --anonymise)

    @property
    def org_key(self) -> str:
        return normalise_label(self.org_name)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _profile_value(plan: PlanData, key: str) -> str:
    blk = plan.block("profile", "org")
    v = blk.fields.get(key) if blk else None
    if v is None:
        return ""
    return v.value.isoformat() if isinstance(v.value, date) else str(v.value)


def plan_items(plan: PlanData) -> Iterator[tuple[str, str, Any, str, Any]]:
    """(step, block, row, column, value) for every value: the long format."""
    for step_key, st in plan.steps.items():
        for block_key, blk in st.blocks.items():
            for row in blk.rows:
                for col, v in row.values.items():
                    yield step_key, block_key, row.number, col, _item_value(v.value)
            for col, v in blk.fields.items():
                yield step_key, block_key, "", col, _item_value(v.value)


def _item_value(v: Any) -> Any:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        return ",".join(map(str, v))
    return v


_WORD = re.compile(r"\w+")


def sketch_text(text: str) -> tuple[int, tuple[int, ...]] | None:
    """(exact hash, bottom-k sketch of word pairs) of a long text; None when short."""
    norm = " ".join(_WORD.findall(normalise_label(text)))
    if len(norm) < LONG_TEXT_MIN:
        return None
    words = norm.split()
    shingles = {zlib.crc32(f"{a} {b}".encode()) for a, b in itertools.pairwise(words)}
    return zlib.crc32(norm.encode()), tuple(heapq.nsmallest(SKETCH, shingles))


def template_examples(tpl: Template) -> set[int]:
    """Exact hashes of the spec's own example texts (copying them is not copy-paste)."""
    out: set[int] = set()
    for step in tpl.steps:
        for text in step.example.all():
            for part in re.split(r"[\n·;]|: ", text):
                sk = sketch_text(part)
                if sk:
                    out.add(sk[0])
            sk = sketch_text(text)
            if sk:
                out.add(sk[0])
    return out


def process_file(path: str, tpl: Template | None = None, keep_items: bool = True) -> FileRecord:
    """Validate one file and keep only what the cohort needs.  Never raises for a bad file."""
    tpl = tpl or load_template()
    p = Path(path)
    try:
        stat = p.stat()
        sha = file_sha256(p)
    except OSError as exc:
        return FileRecord(
            path, "", 0.0, "UNREADABLE", problem="unreadable", reason_detail=exc.strerror or ""
        )
    report = validate(p, tpl)
    rec = FileRecord(path, sha, stat.st_mtime, report.status)
    if report.problem is not None:
        p = report.problem
        rec.problem = p.code
        rec.problem_fields = {
            "detail": p.detail,
            "limit": p.limit,
            "found": p.found,
            "maximum": p.maximum,
        }
        return rec
    plan = report.plan
    assert plan is not None
    if any(f.code == "KUK-FILE-NOT-TEMPLATE" for f in report.findings):
        rec.problem = "not-template"
        return rec
    rec.org_id = plan.org_id
    rec.org_name = org_name(plan)
    rec.region = _profile_value(plan, "region")
    rec.contact = _profile_value(plan, "contact")
    rec.date_in_file = _profile_value(plan, "date")
    rec.template_version = plan.template_version
    rec.language = plan.language
    rec.summary = summarise(report, tpl)
    rec.rule_codes = sorted({f.code for f in report.findings})
    rec.findings = [(f.code, f.severity, f.step, f.sheet, f.cell) for f in report.findings]
    long_cols = {
        (s.key, b.key, c.key)
        for s in tpl.steps
        for b in s.blocks
        for c in b.columns
        if c.type == "long_text"
    }
    for step_key, st in plan.steps.items():
        for block_key, blk in st.blocks.items():
            values = [(k, v) for r in blk.rows for k, v in r.values.items()] + list(
                blk.fields.items()
            )
            for col, v in values:
                if (step_key, block_key, col) in long_cols and isinstance(v.value, str):
                    sk = sketch_text(v.value)
                    if sk:
                        rec.texts.append(
                            TextSketch(step_key, f"{v.sheet}!{v.cell}", v.value[:120], *sk)
                        )
    if keep_items:
        rec.items = list(plan_items(plan))
    return rec


@dataclass
class CopyCluster:
    """The same (or nearly the same) long text in several NGOs' workbooks."""

    preview: str
    places: list[tuple[str, str, str]]  # (ngo, step, sheet!cell)

    @property
    def ngos(self) -> int:
        return len({p[0] for p in self.places})


def find_copies(
    records: list[FileRecord], ignore: set[int], max_bucket_pairs: int = 40
) -> list[CopyCluster]:
    """Clusters of identical or near-identical long texts across different NGOs.

    Texts are bucketed by their three smallest shingle hashes (a min-hash
    LSH): only texts sharing a bucket are compared, never all pairs.
    """
    entries: list[tuple[int, TextSketch]] = []
    for i, rec in enumerate(records):
        entries.extend((i, t) for t in rec.texts if t.exact not in ignore)
    parent = list(range(len(entries)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    exact: dict[int, int] = {}
    buckets: dict[int, list[int]] = {}
    for n, (_, t) in enumerate(entries):
        if t.exact in exact:
            union(exact[t.exact], n)
            continue
        exact[t.exact] = n
        for h in t.sketch[:3]:
            buckets.setdefault(h, []).append(n)
    for members in buckets.values():
        if len(members) < 2:
            continue
        if len(members) > max_bucket_pairs:
            members = members[:max_bucket_pairs]  # a very common pair of words: sample, stay fast
        for a_i, a in enumerate(members):
            sa = set(entries[a][1].sketch)
            for b in members[a_i + 1 :]:
                sb = entries[b][1].sketch
                union_k = sorted(sa | set(sb))[:SKETCH]
                shared = sum(1 for h in union_k if h in sa and h in sb)
                if shared / SKETCH >= 0.7:
                    union(a, b)
    groups: dict[int, list[int]] = {}
    for n in range(len(entries)):
        groups.setdefault(find(n), []).append(n)
    clusters = []
    for members in groups.values():
        places = [
            (records[entries[n][0]].ngo, entries[n][1].step, entries[n][1].cell) for n in members
        ]
        cluster = CopyCluster(entries[members[0]][1].preview, places)
        if cluster.ngos > 1:
            clusters.append(cluster)
    clusters.sort(key=lambda c: (-c.ngos, c.preview))
    return clusters


def anonymous_code(key: str) -> str:
    """A stable code for an organisation: the same input always gives the same code."""
    return "NGO-" + hashlib.sha256(key.encode()).hexdigest()[:6].upper()


class Cohort:
    """Collects records as files are processed; :meth:`finish` decides what counts."""

    def __init__(
        self,
        tpl: Template | None = None,
        roster: list[RosterEntry] | None = None,
        anonymise: bool = False,
        item_sink: Callable[[FileRecord], None] | None = None,
    ) -> None:
        self.tpl = tpl or load_template()
        self.roster = roster or []
        self.anonymise = anonymise
        self.records: list[FileRecord] = []
        self.missing: list[RosterEntry] = []
        # our own data only: pickle keeps types and is fast
        self._items = tempfile.TemporaryFile("w+b")  # noqa: SIM115 - closed in close()

    def add(self, rec: FileRecord) -> None:
        """Keep a record; its item rows go to the temporary file, not memory."""
        if rec.items:
            pickle.dump(
                (len(self.records), rec.items), self._items, protocol=pickle.HIGHEST_PROTOCOL
            )
        rec.items = []
        self.records.append(rec)

    def finish(self) -> None:
        """Duplicates, not-ours and unreadable files out; the latest submission of each NGO in."""
        seen_sha: dict[str, FileRecord] = {}
        candidates: list[FileRecord] = []
        for rec in self.records:
            if rec.problem:
                rec.reason = "unreadable" if rec.problem != "not-template" else "not-template"
                rec.reason_detail = rec.problem
            elif rec.sha256 in seen_sha:
                rec.reason, rec.reason_detail = "duplicate", seen_sha[rec.sha256].path
            else:
                seen_sha[rec.sha256] = rec
                candidates.append(rec)
        roster_ids = {e.org.id.casefold(): e for e in self.roster}
        roster_names = {normalise_label(e.org.name): e for e in self.roster}
        groups: dict[str, list[FileRecord]] = {}
        for rec in candidates:
            entry = roster_ids.get(rec.org_id.casefold()) if rec.org_id else None
            entry = entry or roster_names.get(rec.org_key)
            key = (
                f"id:{entry.org.id.casefold()}"
                if entry
                else (f"name:{rec.org_key}" if rec.org_key else f"file:{rec.path}")
            )
            if entry is not None:
                rec.org_id = rec.org_id or entry.org.id
                rec.org_name = rec.org_name or entry.org.name
            groups.setdefault(key, []).append(rec)
        for recs in groups.values():
            recs.sort(key=lambda r: (r.date_in_file, r.mtime), reverse=True)
            recs[0].included = True
            for older in recs[1:]:
                older.reason, older.reason_detail = "older", recs[0].path
        matched = {k.split(":", 1)[1] for k in groups if k.startswith("id:")}
        self.missing = [e for e in self.roster if e.org.id.casefold() not in matched]
        for rec in self.records:
            name = rec.org_name or Path(rec.path).stem
            rec.ngo = (
                anonymous_code(normalise_label(rec.org_id or name)) if self.anonymise else name
            )

    @property
    def included(self) -> list[FileRecord]:
        return [r for r in self.records if r.included]

    def items(self) -> Iterator[tuple[Any, ...]]:
        """Long rows (ngo, file, step, block, row, column, value) of the included files."""
        self._items.flush()
        self._items.seek(0)
        private = {"name", "contact", "contact_person", "bank_details", "reg_number"}
        while True:
            try:
                index, items = pickle.load(self._items)
            except EOFError:
                return
            rec = self.records[index]
            if not rec.included:
                continue
            shown = self.shown_path(rec)
            for step, block, r, col, value in items:
                if self.anonymise and step == "profile" and col in private:
                    value = rec.ngo if col == "name" else "***"
                yield rec.ngo, shown, step, block, r, col, value

    def shown_path(self, rec: FileRecord) -> str:
        return f"{rec.ngo}{Path(rec.path).suffix}" if self.anonymise else rec.path

    def close(self) -> None:
        """Remove the temporary item file."""
        self._items.close()

    def __enter__(self) -> Cohort:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rule_pass_rates(self) -> list[tuple[str, int, int, float]]:
        """(code, files with the rule's finding, files checked, pass rate), worst first."""
        from kuk_xlsx.rules import CATALOGUE

        included = self.included
        n = len(included)
        rows = []
        for code in CATALOGUE:
            failing = sum(code in r.rule_codes for r in included)
            rows.append((code, failing, n, 1 - failing / n if n else 1.0))
        rows.sort(key=lambda r: (r[3], r[0]))
        return rows

    def copies(self) -> list[CopyCluster]:
        return find_copies(self.included, template_examples(self.tpl))


def run(
    paths: Iterable[Path],
    cohort: Cohort,
    jobs: int = 1,
    progress: Callable[[FileRecord], None] | None = None,
) -> Cohort:
    """Process every file into ``cohort`` (in a small process pool when ``jobs`` > 1)."""
    files = [str(p) for p in paths]
    if jobs > 1 and len(files) > 50:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp.get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            for rec in pool.map(process_file, files, chunksize=16):
                cohort.add(rec)
                if progress:
                    progress(rec)
    else:
        for f in files:
            rec = process_file(f, cohort.tpl)
            cohort.add(rec)
            if progress:
                progress(rec)
    cohort.finish()
    return cohort
