"""Many returned workbooks -> one cohort: who returned what, how complete, where it is weak.

Files are processed one at a time (or by a small process pool) into compact
:class:`FileRecord` s; the long item rows stream to a temporary file and are
copied to the outputs at the end, so memory stays flat however many files a
trainer points it at.  Decisions that need every file (duplicates, the latest
submission of each NGO, roster matching) are made in :meth:`Cohort.finish`.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import pickle
import re
import struct
import tempfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from stat import S_ISREG
from typing import Any

from kuk_xlsx.checks.engine import validate
from kuk_xlsx.package.preflight import ReadError
from kuk_xlsx.read.reader import PlanData, read_bounded
from kuk_xlsx.read.values import normalise_label
from kuk_xlsx.roster import RosterEntry
from kuk_xlsx.spec.template import Template, load_template
from kuk_xlsx.summary import org_name, summarise

ITEM_ROWS_KEPT = 50_000  # long rows kept for the workbook's Items sheet; all go to CSV
LONG_TEXT_MIN = 80
POOL_MIN_FILES = 50  # fewer files finish before a process pool has started
TEXTS_PER_FILE = 20  # the longest long texts of a file are sketched for copy-paste
PREVIEW = 60  # characters, after normalising, for copy-paste detection
SKETCH = 16  # bottom-k sketch size
NEAR = 0.6  # estimated word-pair Jaccard from which two texts count as near-identical
_PACK = struct.Struct(f"<{SKETCH}I")
ITEM_COLUMNS = ("ngo", "file", "step", "block", "row", "column", "value")


@dataclass(slots=True)
class TextSketch:
    step: str
    cell: str  # "Sheet!B7"
    preview: str
    exact: int  # crc32 of the normalised text
    sketch: bytes  # the k smallest shingle hashes, packed (memory: 10,000 files)


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
    items: list[tuple[Any, ...]] = field(default_factory=list)  # display-ready long rows
    items_csv: bytes = b""  # the same rows as inert CSV lines (made in the worker)
    items_at: tuple[int, int] = (0, 0)  # offset and length in the cohort's CSV spool
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
                number = row.number
                for col, v in row.values.items():
                    x = v.value
                    yield (
                        step_key,
                        block_key,
                        number,
                        col,
                        x if x.__class__ in _PLAIN else _item_value(x),
                    )
            for col, v in blk.fields.items():
                x = v.value
                yield step_key, block_key, "", col, x if x.__class__ in _PLAIN else _item_value(x)


_PLAIN = frozenset((str, int, float))  # item values shown as they are (bool is not int here)


def _item_value(v: Any) -> Any:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        return ",".join(map(str, v))
    return v


_WORD = re.compile(r"\w+")


def sketch_text(text: str) -> tuple[int, bytes] | None:
    """(exact hash, bottom-k sketch of word pairs) of a long text; None when short."""
    if len(text) < LONG_TEXT_MIN:
        return None
    words = _WORD.findall(text.casefold())
    norm = " ".join(words)
    if len(norm) < LONG_TEXT_MIN:
        return None
    data = norm.encode()
    # crc32 of each word pair "a b" in UTF-8 (no word holds a space); map() keeps the loop in C
    shingles = set(map(zlib.crc32, map(b" ".join, itertools.pairwise(data.split(b" ")))))
    smallest = sorted(shingles)[:SKETCH]
    smallest += [0xFFFFFFFF] * (SKETCH - len(smallest))  # short texts: pad (never shared)
    return zlib.crc32(data), _PACK.pack(*smallest)


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


def process_file(
    path: str, tpl: Template | None = None, keep_items: bool = True, anonymise: bool = False
) -> FileRecord:
    """Validate one file and keep only what the cohort needs.  Never raises for a bad file.

    Runs in a worker process for large cohorts, so it also renders the file's long
    rows as inert CSV lines: the parent only copies bytes.
    """
    tpl = tpl or load_template()
    p = Path(path)
    try:
        stat = p.stat()
        data: bytes | None = read_bounded(p)
    except OSError as exc:
        return FileRecord(
            path, "", 0.0, "UNREADABLE", problem="unreadable", reason_detail=exc.strerror or ""
        )
    except ReadError:
        data = None  # too large, or not a regular file: validate() says which
    report = validate(p, tpl, data)
    if data is not None:
        sha = hashlib.sha256(data).hexdigest()
    else:
        sha = file_sha256(p) if S_ISREG(stat.st_mode) else ""
    rec = FileRecord(path, sha, stat.st_mtime, report.status)
    if report.problem is not None:
        rec.problem = report.problem.code
        rec.problem_fields = report.problem.fields()
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
    candidates = []
    for step_key, block_key, cols in _long_columns(tpl):
        st = plan.steps.get(step_key)
        blk = st.blocks.get(block_key) if st is not None else None
        if blk is None:
            continue
        values = [r.values for r in blk.rows]
        values.append(blk.fields)
        for got in values:
            for col in cols:
                v = got.get(col)
                if v is not None:
                    text = v.value
                    if isinstance(text, str) and len(text) >= LONG_TEXT_MIN:
                        candidates.append((len(text), step_key, f"{v.sheet}!{v.cell}", text))
    # the longest texts are the ones worth comparing (and memory stays flat)
    for _n, step_key, cell, text in sorted(candidates, reverse=True)[:TEXTS_PER_FILE]:
        sk = sketch_text(text)
        if sk:
            rec.texts.append(TextSketch(step_key, cell, text[:PREVIEW], *sk))
    rec.ngo = display_name(rec, anonymise)
    shown = f"{rec.ngo}{p.suffix}" if anonymise else path
    items = _private(plan_items(plan), rec.ngo) if anonymise else plan_items(plan)
    rows = [(rec.ngo, shown, *item) for item in items]
    rec.items_csv = csv_lines(rows)
    if keep_items:
        rec.items = rows
    return rec


def _long_columns(tpl: Template) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(step, block, long-text column keys) of the template's blocks that have any.

    Kept on the template itself (like :meth:`Template.expanded`): one per template,
    not rebuilt for every file, and never mixed up between templates."""
    found = tpl.__dict__.get("_cohort_long_columns")
    if found is None:
        by_block: dict[tuple[str, str], dict[str, None]] = {}
        for s in tpl.steps:
            for b in s.blocks:
                for c in b.columns:
                    if c.type == "long_text":
                        by_block.setdefault((s.key, b.key), {})[c.key] = None
        found = tuple((sk, bk, tuple(cols)) for (sk, bk), cols in by_block.items())
        tpl.__dict__["_cohort_long_columns"] = found
    return found


