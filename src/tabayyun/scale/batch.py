"""``tabayyun batch``: check a feed of posts, one output record per input record, in input order.

Posts go in chunks of ``CHUNK`` records, numbered from the start of the feed; each chunk is checked
as a pure function of the evidence base and its posts, so the output does not depend on where it
ran (this process, a Dask worker or a ``--workers`` process: ``scale.pool``) nor on where a killed run stopped:

- the retrieval encoder (USE) gives vectors that differ in the last bits with the batch a text is
  encoded in, so ``batch`` encodes each text alone (``OneByOne``): a text's vector is then the one
  stored in the base (by ``ingest --embed``, ``verify``, an earlier batch) or the same function of its
  text on any worker, and the vectors a run computes are saved for the next run (by the writer
  process; a Dask worker keeps its own in memory);
- the stance encoder (e5) gives the same vector in any batch, so its vectors are shared and saved.

A chunk is planned before it is judged: the claims of all its posts are found and their evidence
selected (``Tabayyun.post_claims``, ``select``; what earlier runs kept of the posts, of their claims' query
terms and of what their stories are found by is read in one query each), the e5 vectors they need (the claims and their
evidence) are encoded in one call, then each claim is judged (``Tabayyun.judge``) and each post's
verdicts placed in its story: no claim is extracted or retrieved twice (USE's vectors, encoded one by
one, gain nothing from a shared call), and the stories of the chunk's evidence are read from the store
once (``StoryClusterer.shared_reads``). The output file is written in order and flushed record by
record; ``--resume`` counts its complete lines, drops a partial last one and goes on from there.
"""
from __future__ import annotations

import csv
import gc
import io
import json
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Sequence

from tqdm import tqdm

from tabayyun.errors import TabayyunError
from tabayyun.index import EmbeddingCache
from tabayyun.index.vectors import OneByOne
from tabayyun.pipeline import Tabayyun
from tabayyun.records import Claim, Evidence, Topic
from tabayyun.report import dumps
from tabayyun.scale.feed import Post, count_posts, read_posts

__all__ = ["FORMATS", "CHUNK", "BatchSummary", "check_chunk", "run_batch", "Output"]

FORMATS = ("jsonl", "csv", "claimreview")
CHUNK = 16  # posts per chunk: the unit of shared encoding, of Dask tasks and of a resumed run's recomputation
#: Allocations between two passes of the garbage collector over its youngest objects while a chunk is checked (700 by
#: default): a check makes many short-lived containers, and the default passes, with the older-generation passes they
#: lead to, took about 8% of a warm batch's CPU (about 4% with this).
GC_YOUNG = 10_000
CSV_FIELDS = ("input", "id", "verdicts", "claims", "error")


@dataclass
class _Planned:
    """One post of a chunk, its claims and their evidence selected (``Tabayyun.post_claims``, ``select``);
    ``error`` (the post's error record's text) instead when it cannot be checked."""

    post: Post
    claims: list[Claim] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    found: list[list[Evidence]] = field(default_factory=list)
    error: str | None = None


def _failed(post: Post, exc: Exception) -> str:
    """The error record's text of a post whose check raised ``exc`` (one post must not stop the feed)."""
    if isinstance(exc, TabayyunError):
        return f"{post.where}: {exc}"
    return f"{post.where}: internal error: {type(exc).__name__}: {exc}"


def _claims(tb: Tabayyun, post: Post, all_claims: bool) -> _Planned:
    if post.error is not None:
        return _Planned(post, error=post.error)
    try:
        claims, topics = tb.post_claims(post.text, all_claims, post.date)
        return _Planned(post, [tb.checked_claim(c) for c in claims], topics)
    except Exception as exc:
        return _Planned(post, error=_failed(post, exc))


def _select(tb: Tabayyun, plan: _Planned) -> None:
    if plan.error is None:
        try:
            plan.found = [tb.select(c) for c in plan.claims]
        except Exception as exc:
            plan.error = _failed(plan.post, exc)


def _share_encoding(tb: Tabayyun, plans: Sequence[_Planned]) -> None:
    """Encode in one call the e5 vectors that judging ``plans`` will ask for (the claims and their evidence), and
    read what the stance model kept of those claims and texts (``StoredStance.load``: two queries)."""
    stance_encoder = getattr(tb.stance, "encoder", None)
    calls = [(claim.text, [e.sentence.text for e in found]) for plan in plans
             for claim, found in zip(plan.claims, plan.found)]
    texts = list(dict.fromkeys(text for claim, found in calls for text in (claim, *found)))
    if texts and stance_encoder is not None:
        stance_encoder.encode(texts)
    if calls and tb.stance_kept is not None:
        tb.stance_kept.load(calls)


