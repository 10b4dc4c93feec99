"""`tacitus serve`: the REST API and the web page on a DuckDB file."""

import os
from pathlib import Path
from typing import Annotated

import typer

from tacitus.errors import UserError, user_errors


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the `serve` command to the CLI."""
    from tacitus.cli import DbOption, ModelOption, ParquetOption

    @app.command("serve")
    @user_errors
    def serve(
        db: DbOption = Path("tacitus.duckdb"),
        parquet: ParquetOption = None,
        host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
        model: ModelOption = None,
        max_body_mb: Annotated[
            float, typer.Option("--max-body-mb", min=0.001, help="Largest POST body.")
        ] = 10.0,
    ) -> None:
        """Serve the API (/api, docs at /docs) and the web app (/) on a database; POST needs TACITUS_API_TOKEN."""
        from tacitus.api.server import running_server
        from tacitus.api.server import serve as run_server
        from tacitus.config import load_config

        url = running_server(db) if parquet is None else None
        if url:
            raise UserError(f"{db} is already served at {url}")
        token = os.environ.get("TACITUS_API_TOKEN") or None
        if parquet is not None:
            token = None  # a Parquet tree is served read-only
        config = load_config(model=model, db=db)
        mode = (
            "read-write, POST /api/documents enabled"
            if token
            else "read-only (set TACITUS_API_TOKEN to allow POST)"
        )
        typer.echo(f"tacitus: serving {parquet or db} at http://{host}:{port} ({mode}); API docs at /docs")
        run_server(
            db, host=host, port=port, config=config, token=token, max_bytes=int(max_body_mb * 1024 * 1024),
            parquet=parquet,
        )