PRIVATE_FIELDS = frozenset({"name", "contact", "contact_person", "bank_details", "reg_number"})


def _private(items: Iterable[tuple[Any, ...]], code: str) -> Iterator[tuple[Any, ...]]:
    for step, block, row, col, value in items:
        if step == "profile" and col in PRIVATE_FIELDS:
            value = code if col == "name" else "***"
        yield step, block, row, col, value


def display_name(rec: FileRecord, anonymise: bool) -> str:
    """The NGO as outputs show it: its name, or a stable code with --anonymise."""
    name = rec.org_name or Path(rec.path).stem
    return anonymous_code(normalise_label(rec.org_id or name)) if anonymise else name


def csv_lines(rows: Iterable[Sequence[Any]]) -> bytes:
    """Long rows as UTF-8 CSV lines, every field inert (see :func:`cohort_out.inert_csv`).

    Only the first two fields (NGO, file) and the last (the value) can hold text from
    outside: those go through :func:`~kuk_xlsx.write.safe.inert_field` (control
    characters out, then the formula-prefix test), and control characters are also
    removed from the whole text at once (CSV quoting never needs them).  The lines are what
    ``csv.writer`` (default dialect) writes, made here: the NGO and file fields are
    the same on every row of a file, and quoting them once per row was most of the cost.
    """
    from kuk_xlsx.write.safe import inert_field

    def inert(v: Any) -> Any:
        return inert_field(v) if v.__class__ is str else v

    lines = []
    head: Sequence[Any] | None = None
    prefix = ""
    keys: dict[str, str] = {}  # step, block and column keys repeat on every row
    for row in rows:
        if head is None or head[0] is not row[0] or head[1] is not row[1]:
            head = row
            prefix = f"{_csv_field(inert(row[0]))},{_csv_field(inert(row[1]))},"
        fields = [prefix]
        for v in row[2:-1]:
            if v.__class__ is str:
                quoted = keys.get(v)
                if quoted is None:
                    quoted = keys[v] = _csv_field(v) + ","
                fields.append(quoted)
            else:
                fields.append(_csv_field(v) + ",")
        fields.append(_csv_field(inert(row[-1])))
        lines.append("".join(fields))
    if not lines:
        return b""
    lines.append("")
    # UTF-8 keeps ASCII bytes for ASCII characters only: deleting the control bytes
    # is deleting the control characters
    return "\r\n".join(lines).encode("utf-8").translate(None, _control_bytes())


def _csv_field(v: Any) -> str:
    """One field as ``csv.writer`` writes it (default dialect, minimal quoting)."""
    if v.__class__ is not str:
        if v is None:
            return ""
        v = str(v)
    if '"' in v:
        return '"' + v.replace('"', '""') + '"'
    if "," in v or "\n" in v or "\r" in v:
        return '"' + v + '"'
    return v


