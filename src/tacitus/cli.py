"""The `tacitus` command line: thin commands over the library (typer + rich).

Commands in `tacitus.commands.*` register themselves (serve, export, load, eval ...).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import json
import os
import pkgutil
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from tacitus.config import load_config
from tacitus.errors import UserError, user_errors
from tacitus.store import Store

app = typer.Typer(help="tacitus: political event data, quotes, places and times from dated news.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
eval_app = typer.Typer(help="Measure accuracy on gold sets.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
console = Console()


def _one_line_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> str:
    """Warnings for people ("warning: my.verbs:4: [11X] is not a CAMEO code"), not Python source lines."""
    return f"warning: {message}\n"


@app.callback()
def _main() -> None:
    """Runs before every command."""
    warnings.formatwarning = _one_line_warning  # type: ignore[assignment]


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExtractFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def parse_date(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD option value, or a one-line error."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


# Shared options, defined once.
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file.", envvar="TACITUS_DB")]
ParquetOption = Annotated[Path | None, typer.Option("--parquet", help="Query a Parquet tree instead of --db.")]
ModelOption = Annotated[str | None, typer.Option("--model", help="spaCy pipeline name or path.")]
DictionaryOption = Annotated[list[Path] | None, typer.Option("--dictionary", help="Extra actor or verb dictionary "
                                                             "(repeatable; YAML/TSV, PETRARCH .actors/.agents/.verbs).")]
DateOption = Annotated[str | None, typer.Option("--date", help="Publication date (YYYY-MM-DD) for undated input.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="From this date (YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Up to this date (YYYY-MM-DD).")]
LimitOption = Annotated[int, typer.Option("--limit", min=1, max=1_000_000, help="At most this many rows.")]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]
TextOption = Annotated[str | None, typer.Option("--text", help="Words to search for.")]
ActorOption = Annotated[str | None, typer.Option("--actor", help="Actor code prefix, e.g. CHN or CHNGOV.")]


def open_store(db: Path, parquet: Path | None = None) -> Store:
    """The store for a query command: a Parquet tree when given, else the DuckDB file read-only."""
    if parquet is not None:
        return Store.from_parquet(parquet)
    return Store(db, read_only=True)


# the columns a terminal table shows (JSON and CSV carry every column)
TABLE_COLUMNS = {
    "events": ["date", "source", "cameo", "cameo_name", "target", "modality", "trigger_text", "doc_id"],
    "quotes": ["date", "speaker_name", "speaker_actor_code", "kind", "text", "doc_id"],
    "documents": ["id", "date", "title", "chars", "events", "quotes"],
    "failures": ["path", "line", "doc_id", "stage", "reason"],
}


def print_rows(rows: list[dict[str, Any]], fmt: Format, *, title: str | None = None) -> None:
    """Rows as a rich table, JSON or CSV on stdout."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(rows, default=str, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is Format.csv:
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in r.items()} for r in rows)
        sys.stdout.write(buffer.getvalue())
        return
    if not rows:
        console.print("[dim]no rows[/dim]")
        return
    columns = [c for c in TABLE_COLUMNS.get(title or "", list(rows[0])) if c in rows[0]]
    table = Table(title=title, show_lines=False)
    for name in columns:
        table.add_column(name, overflow="fold", max_width=60 if name == "text" else None)
    for row in rows:
        table.add_row(*(_cell(row[c], 200) for c in columns))
    console.print(table)


def _cell(value: Any, width: int | None = None) -> str:
    if value is None:
        return ""
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


@app.command()
@user_errors
def extract(
    files: Annotated[list[Path], typer.Argument(help="Article files (dated text, .txt, .jsonl, .csv, .html, .gz).")],
    fmt: Annotated[ExtractFormat, typer.Option("--format", help="Output format.")] = ExtractFormat.json,
    date: DateOption = None,
    model: ModelOption = None,
    dictionary: DictionaryOption = None,
    code_statements: Annotated[bool, typer.Option("--code-statements", help="Also code 'X said' as 01x.")] = False,
) -> None:
    """Print everything found in each document (JSON: one object per document)."""
    from tacitus.pipeline import Pipeline
    from tacitus.readers import read_paths
    from tacitus.schema import Failure

    for file in files:
        if not file.exists():
            raise UserError(f"no such file: {file}")
    pipeline = Pipeline(load_config(model=model, dictionaries=dictionary, code_statements=code_statements))
    items = list(read_paths(files, default_date=parse_date(date)))
    failures = [i for i in items if isinstance(i, Failure)]
    results = list(pipeline.run([i for i in items if not isinstance(i, Failure)]))
    failures += [r for r in results if isinstance(r, Failure)]
    extractions = [r for r in results if not isinstance(r, Failure)]
    if fmt is ExtractFormat.json:
        payload = [e.model_dump(mode="json") for e in extractions]
        sys.stdout.write(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2)
                         + "\n")
    elif fmt is ExtractFormat.jsonl:
        for e in extractions:
            sys.stdout.write(e.model_dump_json() + "\n")
    else:
        for e in extractions:
            _print_extraction(e)
    for failure in failures:
        where = f"{failure.path}:{failure.line}" if failure.line else (failure.path or failure.doc_id)
        print(f"error: {where}: {failure.reason}", file=sys.stderr)
    if failures and not extractions:
        raise typer.Exit(2)


