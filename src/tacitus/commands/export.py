"""`tacitus export`, `tacitus clusters` and `tacitus dedup`: files for other tools, and cross-document events."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from tacitus.errors import UserError, user_errors


class ExportFormat(str, Enum):
    gdelt_events = "gdelt-events"
    gdelt_mentions = "gdelt-mentions"
    gdelt_gkg = "gdelt-gkg"
    polecat = "polecat"
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the `export`, `clusters` and `dedup` commands to the CLI."""
    from tacitus.cli import (
        ActorOption,
        DbOption,
        Format,
        FormatOption,
        LimitOption,
        ParquetOption,
        SinceOption,
        TextOption,
        UntilOption,
        open_store,
        parse_date,
        print_rows,
    )

    CodeOption = Annotated[str | None, typer.Option("--code", help="CAMEO code prefix, e.g. 16 or 163.")]

    @app.command("export")
    @user_errors
    def export_command(
        out: Annotated[Path, typer.Argument(help="Output file (GDELT, polecat) or directory (parquet, csv, jsonl).")],
        fmt: Annotated[ExportFormat, typer.Option("--format", help="gdelt-events, gdelt-mentions, gdelt-gkg, "
                                                  "polecat (.jsonl, or .tsv), parquet, csv, jsonl.")],
        db: DbOption = Path("tacitus.duckdb"),
        parquet: ParquetOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
        actor: ActorOption = None,
        source: Annotated[str | None, typer.Option("--source", help="Source actor code prefix.")] = None,
        target: Annotated[str | None, typer.Option("--target", help="Target actor code prefix.")] = None,
        code: CodeOption = None,
        text: TextOption = None,
        all_modalities: Annotated[bool, typer.Option("--all-modalities", help="Also negated, hypothetical, "
                                                     "future and denied events.")] = False,
        clusters: Annotated[bool, typer.Option("--clusters", help="One row per real-world event (cluster of "
                                               "mentions across articles) instead of per mention.")] = False,
        force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
    ) -> None:
        """Write events, mentions, GKG records, PLOVER records or every table in a format other tools read."""
        from tacitus.export import export

        filters = {"since": parse_date(since), "until": parse_date(until), "actor": actor, "source": source,
                   "target": target, "code": code, "text": text}
        if all_modalities:
            filters["modality"] = "any"
        with open_store(db, parquet) as store:
            result = export(store, fmt.value, out, filters=filters, clusters=clusters, force=force)
        total = sum(result.rows.values())
        detail = ", ".join(f"{k} {v:,}" for k, v in result.rows.items())
        rate = f", {total / result.seconds:,.0f} rows/s" if result.seconds > 0 else ""
        typer.echo(f"wrote {out} ({fmt.value}): {detail} in {result.seconds:.2f} s{rate}", err=True)

    @app.command("clusters")
    @user_errors
    def clusters_command(
        db: DbOption = Path("tacitus.duckdb"),
        parquet: ParquetOption = None,
        cluster_id: Annotated[int | None, typer.Option("--id", help="Show the mentions of one cluster and why "
                                                       "each was merged.")] = None,
        actor: ActorOption = None,
        code: CodeOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
        min_articles: Annotated[int, typer.Option("--min-articles", min=1, help="Only clusters reported by at "
                                                  "least this many articles.")] = 1,
        limit: LimitOption = 50,
        fmt: FormatOption = Format.table,
    ) -> None:
        """List real-world events reported across articles (event clusters), largest first."""
        with open_store(db, parquet) as store:
            if not store.has_clusters():
                raise UserError(f"{db} has no event clusters yet (run `tacitus dedup --db {db}`)")
            if cluster_id is not None:
                rows = store.cluster_mentions(cluster_id)
                if not rows:
                    raise UserError(f"no cluster with id {cluster_id}")
                print_rows(rows, fmt, title=f"cluster {cluster_id}")
                return
            filters = {"actor": actor, "code": code, "since": parse_date(since), "until": parse_date(until)}
            rows = store.cluster_page(filters, min_articles=min_articles, limit=limit)
        print_rows(rows, fmt, title="event clusters")

    @app.command("dedup")
    @user_errors
    def dedup_command(
        db: DbOption = Path("tacitus.duckdb"),
        window: Annotated[int, typer.Option("--window", min=0, max=365, help="Days between two mentions of "
                                            "one event.")] = 3,
    ) -> None:
        """(Re)build the cross-document event clusters of a whole store (ingest keeps them up to date)."""
        from tacitus.dedup import rebuild_clusters
        from tacitus.store import Store

        if not db.exists():
            raise UserError(f"no database at {db} (run `tacitus ingest` first, or pass --db)")
        with Store(db) as store:
            summary = rebuild_clusters(store, window=window)
        typer.echo(f"{summary['mentions']:,} event mentions in {summary['clusters']:,} clusters "
                   f"({summary['merged']:,} merged across articles)", err=True)