@functools.cache
def _control_bytes() -> bytes:
    """The ASCII characters :data:`outputs.CONTROL` removes, as bytes."""
    from kuk_xlsx.write.safe import CONTROL

    return bytes(c for c in range(128) if CONTROL.fullmatch(chr(c)))


@dataclass
class CopyCluster:
    """The same (or nearly the same) long text in several NGOs' workbooks."""

    preview: str
    places: list[tuple[str, str, str]]  # (ngo, step, sheet!cell)

    @property
    def ngos(self) -> int:
        return len({p[0] for p in self.places})


def _runs(keys: array) -> Iterator[list[int]]:
    """Entry numbers grouped by the hash in the high 32 bits of sorted 64-bit keys."""
    run: list[int] = []
    last = -1
    for key in sorted(keys):
        h, n = key >> 32, key & 0xFFFFFFFF
        if h != last and run:
            if len(run) > 1:
                yield run
            run = []
        last = h
        run.append(n)
    if len(run) > 1:
        yield run


_PAD = frozenset((0xFFFFFFFF,))


def _near(sa: frozenset[int], sb: frozenset[int]) -> bool:
    """Estimated Jaccard of two sketches (padding removed) >= :data:`NEAR`: the share of
    the k smallest hashes of both that each of them has."""
    if sa == sb:
        return bool(sa)
    both = sa | sb
    if len(both) <= SKETCH:
        return len(sa & sb) / max(len(both), 1) >= NEAR
    shared = sa & sb
    if len(shared) / SKETCH < NEAR:  # an upper bound already too low (most pairs)
        return False
    kth = sorted(both)[SKETCH - 1]
    return sum(1 for h in shared if h <= kth) / SKETCH >= NEAR


