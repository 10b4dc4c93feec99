"""`tacitus load`: bring a Parquet tree written by the Ray engine into a DuckDB store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tacitus.errors import UserError, user_errors


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the `load` command."""

    @app.command("load")
    @user_errors
    def load(
        directory: Annotated[Path, typer.Argument(help="Parquet tree written by `tacitus ingest --engine ray`.")],
        db: Annotated[Path, typer.Option("--db", help="DuckDB file.", envvar="TACITUS_DB")] = Path("tacitus.duckdb"),
    ) -> None:
        """Load a Parquet tree into the DuckDB store (idempotent by document id and text hash)."""
        from tacitus.store import Store

        if not directory.is_dir():
            raise UserError(f"no such directory: {directory}")
        from tacitus.dedup import rebuild_clusters

        with Store(db) as store:
            loaded = store.load_parquet(directory)
            if loaded.get("documents"):
                rebuild_clusters(store)  # cross-document clusters span old and new documents
            counts = store.counts()
        typer.echo(f"loaded {loaded.get('documents', 0)} new or changed documents from {directory} into {db}")
        typer.echo("store: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
