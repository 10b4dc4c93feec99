"""`tacitus eval timeml DIR`: score the times extractor on TimeML files (TimeBank, AQUAINT)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from tacitus.errors import UserError, user_errors


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add `timeml` to `tacitus eval`."""

    @eval_app.command("timeml")
    @user_errors
    def eval_timeml(
        directory: Annotated[Path, typer.Argument(help="Folder of .tml files (searched recursively).")],
        model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline name or path.")] = None,
        limit: Annotated[int | None, typer.Option("--limit", help="Score only the first N files.")] = None,
        show_errors: Annotated[int, typer.Option("--show-errors", help="Print this many wrong values.")] = 0,
    ) -> None:
        """Extent F1 (strict, relaxed), value F1 end to end and value accuracy on gold DATE spans."""
        from tacitus.config import load_config
        from tacitus.eval.timeml import TimeMLError, evaluate, format_report

        if not directory.is_dir():
            raise UserError(f"{directory} is not a folder")
        config = load_config(model=model)
        started = time.perf_counter()
        try:
            result, wrong = evaluate(directory, model=config.model, limit=limit)
        except TimeMLError as exc:
            raise UserError(str(exc)) from None
        typer.echo(format_report(result))
        typer.echo(f"({time.perf_counter() - started:.1f}s)")
        for text, gold, got, context in wrong[:show_errors]:
            typer.echo(f"  {text!r}: gold {gold}, got {got} ({context})")