def find_copies(
    records: list[FileRecord], ignore: set[int], anchors_per_bucket: int = 8
) -> list[CopyCluster]:
    """Clusters of identical or near-identical long texts across different NGOs.

    Texts are bucketed by their three smallest shingle hashes (a min-hash LSH):
    only texts sharing a bucket are compared, each with a few of the bucket's
    first texts, never all pairs.  Buckets are runs of a sorted array of
    (hash, entry) keys, so 10,000 workbooks need no dict of lists.
    """
    owner = array("I")  # entry -> record index
    texts: list[TextSketch] = []
    for i, rec in enumerate(records):
        for t in rec.texts:
            if t.exact not in ignore:
                owner.append(i)
                texts.append(t)
    parent = array("I", range(len(texts)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    exact_keys, bucket_keys = array("Q"), array("Q")
    for n, t in enumerate(texts):
        exact_keys.append(t.exact << 32 | n)
        for h in _PACK.unpack(t.sketch)[:3]:
            if h != 0xFFFFFFFF:
                bucket_keys.append(h << 32 | n)
    for run in _runs(exact_keys):
        for n in run[1:]:
            union(run[0], n)
    del exact_keys

    def shingles(n: int) -> frozenset[int]:
        return frozenset(_PACK.unpack(texts[n].sketch)) - _PAD

    # Each member of a bucket against the bucket's anchors, in order; a pair is
    # compared only while the two are in different clusters.  The anchors'
    # cluster roots are tracked here (only this loop's unions change them), so a
    # member already in the one cluster of all anchors costs one find().  A member
    # after the anchors with the same sketch as an earlier one, and in its cluster,
    # changes nothing: every anchor near that sketch is in that cluster already.
    for members in _runs(bucket_keys):
        anchors = members[:anchors_per_bucket]
        n_anchors = len(anchors)
        if not n_anchors:
            continue
        roots = [find(b) for b in anchors]
        sets: list[frozenset[int] | None] = [None] * n_anchors
        common = roots[0] if roots.count(roots[0]) == n_anchors else -1
        done: dict[bytes, int] = {}
        for i, a in enumerate(members):
            ra = find(a)
            if ra == common:
                continue
            if i >= n_anchors:
                ka = texts[a].sketch
                before = done.get(ka)
                if before is not None and find(before) == ra:
                    continue
                done[ka] = a
            sa = None
            for j in range(i + 1 if i < n_anchors else 0, n_anchors):
                rb = roots[j]
                if rb == ra:
                    continue
                if sa is None:
                    sa = shingles(a)
                sb = sets[j]
                if sb is None:
                    sb = sets[j] = shingles(anchors[j])
                if _near(sa, sb):
                    parent[rb] = ra  # union(a, anchors[j])
                    roots = [ra if r == rb else r for r in roots]
                    common = roots[0] if roots.count(roots[0]) == n_anchors else -1
    del bucket_keys
    groups: dict[int, list[int]] = {}
    for n in range(len(texts)):
        root = find(n)
        if root != n or parent[n] != n:
            groups.setdefault(root, []).append(n)
    clusters = []
    for root, members in groups.items():
        members = sorted({root, *members})
        places = [(records[owner[n]].ngo, texts[n].step, texts[n].cell) for n in members]
        cluster = CopyCluster(texts[members[0]].preview, places)
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
        self._csv = tempfile.TemporaryFile("w+b")  # noqa: SIM115 - closed in close()
        self._kept_rows = 0
        self._copies: list[CopyCluster] | None = None

    def add(self, rec: FileRecord) -> None:
        """Keep a record; its item rows go to the temporary file, not memory."""
        if rec.items and self._kept_rows < ITEM_ROWS_KEPT:
            pickle.dump(
                (len(self.records), rec.items), self._items, protocol=pickle.HIGHEST_PROTOCOL
            )
            self._kept_rows += len(rec.items)
        rec.items = []
        if rec.items_csv:
            rec.items_at = (self._csv.tell(), len(rec.items_csv))
            self._csv.write(rec.items_csv)
        rec.items_csv = b""
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
        """Long rows (ngo, file, step, block, row, column, value) of the included files,
        as far as they were kept for the workbook (:data:`ITEM_ROWS_KEPT`)."""
        self._items.flush()
        self._items.seek(0)
        while True:
            try:
                index, items = pickle.load(self._items)
            except EOFError:
                return
            if self.records[index].included:
                yield from items

    def items_csv(self) -> Iterator[bytes]:
        """Every included file's long rows as inert CSV lines, in file order."""
        self._csv.flush()
        for rec in self.records:
            start, length = rec.items_at
            if rec.included and length:
                self._csv.seek(start)
                yield self._csv.read(length)

    def shown_path(self, rec: FileRecord) -> str:
        return f"{rec.ngo}{Path(rec.path).suffix}" if self.anonymise else rec.path

    def close(self) -> None:
        """Remove the temporary files."""
        self._items.close()
        self._csv.close()

    def __enter__(self) -> Cohort:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rule_pass_rates(self) -> list[tuple[str, int, int, float]]:
        """(code, files with the rule's finding, files checked, pass rate), worst first."""
        from kuk_xlsx.checks.rules import CATALOGUE

        included = self.included
        n = len(included)
        rows = []
        for code in CATALOGUE:
            failing = sum(code in r.rule_codes for r in included)
            rows.append((code, failing, n, 1 - failing / n if n else 1.0))
        rows.sort(key=lambda r: (r[3], r[0]))
        return rows

    def copies(self) -> list[CopyCluster]:
        """Copy-paste clusters among the included files (computed once)."""
        if self._copies is None:
            self._copies = find_copies(self.included, template_examples(self.tpl))
        return self._copies


def default_jobs(n_files: int) -> int:
    """Processes for ``--jobs 0`` (auto): one per core, at most 4, for more than 100
    files; fewer files are not worth starting a pool for."""
    return min(os.cpu_count() or 1, 4) if n_files > 100 else 1


_WORKER: dict[str, Any] = {}


def _start_worker(tpl: Template, anonymise: bool) -> None:
    _WORKER.update(tpl=tpl, anonymise=anonymise)


def _worker_process_file(path: str) -> FileRecord:
    return process_file(path, _WORKER["tpl"], keep_items=True, anonymise=_WORKER["anonymise"])


def run(
    paths: Iterable[Path],
    cohort: Cohort,
    jobs: int = 1,
    progress: Callable[[FileRecord], None] | None = None,
) -> Cohort:
    """Process every file into ``cohort`` (in a small process pool when ``jobs`` > 1)."""
    files = [str(p) for p in paths]
    if jobs > 1 and len(files) > POOL_MIN_FILES:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp.get_context("fork" if os.name == "posix" else "spawn")
        # Each worker gets the cohort's own template once, at start: a worker that
        # loaded the default one would judge a custom template's files by the wrong spec.
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=ctx,
            initializer=_start_worker,
            initargs=(cohort.tpl, cohort.anonymise),
        ) as pool:
            for rec in pool.map(_worker_process_file, files, chunksize=16):
                cohort.add(rec)
                if progress:
                    progress(rec)
    else:
        for f in files:
            rec = process_file(f, cohort.tpl, anonymise=cohort.anonymise)
            cohort.add(rec)
            if progress:
                progress(rec)
    cohort.finish()
    return cohort
