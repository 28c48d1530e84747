"""The ``tabayyun`` command: a thin door onto ``tabayyun.pipeline.Tabayyun``.

Every failure a user can cause ends in one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator, NoReturn, Sequence

from tabayyun import __version__
from tabayyun.errors import TabayyunError
from tabayyun.ingest import check_text, decode_text, parse_json
from tabayyun.records import VERDICTS
from tabayyun.report import claim_dict, dumps, render_claims, render_verdicts
from tabayyun.scale.cluster import MAX_WORKERS

__all__ = ["main"]

EXIT_USAGE = 2
MAX_ID = 2**63 - 1  # the largest id the stores hold


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, pointing at the right --help."""

    def add_argument(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if args == ("--db",) and kwargs.get("required") and os.environ.get("TABAYYUN_DB"):
            kwargs.update(required=False, default=os.environ["TABAYYUN_DB"])  # the base when --db is left out
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"tabayyun: error: {message} (see '{self.prog} --help')\n")


def _read_input(path: str) -> str:
    """Text of FILE, or of standard input for '-'; refuses binary, non-UTF-8 and empty input."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise TabayyunError(f"{path}: no such file / الملف غير موجود") from None
    except IsADirectoryError:
        raise TabayyunError(f"{path}: is a folder, expected a text file") from None
    except OSError as exc:
        raise TabayyunError(f"{path}: cannot read ({exc.strerror}) / تعذرت قراءة الملف") from None
    text = decode_text(data, path)
    if not text.strip():
        raise TabayyunError(f"{path}: empty input / المدخل فارغ")
    return text


def _open(db: str, create: bool = False):
    from tabayyun.pipeline import Tabayyun

    return Tabayyun(db, create=create)


def _print(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _files_only(paths: Sequence[str], command: str) -> None:
    """Refuse '-' where a command reads files and folders only (it would be looked up as a file named '-')."""
    if "-" in paths:
        raise TabayyunError(f"{command} reads files and folders, not standard input: save it as a .jsonl file first / "
                            "احفظ المدخل في ملف")


# -- commands --------------------------------------------------------------------------------------
def _stored_documents(tb) -> int:
    try:
        return tb.store.counts()["documents"]
    except Exception:  # a broken base (full disk ...): say it holds something, never delete it
        return 1


def cmd_ingest(args: argparse.Namespace) -> int:
    from tabayyun.ingest import parse_field_map

    fields = parse_field_map(args.map) if args.map else None
    _files_only(args.paths, "ingest")
    folder = Path(args.db)
    existed = folder.exists()
    new_base = not existed or (folder.is_dir() and not any(folder.iterdir()))
    tb = _open(args.db, create=True)
    try:
        summary = tb.ingest(args.paths, source=args.source, progress=sys.stderr.isatty(),
                            batch_size=args.batch_size, skip_invalid=args.skip_invalid,
                            embed=args.embed or args.embed_stance, fields=fields, dask=args.dask)
        if args.embed_stance:
            tb.embed_pending(stance=True)
    except BaseException:
        if new_base and not _stored_documents(tb):
            tb.close()  # a failed first ingest leaves no empty base behind (a folder given empty stays, empty)
            for path in ([*folder.iterdir()] if existed else [folder]):
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        raise
    for problem in summary.invalid[:5]:
        print(f"tabayyun: warning: passed over {problem}", file=sys.stderr)
    for path in summary.empty[:5]:
        print(f"tabayyun: warning: passed over the empty file {path}", file=sys.stderr)
    _print(summary.line())
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    from tabayyun.pipeline import default_worthiness, extract_claims

    claims = extract_claims(_read_input(args.file), default_worthiness(args.worthiness))
    if args.json:
        for claim in claims:
            _print(dumps(claim_dict(claim)))
    else:
        _print(render_claims(claims) if claims else "no claims found / لا ادعاءات")
    return 0


def _date(value: str | None, option: str = "--date") -> str | None:
    """A date option as ISO-8601, or a one-line error."""
    if value is None:
        return None
    from tabayyun.text import parse_iso_date

    iso = parse_iso_date(value)
    if iso is None:
        raise TabayyunError(f"{option} must be a date such as 2019-03-19, not '{value}'")
    return iso


def _date_range(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """``--since`` and ``--until`` as ISO-8601 days, refused when the range is empty."""
    since, until = _date(args.since, "--since"), _date(args.until, "--until")
    if since and until and since > until:
        raise TabayyunError(f"--since {since} is after --until {until} / تاريخ البداية بعد تاريخ النهاية")
    return since, until


def cmd_verify(args: argparse.Namespace) -> int:
    if (args.claim is None) == (args.file is None):
        raise TabayyunError("give one claim, or --file CLAIMS.txt with one claim per line")
    date, before = _date(args.date), _date(args.before, "--before")
    tb = _open(args.db)
    if args.claim is not None:
        verdict = tb.verify(args.claim, date=date, before=before)
        _print(dumps(verdict.to_dict()) if args.json else render_verdicts([verdict]))
        return 0
    from tqdm import tqdm

    lines = _read_input(args.file).splitlines()
    for line in tqdm(lines, unit="claim", desc="verify", disable=not sys.stderr.isatty()):
        try:
            verdict = tb.verify(line, date=date, before=before)
        except TabayyunError as exc:  # one bad line must not shift the lines after it
            _print(dumps({"claim": line, "error": str(exc)}) if args.json else f"{line}\n   error: {exc}")
            continue
        _print(dumps(verdict.to_dict()) if args.json else render_verdicts([verdict]) + "\n")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    date, before = _date(args.date), _date(args.before, "--before")
    text = _read_input(args.file)
    tb = _open(args.db)
    if args.save and tb.store.readonly:  # say so before the check, not after it
        raise TabayyunError(f"{args.db}: the evidence base is read-only here: --save cannot keep the check / "
                            "القاعدة للقراءة فقط")
    if args.worthiness != "rules":
        from tabayyun.pipeline import default_worthiness

        tb.worthiness = default_worthiness(args.worthiness, tb.embedder)
    verdicts = tb.check(text, all_claims=args.all, date=date, before=before, progress=sys.stderr.isatty())
    if args.save:
        check_id = tb.save_check(text, verdicts)
        print(f"tabayyun: saved as check {check_id} (review it with 'tabayyun review {check_id} --db {args.db}')",
              file=sys.stderr)
    if args.json:
        for verdict in verdicts:
            _print(dumps(verdict.to_dict()))
    else:
        _print(render_verdicts(verdicts))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from tabayyun.scale import run_batch

    _files_only(args.feed, "batch")
    summary = run_batch(args.feed, args.db, args.out, args.format, resume=args.resume, dask=args.dask,
                        date_field=args.date_field, all_claims=args.all, workers=args.workers)
    print(f"tabayyun: {summary.line(args.out)}", file=sys.stderr)
    return 0


def _window(args: argparse.Namespace):
    """The documents ``search`` may return: ``--source``, ``--topic`` (repeatable), ``--since``, ``--until``
    (inclusive)."""
    from tabayyun.index import Window
    from tabayyun.organise.topics import known_subject
    from tabayyun.text import day_after

    since, until = _date_range(args)
    if not (args.source or since or until or args.topic):
        return None
    return Window(sources=frozenset(args.source or ()), since=since, before=day_after(until),
                  topics=frozenset(known_subject(t) for t in args.topic or ()))


def cmd_search(args: argparse.Namespace) -> int:
    window = _window(args)
    tb = _open(args.db)
    found = tb.search(args.query, args.limit, window=window)
    for n, e in enumerate(found, 1):
        if args.json:
            _print(dumps(e.to_dict(weighed=False)))
        else:
            _print(f"{n}. ({e.score:.3f}) {e.sentence.text}\n   — {e.document.title} ({e.document.source}, "
                   f"{e.document.date or 'no date'})")
    if not found and not args.json:
        _print("no matching sentences / لا جمل مطابقة" + (" (with these filters)" if window else ""))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    tb = _open(args.db)
    counts = tb.store.counts()
    rows = tb.store.breakdown(args.by) if args.by else []
    if args.json:
        _print(dumps({**counts, f"by_{args.by}": rows} if args.by else counts))
        return 0
    _print(f"{counts['documents']} documents, {counts['sentences']} sentences")
    for row in rows:
        _print(f"{row[args.by] or '(no date)'}\t{row['documents']} documents\t{row['sentences']} sentences\t"
               f"{row['first'] or '-'} .. {row['last'] or '-'}")
    return 0


def _no_document(args: argparse.Namespace) -> TabayyunError:
    return TabayyunError(f"no document '{args.doc_id}' in {args.db} / لا توجد وثيقة بهذا المعرف")


def cmd_remove(args: argparse.Namespace) -> int:
    tb = _open(args.db)
    if not tb.remove_document(args.doc_id):
        raise _no_document(args)
    _print(f"removed {args.doc_id} (its sentences, vectors and place in a story; checks that cited it say so)")
    return 0


def cmd_correct(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from tabayyun.ingest import validate_record

    tb = _open(args.db)
    old = tb.store.get_document(args.doc_id)
    if old is None:
        raise _no_document(args)
    record = {"id": old.id, "text": _read_input(args.text) if args.text else old.text,
              "title": old.title if args.title is None else args.title,
              "source": old.source if args.source is None else args.source,
              "date": old.date if args.date is None else args.date, "url": old.url if args.url is None else args.url}
    new = validate_record({k: v for k, v in record.items() if v}, "the corrected document", old.source)
    if new == old:
        raise TabayyunError("nothing to correct: the document is already so")
    tb.correct_document(replace(new, id=old.id))
    _print(f"corrected {old.id}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    tb = _open(args.db)
    doc = tb.store.get_document(args.doc_id)
    if doc is None:
        raise _no_document(args)
    sentences = tb.store.document_sentences(doc.id)
    if args.json:
        _print(dumps({**doc.to_dict(), "sentences": [{"id": s.id, "position": s.position, "start": s.start,
                                                      "end": s.end, "text": s.text} for s in sentences]}))
    else:
        _print(f"{doc.title or doc.id}\n{doc.source}, {doc.date or 'no date'}" + (f", {doc.url}" if doc.url else "")
               + f"\n\n{doc.text}\n\n({len(sentences)} evidence sentences)")
    return 0


def cmd_organise(args: argparse.Namespace) -> int:
    tb = _open(args.db)
    if not args.rebuild and (dropped := tb.repair_stories()):
        _print(f"repaired story links that led nowhere: {dropped.gone_documents} to removed documents dropped, "
               f"{len(dropped.unplaced)} documents and the claims of {len(dropped.checks)} checks placed again / "
               "أُصلحت روابط قصص لا تؤدي إلى شيء")
    placed = tb.organise(rebuild=args.rebuild)
    _print(f"placed {placed} documents in stories ({tb.store.count_stories()} stories)")
    return 0


def _story_line(story) -> str:
    dates = story.first_date if story.first_date == story.last_date else f"{story.first_date} .. {story.last_date}"
    return (f"{story.id}  {dates or 'no date'}  {len(story.documents)} documents, {len(story.sources)} sources, "
            f"{len(story.claims)} checked claims  {story.title}")


def cmd_stories(args: argparse.Namespace) -> int:
    from tabayyun.organise.topics import known_subject

    since, until = _date_range(args)
    if args.topic is not None:
        known_subject(args.topic)
    tb = _open(args.db)
    stories = tb.list_stories(since=since, until=until, source=args.source, topic=args.topic, limit=args.limit)
    for story in stories:
        _print(dumps(story.to_dict()) if args.json else _story_line(story))
    if not stories and not args.json:
        _print("no stories / لا قصص (run 'tabayyun organise' on a base ingested before stories existed)")
    return 0


def cmd_story(args: argparse.Namespace) -> int:
    tb = _open(args.db)
    story = tb.find_story(args.id)
    if story is None:
        raise TabayyunError(f"no story '{args.id}' in this evidence base / لا توجد قصة بهذا المعرف")
    documents = tb.store.get_documents(story.documents)
    if args.json:
        _print(dumps({**story.to_dict(), "documents": [{k: v for k, v in documents[d].to_dict().items() if k != "text"}
                                                       for d in story.documents if d in documents]}))
        return 0
    _print(_story_line(story))
    _print(f"   topics: {', '.join(f'{t.en} ({t.score:.2f})' for t in story.topics) or '-'}")
    _print(f"   keywords: {'، '.join(story.keywords)}\n   entities: {', '.join(story.entities)}\n   sources: "
           + ", ".join(f"{k} ({v})" for k, v in story.sources.items()))
    for d in story.documents:
        doc = documents.get(d)
        if doc is not None:
            _print(f"   {doc.date or 'no date'}  {doc.source}  {doc.title or doc.text[:80]}  [{doc.id}]")
    for c in story.claims:
        _print(f"   check {c['check_id']}: {c['verdict']}  {c['claim']}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    demo = resources.files("tabayyun") / "data" / "demo"
    with resources.as_file(demo / "corpus.jsonl") as corpus, tempfile.TemporaryDirectory() as tmp:
        db = args.db or tmp
        tb = _open(db, create=True)
        _print("تبيّن tabayyun demo: building an evidence base from the example corpus ...")
        _print(tb.ingest([corpus], progress=sys.stderr.isatty()).line())
        post = (demo / "post.txt").read_text(encoding="utf-8")
        _print("\nChecking the example post / فحص المنشور التجريبي:\n")
        _print(post.strip() + "\n")
        _print("=" * 72)
        verdicts = tb.check(post)
        _print(render_verdicts(verdicts))
        tb.close()
    return 0


def _jsonl_records(path: str, fields: Sequence[str], limit: int | None = None) -> list[dict]:
    """Records of a JSONL file (or plain lines, read as ``{fields[0]: line}`` when one field is asked); each
    field is bounded to ``limit`` characters (default: as a claim to verify is)."""
    from tabayyun.pipeline import MAX_CLAIM_CHARS

    limit = limit or MAX_CLAIM_CHARS
    rows = []
    for number, line in enumerate(_read_input(path).splitlines(), 1):
        if not line.strip():
            raise TabayyunError(f"{path}:{number}: empty line")
        record = parse_json(line, f"{path}:{number}") if line.lstrip().startswith("{") else None
        if record is None:
            if len(fields) > 1:
                raise TabayyunError(f"{path}:{number}: expected a JSON object with {' and '.join(fields)}")
            record = {fields[0]: line}
        for field in fields:
            if not isinstance(record.get(field), str) or not record[field].strip():
                raise TabayyunError(f"{path}:{number}: missing or empty '{field}'")
            check_text(record[field], f"{path}:{number}: field '{field}'")
            if len(record[field]) > limit:
                raise TabayyunError(f"{path}:{number}: '{field}' of {len(record[field])} characters, over the limit "
                                    f"of {limit} / النص أطول من المسموح")
        rows.append(record)
    return rows


def cmd_worthiness(args: argparse.Namespace) -> int:
    from tabayyun.pipeline import default_worthiness

    texts = [r["text"] for r in _jsonl_records(args.file, ["text"])]
    model = default_worthiness(args.model)
    for score in model.score(texts):
        _print(dumps({"score": round(float(score), 4), "checkworthy": bool(score >= model.threshold)}))
    return 0


def cmd_stance(args: argparse.Namespace) -> int:
    from tabayyun.pipeline import default_stance

    rows = _jsonl_records(args.file, ["claim", "text"])
    model = default_stance()
    for row in rows:
        probs = model.predict(row["claim"], [row["text"]])[0]
        _print(dumps({"stance": max(probs, key=probs.__getitem__),
                      "probs": {k: round(v, 4) for k, v in probs.items()}}))
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    from tabayyun.ingest.readers import MAX_DOCUMENT_CHARS
    from tabayyun.organise import TopicClassifier

    rows = _jsonl_records(args.file, ["text"], limit=MAX_DOCUMENT_CHARS)  # whole articles, as ingest takes them
    if any(not isinstance(r.get("title", ""), str) for r in rows):
        raise TabayyunError(f"{args.file}: 'title', when given, must be a string")
    model = TopicClassifier.pretrained()
    for topics in model.predict([r["text"] for r in rows], [r.get("title", "") for r in rows]):
        _print(dumps({"topics": [t.to_dict() for t in topics]}))
    return 0


def _training_tools():
    try:
        from tabayyun.models import evaluate, train
    except ImportError as exc:
        raise TabayyunError(f"training needs scikit-learn: pip install 'tabayyun[train]' ({exc})") from None
    return train, evaluate


def _data_dir(path: str | None) -> Path:
    from tabayyun.models.data import default_data_dir

    data = Path(path) if path else default_data_dir()
    if not data.is_dir():
        raise TabayyunError(f"no training data at {data} (give --data DIR: the shared/data folder)")
    return data


@contextmanager
def _data_files(data: Path) -> Iterator[None]:
    """A file the datasets folder lacks is one line naming it, not an internal error."""
    try:
        yield
    except FileNotFoundError as exc:
        raise TabayyunError(f"no {exc.filename}: is {data} the shared/data folder? (give --data DIR)") from None


def cmd_train(args: argparse.Namespace) -> int:
    train, _ = _training_tools()
    from tabayyun.organise.train import train_topics

    data = _data_dir(args.data)
    with _data_files(data):
        train.train_all(data, Path(args.out) if args.out else None)
        train_topics(data, Path(args.out) if args.out else None)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    data = _data_dir(args.data)
    with _data_files(data):
        _evaluate(data, args.part)
    return 0


def _evaluate(data: Path, part: str) -> None:
    """Print the tables of EVALUATION.md for ``part`` of the evaluation."""
    if part in ("all", "verdicts"):
        from tabayyun.evaluation.endtoend import eval_aured, eval_controls, eval_ufc_verdicts, render_endtoend

        _print("## Verdicts, end to end\n")
        _print(render_endtoend(eval_aured(data), eval_controls(data), eval_ufc_verdicts(data)))
    if part in ("all", "stories"):
        from tabayyun.evaluation.stories import eval_stories

        _print("## Stories\n")
        _print(eval_stories(data))
    if part in ("all", "models"):
        _, evaluate = _training_tools()
        _print("## Components\n")
        _print(evaluate.render_markdown(evaluate.evaluate_all(data)))
    if part in ("all", "topics"):
        _training_tools()  # the baseline needs scikit-learn
        from tabayyun.evaluation.topics import eval_topics, render_topics

        _print("## Topics\n")
        _print(render_topics(eval_topics(data)))


def cmd_serve(args: argparse.Namespace) -> int:
    from tabayyun.service import serve

    try:
        serve(args.db, args.host, args.port, args.token, args.public_url, allow_hosts=args.allow_host,
              trusted_proxy=args.trusted_proxy, workers=args.workers)
    except ModuleNotFoundError as exc:
        if exc.name not in _SERVE_MODULES:
            raise
        raise TabayyunError(f"the desk needs the 'serve' extra ({exc.name} is missing): "
                            "pip install 'tabayyun[serve]'") from None
    return 0


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


_SERVE_MODULES = ("fastapi", "uvicorn", "jinja2", "multipart", "starlette")


def cmd_review(args: argparse.Namespace) -> int:
    from tabayyun.publish import make_review

    tb = _open(args.db)
    check = tb.store.get_check(args.check_id)
    if check is None:
        raise TabayyunError(f"no check {args.check_id} in {args.db} / لا يوجد تحقق بهذا الرقم")
    review = make_review(check, args.claim - 1, args.verdict, args.reviewer, args.rating, args.note or "",
                         args.cite or ())
    unknown = [d for d in review.cite if d not in tb.store.get_documents(list(review.cite))]
    if unknown:
        raise TabayyunError(f"no document '{unknown[0]}' to cite in {args.db}")
    saved = tb.store.save_review(review)
    _print(dumps(saved.to_dict()) if args.json else
           f"check {saved.check_id}, claim {saved.claim + 1}: {saved.verdict} ({saved.rating}), "
           f"signed by {saved.reviewer} at {saved.created}")
    return 0


def cmd_publisher(args: argparse.Namespace) -> int:
    from tabayyun.publish import Publisher

    tb = _open(args.db)
    publisher = Publisher.load(tb.store)
    if any(v is not None for v in (args.name, args.url, args.logo, args.public_url)):
        publisher = publisher.updated(args.name, args.url, args.logo, args.public_url)
        publisher.save(tb.store)
    _print(dumps(publisher.__dict__))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from tabayyun.publish import write_export
    from tabayyun.text import day_after

    since, until = _date_range(args)
    before = day_after(until)
    tb = _open(args.db)
    if args.out is None:
        write_export(tb.store, sys.stdout, args.format, since, before, args.check)
        return 0
    out = Path(args.out)
    tmp = out.with_name(f".{out.name}.part")
    try:  # written whole or not at all
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            n = write_export(tb.store, fh, args.format, since, before, args.check)
        os.replace(tmp, out)
    except OSError as exc:
        raise TabayyunError(f"{args.out}: cannot write ({exc.strerror})") from None
    finally:
        tmp.unlink(missing_ok=True)
    print(f"tabayyun: wrote {n} claims to {args.out}", file=sys.stderr)
    return 0


def _bounded_int(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: an integer from ``low`` to ``high``."""
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not '{value[:40]}'") from None
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"expected {low} to {high}, not {number}" if high is not None
                                             else f"expected at least {low}, not {number}")
        return number
    return parse


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tabayyun", description="تبيّن: check Arabic claims against your own trusted reporting, "
                                                  "offline.")
    parser.add_argument("--version", action="version", version=f"tabayyun {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    p = add("demo", cmd_demo, "build an evidence base from the bundled example corpus and check an example post")
    p.add_argument("--db", help="keep the evidence base in this folder (default: a temporary one)")

    p = add("ingest", cmd_ingest, "add documents (JSONL, CSV, .txt, folders) to an evidence base")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--db", required=True, help="evidence base folder (created if missing)")
    p.add_argument("--source", help="source name for documents without one (default: the file name)")
    p.add_argument("--batch-size", type=_bounded_int(1, 100_000), default=1000,
                   help="documents per transaction (default 1000)")
    p.add_argument("--embed", action="store_true",
                   help="compute sentence vectors now (slower ingest, faster first checks)")
    p.add_argument("--embed-stance", action="store_true",
                   help="with --embed, the stance encoder's vectors of every sentence too, and the facts the fact "
                        "checks read (e5: about 15 sentences/s per core, resumable; a cold check then embeds only "
                        "its claim)")
    p.add_argument("--map", metavar="FIELD=COLUMN,...",
                   help="read other column names: e.g. --map text=body,date=published (JSONL and CSV)")
    p.add_argument("--skip-invalid", action="store_true",
                   help="pass over bad records (empty text, malformed line ...) instead of refusing the input")
    p.add_argument("--dask", metavar="local[:N]|tcp://HOST:PORT",
                   help="prepare the batches on Dask workers (the 'scale' extra); the base is the same as without")

    p = add("claims", cmd_claims, "split a post or article into claims with spans and check-worthiness")
    p.add_argument("file", metavar="FILE|-")
    p.add_argument("--json", action="store_true", help="one JSON object per claim")
    p.add_argument("--worthiness", choices=("rules", "learned"), default="rules", help="check-worthiness model")

    p = add("verify", cmd_verify, "verify one claim, or a file of claims (one per line)")
    p.add_argument("claim", nargs="?", metavar="CLAIM")
    p.add_argument("--file", help="claims, one per line; output keeps their order")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--json", action="store_true", help="JSON output (one object per claim)")
    p.add_argument("--date", help="when the claim was made (YYYY-MM-DD): figures are not refuted by evidence "
                                  "dated more than a week away")
    p.add_argument("--before", help="only evidence published before this day (YYYY-MM-DD): what was known "
                                    "when the post appeared; undated documents are left out")

    p = add("check", cmd_check, "extract the claims of a post or article and verify each")
    p.add_argument("file", metavar="FILE|-")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--json", action="store_true", help="one JSON object per claim")
    p.add_argument("--all", action="store_true", help="verify every claim, not only check-worthy ones")
    p.add_argument("--worthiness", choices=("rules", "learned"), default="rules", help="check-worthiness model")
    p.add_argument("--date", help="when the post was made (YYYY-MM-DD): figures are not refuted by evidence "
                                  "dated more than a week away")
    p.add_argument("--before", help="only evidence published before this day (YYYY-MM-DD): what was known "
                                    "when the post appeared; undated documents are left out")

    p.add_argument("--save", action="store_true", help="save the check in the base, to review and export it")

    p = add("batch", cmd_batch, "check a feed of posts (JSONL with 'text', CSV with a 'text' column, or text with one "
                                "post a line; files, folders, gzip): one output record per post, in order")
    p.add_argument("feed", nargs="+", metavar="FEED")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--out", required=True, help="output file, written in input order (replaced unless --resume)")
    p.add_argument("--format", choices=("jsonl", "csv", "claimreview"), default="jsonl",
                   help="jsonl: {input, id, claims} or {input, id, error} per post (default); csv: a row per post; "
                        "claimreview: a ClaimReview graph per post")
    p.add_argument("--resume", action="store_true", help="keep the records already in --out and go on after them")
    p.add_argument("--dask", metavar="local[:N]|tcp://HOST:PORT",
                   help="check on Dask workers: N local processes, or a running scheduler (the 'scale' extra)")
    p.add_argument("--workers", type=_bounded_int(1, MAX_WORKERS), default=0, metavar="N",
                   help="check in N processes of this machine, without Dask (the same output, in input order)")
    p.add_argument("--date-field", default="date", help="the field holding when a post was made (default: date)")
    p.add_argument("--all", action="store_true", help="verify every claim, not only check-worthy ones")

    p = add("review", cmd_review,
            "sign a person's verdict on one claim of a saved check (the machine's stays beside it)")
    p.add_argument("check_id", type=_bounded_int(1, MAX_ID), metavar="CHECK_ID")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--claim", type=int, default=1, help="which claim of the check, from 1 (default 1)")
    p.add_argument("--verdict", required=True, choices=VERDICTS)
    p.add_argument("--rating", help="ClaimReview rating: false, misleading, mixture, unproven, mostly_true, true "
                                    "(default: the one proposed for the verdict)")
    p.add_argument("--reviewer", required=True, help="who signs the review")
    p.add_argument("--note", help="the reviewer's explanation (published as the rating's explanation)")
    p.add_argument("--cite", action="append", metavar="DOC_ID", help="a document of the base to cite (repeatable)")
    p.add_argument("--json", action="store_true")

    p = add("publisher", cmd_publisher, "show or set who publishes the checks (ClaimReview author, public address)")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--name", help="the organisation's name")
    p.add_argument("--url", help="the organisation's web address")
    p.add_argument("--logo", help="address of the organisation's logo")
    p.add_argument("--public-url", help="public base address of the desk (check pages are PUBLIC_URL/checks/ID)")

    p = add("export", cmd_export, "export reviewed checks: one (--check) or a date range")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--format", required=True, choices=("json", "jsonl", "csv", "claimreview"))
    p.add_argument("--check", type=_bounded_int(1, MAX_ID), help="only this check")
    p.add_argument("--since", help="checks made on or after this day (YYYY-MM-DD)")
    p.add_argument("--until", help="checks made on or before this day (YYYY-MM-DD)")
    p.add_argument("--out", help="write to this file (whole or not at all) instead of standard output")

    p = add("search", cmd_search, "search the evidence base")
    p.add_argument("query")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--limit", type=_bounded_int(1, 100), default=10, help="results, 1 to 100 (default 10)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--source", action="append", help="only documents of this source (repeatable)")
    p.add_argument("--since", help="only documents dated on or after this day (YYYY-MM-DD)")
    p.add_argument("--until", help="only documents dated on or before this day (YYYY-MM-DD)")
    p.add_argument("--topic", action="append", help="only documents about this IPTC subject (e.g. conflict, sport; "
                                                    "repeatable)")

    p = add("worthiness", cmd_worthiness, "check-worthiness of texts: JSONL with 'text' (or plain lines) in, "
                                          "one {score, checkworthy} per line out")
    p.add_argument("file", metavar="FILE|-")
    p.add_argument("--model", choices=("rules", "learned"), default="rules", help="default: rules")

    p = add("stance", cmd_stance, "stance of texts toward claims: JSONL with 'claim' and 'text' in, "
                                  "one {stance, probs} per line out")
    p.add_argument("file", metavar="FILE|-")

    p = add("topics", cmd_topics, "subjects of texts (IPTC Media Topics): JSONL with 'text' (and optional 'title') "
                                  "or plain lines in, one {topics: [{id, ar, en, score}]} per line out")
    p.add_argument("file", metavar="FILE|-")

    p = add("train", cmd_train, "rebuild the shipped model artefacts from the training data")
    p.add_argument("--data", help="the datasets folder (default: ../shared/data beside the repository)")
    p.add_argument("--out", help="write artefacts here instead of into the package")

    p = add("eval", cmd_eval, "recompute every figure of EVALUATION.md and print the tables")
    p.add_argument("--data", help="the datasets folder (default: ../shared/data beside the repository)")
    p.add_argument("--part", choices=("all", "verdicts", "models", "topics", "stories"), default="all",
                   help="verdicts: end to end on AuRED dev, unifiedfc, the ANT controls and the seed (minutes); "
                        "models: the components on their own test sets (needs [train]); "
                        "topics: the topic classifier on the labelled sample and ANT test (needs [train]); "
                        "stories: the story clustering on unifiedfc, AuRED dev and the seed; default all")

    p = add("serve", cmd_serve, "serve the HTTP API and the Arabic web page on an evidence base")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)")
    p.add_argument("--port", type=_bounded_int(1, 65535), default=8000, help="port (default 8000)")
    p.add_argument("--token", help="write token (default: $TABAYYUN_TOKEN, else a random one, printed)")
    p.add_argument("--public-url", help="the address readers reach the desk at, for ClaimReview links "
                                        "(default: the publisher's, see 'tabayyun publisher')")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="on loopback, also answer requests for this host name (a proxy in front); repeatable")
    p.add_argument("--trusted-proxy", metavar="IPS",
                   help="addresses whose X-Forwarded-Proto is believed (default 127.0.0.1): behind an HTTPS "
                        "proxy the login cookie is then Secure")
    p.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                   help="worker processes answering on the port, each with its own opening of the base (default 1)")

    p = add("organise", cmd_organise, "place every document not yet in a story in the story of its event "
                                       "(story links that lead nowhere are repaired first)")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--rebuild", action="store_true", help="forget the stories and organise the whole base again")

    p = add("stories", cmd_stories, "list the stories of an evidence base, newest first")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--since", help="stories still reported on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", help="stories that began on or before this date (YYYY-MM-DD)")
    p.add_argument("--source", help="stories with a document from this source")
    p.add_argument("--topic", help="stories with a document on this topic (needs the topics stage)")
    p.add_argument("--limit", type=_bounded_int(1, 10_000), default=50,
                   help="at most this many, 1 to 10,000 (default 50)")
    p.add_argument("--json", action="store_true", help="one JSON object per story")

    p = add("story", cmd_story, "one story: its documents by date and source, and the claims checked in it")
    p.add_argument("id", metavar="ID")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--json", action="store_true")

    p = add("stats", cmd_stats, "count documents and sentences in an evidence base")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--by", choices=("source", "month"), help="also per source or per month, with first/last dates")
    p.add_argument("--json", action="store_true")

    p = add("remove", cmd_remove, "remove a document from an evidence base (store, index, vectors, story)")
    p.add_argument("doc_id", metavar="DOC_ID")
    p.add_argument("--db", required=True, help="evidence base folder")

    p = add("correct", cmd_correct, "correct a stored document, keeping its id (fields not given stay as they are)")
    p.add_argument("doc_id", metavar="DOC_ID")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--text", metavar="FILE|-", help="the corrected text, from a file or standard input")
    p.add_argument("--title")
    p.add_argument("--source")
    p.add_argument("--date", help="YYYY-MM-DD")
    p.add_argument("--url")

    p = add("show", cmd_show, "show one document of an evidence base (its id as search and verify print it)")
    p.add_argument("doc_id", metavar="DOC_ID")
    p.add_argument("--db", required=True, help="evidence base folder")
    p.add_argument("--json", action="store_true", help="the document and its evidence sentences as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "db", None) is not None and not args.db.strip():
        print("tabayyun: error: --db needs a folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except TabayyunError as exc:
        print(f"tabayyun: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tabayyun: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: still one line for the user, the traceback on request
        if os.environ.get("TABAYYUN_DEBUG"):
            raise
        print(f"tabayyun: internal error: {type(exc).__name__}: {exc} (set TABAYYUN_DEBUG=1 for details)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