def _print_extraction(e: Any) -> None:
    console.rule(f"{e.document.id}  {e.document.date}  {e.document.title or ''}")
    print_rows([{"id": x.id, "name": x.name, "type": x.type, "actor": x.actor.code if x.actor else None,
                 "mentions": len(x.mentions), "titles": x.titles} for x in e.entities], Format.table,
               title="entities")
    print_rows([{"date": v.date, "source": v.source.actor_code if v.source else None, "cameo": v.cameo,
                 "name": v.cameo_name, "target": v.target.actor_code if v.target else None,
                 "modality": v.modality, "trigger": v.trigger.text} for v in e.events], Format.table, title="events")
    print_rows([{"speaker": q.speaker.name if q.speaker else None, "kind": q.kind, "text": q.text[:120]}
                for q in e.quotes], Format.table, title="quotes")
    print_rows([{"text": t.text, "type": t.type, "value": t.value} for t in e.times], Format.table, title="times")
    print_rows([{"text": p.text, "name": p.name, "country": p.country, "precision": p.precision}
                for p in e.places], Format.table, title="places")


class Engine(str, Enum):
    local = "local"
    ray = "ray"


@app.command()
@user_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to ingest.")],
    db: DbOption = Path("tacitus.duckdb"),
    workers: Annotated[int, typer.Option("--workers", min=1, max=4096,
                                         help="Worker processes (--engine ray: actors, one CPU each).")] = 1,
    date: DateOption = None,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Retry documents that failed before.")] = False,
    model: ModelOption = None,
    dictionary: DictionaryOption = None,
    max_chars: Annotated[int | None, typer.Option("--max-chars", help="Longest document text accepted.")] = None,
    code_statements: Annotated[bool, typer.Option("--code-statements", help="Also code 'X said' as 01x.")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help="local processes, or a Ray cluster.")] = Engine.local,
    address: Annotated[str | None, typer.Option("--address", help="Ray cluster address (auto, ray://...).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Parquet output directory (--engine ray).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=100_000,
                                            help="Documents per Ray task and Parquet part (--engine ray).")] = 32,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Process articles into the DuckDB store (idempotent and resumable), with a progress bar and summary."""
    for path in paths:
        if not path.exists():
            raise UserError(f"no such file or directory: {path}")
    config = load_config(model=model, db=db, dictionaries=dictionary, max_chars=max_chars,
                         code_statements=code_statements)
    default_date = parse_date(date)
    if engine is Engine.ray:
        from tacitus import distributed

        if out is None:
            raise UserError("--engine ray needs --out DIR for the Parquet output")
        with _progress(None, quiet) as advance:  # inputs may be remote: no counting pass on the driver
            summary = distributed.ingest_ray(paths, out=out, config=config, address=address, workers=workers,
                                             default_date=default_date, batch_size=batch_size, on_progress=advance)
        _print_summary(summary)
        return
    if workers > 4 * (os.cpu_count() or 1):
        raise UserError(f"--workers {workers} is far more than this machine's {os.cpu_count()} CPUs "
                        "(use --engine ray to run on a cluster)")
    from tacitus import ingest as ingest_lib

    after_write = _dedup_hook()
    with Store(config.db) as store:
        with _progress(ingest_lib.count_documents(paths, default_date), quiet) as advance:
            summary = ingest_lib.ingest(paths, store=store, config=config, workers=workers,
                                        default_date=default_date, retry_failed=retry_failed, on_progress=advance,
                                        after_write=after_write)
        _print_summary(summary, store)


@contextmanager
def _progress(total: int | None, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr with the running rate; yields the function that advances it."""
    progress = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[rate]} articles/s"), TimeRemainingColumn(),
                        console=Console(stderr=True), disable=quiet)
    with progress:
        task = progress.add_task("ingest", total=total, rate="-")

        def advance(n: int) -> None:
            progress.advance(task, n)
            elapsed = progress.tasks[0].elapsed or 0
            done = progress.tasks[0].completed
            progress.update(task, rate=f"{done / elapsed:.1f}" if elapsed else "-")

        yield advance


def _dedup_hook() -> Any:
    try:
        from tacitus.dedup import update_clusters
    except ImportError:
        return None
    return update_clusters