def _record(tb: Tabayyun, plan: _Planned) -> dict[str, Any]:
    post = plan.post
    out: dict[str, Any] = {"input": post.n, "id": post.id}
    if plan.error is not None:
        return {**out, "error": plan.error}
    out["date"] = post.date  # for ClaimReview's datePublished; not written in the other formats
    try:
        verdicts = tb.place_post(post.text, [tb.judge(claim, found, plan.topics)
                                             for claim, found in zip(plan.claims, plan.found)], post.date)
    except Exception as exc:
        return {**out, "error": _failed(post, exc)}
    return {**out, "claims": [v.to_dict() for v in verdicts]}


def check_chunk(tb: Tabayyun, posts: Sequence[Post], all_claims: bool = False, warm: bool = True) -> list[dict]:
    """The output records of one chunk of posts, in order (see the module docstring): the claims of every
    post are found and their evidence selected first, then (with ``warm``) the e5 vectors of all of them are
    encoded in one call, then each claim is judged; the same records as checking each post alone."""
    if not isinstance(tb.cache.encoder, OneByOne):
        name = tb.cache.encoder.name
        tb.cache = tb.retriever.cache = EmbeddingCache(OneByOne(tb.cache.encoder),
                                                       load=partial(tb.store.load_vectors, name),
                                                       save=partial(tb.store.save_vectors, name))
    with _fewer_collections():
        if tb.posts_kept is not None:  # the chunk's posts' claims and subjects, kept by an earlier run: one query
            tb.posts_kept.load(post.text for post in posts if post.error is None)
        plans = [_claims(tb, post, all_claims) for post in posts]
        tb.queries_kept.load(c.text for plan in plans for c in plan.claims)  # the claims' query terms: one query
        for plan in plans:
            _select(tb, plan)
        if warm:
            try:
                _share_encoding(tb, plans)
            except Exception:  # sharing only saves time; judging below reports what failed
                pass
        # what the stories are found by, of the chunk's claims and posts: one query
        tb.leads_kept.load(text for plan in plans if plan.error is None
                           for text in (*(c.text for c in plan.claims), plan.post.text))
        with tb.stories.shared_reads():  # the chunk's claims and posts read the stories of their evidence once
            return [_record(tb, plan) for plan in plans]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The garbage collector's youngest generation collected every ``GC_YOUNG`` allocations inside, as before
    after (the older generations' thresholds unchanged)."""
    before = gc.get_threshold()
    gc.set_threshold(max(GC_YOUNG, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


# -- output ----------------------------------------------------------------------------------------
def _csv_line(record: dict[str, Any]) -> str:
    claims = record.get("claims")
    row = [record["input"], record.get("id") or "",
           ";".join(c["verdict"] for c in claims) if claims else "",
           dumps(claims) if claims is not None else "", record.get("error") or ""]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([" ".join(str(v).splitlines()) for v in row])
    return buffer.getvalue()


class Output:
    """The output file, one line per record (after a header for CSV), written in order and flushed.

    ``open(resume=True)`` keeps the complete records already there (a partial last line is cut off)
    and says how many there are."""

    def __init__(self, path: str | Path, fmt: str = "jsonl", author: str = "tabayyun") -> None:
        if fmt not in FORMATS:
            raise TabayyunError(f"unknown output format '{fmt}' ({', '.join(FORMATS)})")
        self.path = Path(path)
        self.format = fmt
        self.author = author
        self._fh: BinaryIO | None = None

    def _header(self) -> bytes:
        return (",".join(CSV_FIELDS) + "\n").encode() if self.format == "csv" else b""

    def line(self, record: dict[str, Any]) -> str:
        if self.format == "csv":
            return _csv_line(record)
        if self.format == "claimreview" and "claims" in record:
            from tabayyun.report.claimreview import claimreview

            graph = claimreview({"claims": record["claims"], "created": record.get("date") or ""},
                                author=self.author)
            record = {"input": record["input"], "id": record["id"], **graph}
        record = {k: v for k, v in record.items() if k != "date"}
        return dumps(record) + "\n"

    def open(self, resume: bool) -> int:
        """Open for writing; returns how many records the file already holds (0 unless ``resume``)."""
        try:
            data = self.path.read_bytes() if resume and self.path.exists() else b""
            done, keep = self._complete(data)
            self._fh = open(self.path, "r+b" if data else "wb")
            self._fh.truncate(keep)
            self._fh.seek(keep)
            if keep == 0:
                self._fh.write(self._header())
                self._fh.flush()
        except OSError as exc:
            raise TabayyunError(f"{self.path}: cannot write ({exc.strerror})") from None
        return done

    def _complete(self, data: bytes) -> tuple[int, int]:
        """(records, bytes) of the complete records at the start of ``data``; checks they are ours."""
        keep = data.rfind(b"\n") + 1
        lines = data[:keep].splitlines()
        header = self._header().rstrip(b"\n")
        if keep == 0 and data:  # only a partial line: the start of our first line, or another file
            first = header or b'{"input": 1, '
            if not (data.startswith(first) or first.startswith(data)):
                raise TabayyunError(f"{self.path}: not a batch output in {self.format} format, cannot resume it")
        if header and lines:
            if lines[0] != header:
                raise TabayyunError(f"{self.path}: not a batch output in {self.format} format, cannot resume it")
            lines = lines[1:]
        if not lines:
            return 0, 0
        other = {"jsonl": "@graph", "claimreview": "claims"}.get(self.format)
        try:
            record = None if self.format == "csv" else json.loads(lines[-1])
            last = int(next(csv.reader([lines[-1].decode()]))[0]) if record is None else record["input"]
        except (ValueError, KeyError, TypeError, IndexError, StopIteration):
            last = None
        if last != len(lines) or (record is not None and other in record):
            raise TabayyunError(f"{self.path}: not a batch output in {self.format} format (its last record is "
                                f"not record {len(lines)}), cannot resume it")
        return len(lines), keep

    def write(self, record: dict[str, Any]) -> None:
        assert self._fh is not None
        self._fh.write(self.line(record).encode("utf-8"))
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


# -- the run ---------------------------------------------------------------------------------------
@dataclass
class BatchSummary:
    posts: int = 0  # records written by this run
    errors: int = 0
    claims: int = 0
    resumed_from: int = 0  # records already in the output

    def add(self, record: dict[str, Any]) -> None:
        self.posts += 1
        self.errors += "error" in record
        self.claims += len(record.get("claims", ()))

    def line(self, out: str | Path) -> str:
        resumed = f" after {self.resumed_from} already there" if self.resumed_from else ""
        return (f"checked {self.posts} posts{resumed} ({self.claims} claims verified, {self.errors} error records) "
                f"into {out}")


def chunks(posts: Iterable[Post], size: int = CHUNK) -> Iterator[list[Post]]:
    """Posts in chunks of ``size`` aligned on the feed's numbering (records 1-16, 17-32 ...)."""
    chunk: list[Post] = []
    for post in posts:
        if chunk and (post.n - 1) // size != (chunk[0].n - 1) // size:
            yield chunk
            chunk = []
        chunk.append(post)
    if chunk:
        yield chunk


def run_batch(feed: Sequence[str | Path], db: str | Path, out: str | Path, fmt: str = "jsonl",
              resume: bool = False, dask: str | None = None, date_field: str = "date", all_claims: bool = False,
              progress: bool | None = None, warm: bool = True, workers: int = 0) -> BatchSummary:
    """Check every post of ``feed`` against the base ``db`` into ``out`` (see the module docstring).

    ``dask``: ``local[:N]`` or ``tcp://HOST:PORT`` to check chunks on Dask workers (the ``scale`` extra);
    ``workers``: check them in that many processes of this machine instead (``scale.pool``; 0: in this process).
    Either way the workers open the base read-only: the vectors and facts they compute are not kept."""
    from tabayyun.publish import Publisher

    if dask is not None and workers:
        raise TabayyunError("give --dask or --workers, not both")
    if dask is not None:
        from tabayyun.scale.cluster import require_dask

        require_dask(dask)
    total = count_posts(feed, date_field)
    tb = Tabayyun(db)  # brings the lexical index up to date before any worker reads it
    output = Output(out, fmt, author=Publisher.load(tb.store).name or "tabayyun")
    summary = BatchSummary()
    try:
        done = summary.resumed_from = output.open(resume)
        start = done - done % CHUNK + 1  # a chunk is recomputed whole, so its shared encodings are the same
        todo = chunks(read_posts(feed, date_field, start=start)) if done < total else iter(())
        if dask is None and not workers:
            results: Iterable[list[dict]] = (check_chunk(tb, chunk, all_claims, warm) for chunk in todo)
        else:
            version = tb.store.max_sentence_id()
            tb.close()
            where = str(Path(db).resolve())
            if dask is not None:
                from tabayyun.scale.cluster import map_chunks

                results = map_chunks(dask, where, version, todo, all_claims, warm)
            else:
                from tabayyun.scale.pool import map_workers

                results = map_workers(workers, where, version, todo, all_claims, warm)
        show = sys.stderr.isatty() if progress is None else progress
        with tqdm(total=total, initial=done, unit="post", desc="batch", disable=not show) as bar:
            for records in results:
                for record in records:
                    if record["input"] > done:
                        output.write(record)
                        summary.add(record)
                        bar.update(1)
                bar.set_postfix(claims=summary.claims, errors=summary.errors)
    finally:
        output.close()
        tb.close()
    return summary
