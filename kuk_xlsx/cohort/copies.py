"""Copy-paste between NGOs: the same (or nearly the same) long text in several
workbooks, found from small per-text sketches in time linear in the cohort.

A long text is sketched in the worker (an exact hash and the bottom-k hashes of
its word pairs); the parent compares sketches, never the texts.
"""

from __future__ import annotations

import itertools
import re
import struct
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from kuk_xlsx.cohort.records import FileRecord, TextSketch
from kuk_xlsx.spec.template import Template

PREVIEW = 60  # characters, after normalising, for copy-paste detection
SKETCH = 16  # bottom-k sketch size
NEAR = 0.6  # estimated word-pair Jaccard from which two texts count as near-identical
_PACK = struct.Struct(f"<{SKETCH}I")

_WORD = re.compile(r"\w+")


def long_text_min(tpl: Template) -> int:
    """From how many characters a text is long enough to compare (the spec's rule)."""
    return int(tpl.rules["long_text_min_chars"])


def sketch_text(text: str, min_chars: int) -> tuple[int, bytes] | None:
    """(exact hash, bottom-k sketch of word pairs) of a long text; None when it is
    shorter than ``min_chars``."""
    if len(text) < min_chars:
        return None
    words = _WORD.findall(text.casefold())
    norm = " ".join(words)
    if len(norm) < min_chars:
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
    min_chars = long_text_min(tpl)
    for step in tpl.steps:
        for text in step.example.all():
            for part in re.split(r"[\n·;]|: ", text):
                sk = sketch_text(part, min_chars)
                if sk:
                    out.add(sk[0])
            sk = sketch_text(text, min_chars)
            if sk:
                out.add(sk[0])
    return out


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