def _print_summary(summary: Any, store: Store | None = None) -> None:
    err = Console(stderr=True)
    err.print(f"[bold]{summary.written}[/bold] documents written, {summary.skipped} unchanged and skipped, "
              f"{len(summary.failures)} failures, in {summary.seconds:.1f} s ({summary.rate:.1f} articles/s)")
    if summary.records:
        err.print("records: " + ", ".join(f"{k} {v}" for k, v in summary.records.items()))
    for failure in summary.failures[:20]:
        where = f"{failure.path}:{failure.line}" if failure.line else (failure.path or failure.doc_id)
        err.print(f"  [red]failed[/red] {where}: {failure.reason}")
    if len(summary.failures) > 20:
        err.print(f"  ... and {len(summary.failures) - 20} more (tacitus failures)")
    if store is not None:
        counts = store.counts()
        err.print("store: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@app.command()
@user_errors
def documents(db: DbOption = Path("tacitus.duckdb"), parquet: ParquetOption = None, since: SinceOption = None,
              until: UntilOption = None, text: TextOption = None, limit: LimitOption = 50,
              fmt: FormatOption = Format.table) -> None:
    """List stored documents, newest first."""
    since_date, until_date = parse_date(since), parse_date(until)
    with open_store(db, parquet) as store:
        rows = store.documents(since=since_date, until=until_date, text=text, limit=limit)
    print_rows(rows, fmt, title="documents")


@app.command()
@user_errors
def entities(db: DbOption = Path("tacitus.duckdb"), parquet: ParquetOption = None, actor: ActorOption = None,
             text: TextOption = None, type: Annotated[str | None, typer.Option("--type", help="PERSON, ORG, GPE ...")] = None,
             since: SinceOption = None, until: UntilOption = None, limit: LimitOption = 50,
             fmt: FormatOption = Format.table) -> None:
    """List entities across documents with their actor codes."""
    since_date, until_date = parse_date(since), parse_date(until)
    with open_store(db, parquet) as store:
        rows = store.entities(actor=actor, text=text, type=type, since=since_date, until=until_date,
                              limit=limit)
    print_rows(rows, fmt, title="entities")


@app.command()
@user_errors
def events(db: DbOption = Path("tacitus.duckdb"), parquet: ParquetOption = None, actor: ActorOption = None,
           source: Annotated[str | None, typer.Option("--source", help="Source actor code prefix.")] = None,
           target: Annotated[str | None, typer.Option("--target", help="Target actor code prefix.")] = None,
           code: Annotated[str | None, typer.Option("--code", help="CAMEO code prefix, e.g. 16 or 163.")] = None,
           since: SinceOption = None, until: UntilOption = None, text: TextOption = None,
           all_modalities: Annotated[bool, typer.Option("--all-modalities", help="Include negated, hypothetical, "
                                                        "future and denied events.")] = False,
           limit: LimitOption = 50, fmt: FormatOption = Format.table) -> None:
    """List coded events (asserted only unless --all-modalities)."""
    since_date, until_date = parse_date(since), parse_date(until)
    with open_store(db, parquet) as store:
        rows = store.events(actor=actor, source=source, target=target, code=code, since=since_date,
                            until=until_date, text=text, all_modalities=all_modalities, limit=limit)
    print_rows(rows, fmt, title="events")


@app.command()
@user_errors
def quotes(db: DbOption = Path("tacitus.duckdb"), parquet: ParquetOption = None,
           speaker: Annotated[str | None, typer.Option("--speaker", help="Speaker name (as written or resolved).")] = None,
           actor: ActorOption = None, text: TextOption = None, since: SinceOption = None, until: UntilOption = None,
           limit: LimitOption = 50, fmt: FormatOption = Format.table) -> None:
    """List quotes with their speakers."""
    since_date, until_date = parse_date(since), parse_date(until)
    with open_store(db, parquet) as store:
        rows = store.quotes(speaker=speaker, actor=actor, text=text, since=since_date, until=until_date,
                            limit=limit)
    print_rows(rows, fmt, title="quotes")


@app.command()
@user_errors
def failures(db: DbOption = Path("tacitus.duckdb"), parquet: ParquetOption = None, limit: LimitOption = 50,
             fmt: FormatOption = Format.table) -> None:
    """List inputs that could not be processed, with the reason."""
    with open_store(db, parquet) as store:
        rows = store.failures(limit=limit)
    print_rows(rows, fmt, title="failures")


@app.command()
@user_errors
def stats(db: DbOption = Path("tacitus.duckdb"), parquet: ParquetOption = None,
          fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table) -> None:
    """Counts per table, date range, top codes and actors, recent runs."""
    with open_store(db, parquet) as store:
        found = store.stats()
    if fmt is not Format.table:
        sys.stdout.write(json.dumps(found, default=str, indent=2) + "\n")
        return
    print_rows([found["counts"]], Format.table, title=f"{found['first_date']} .. {found['last_date']}")
    print_rows(found["top_root_codes"], Format.table, title="top CAMEO root codes")
    print_rows(found["top_source_actors"], Format.table, title="top source actors")
    print_rows(found["runs"], Format.table, title="recent runs")


def _register_commands() -> None:
    """Let every module in tacitus.commands add its commands (serve, export, load, eval ...)."""
    import tacitus.commands

    for module in sorted(pkgutil.iter_modules(tacitus.commands.__path__), key=lambda m: m.name):
        loaded = importlib.import_module(f"tacitus.commands.{module.name}")
        register = getattr(loaded, "register", None)
        if register is not None:
            register(app, eval_app)


_register_commands()

