"""`tacitus eval quotes FILE.jsonl`: quote P/R/F1 and speaker accuracy on Gender Gap Tracker annotations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from tacitus.errors import UserError, user_errors


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add `quotes` to `tacitus eval`."""

    @eval_app.command("quotes")
    @user_errors
    def eval_quotes(
        path: Annotated[Path, typer.Argument(help="GGT-format JSONL (id, text, quotations).")],
        date: Annotated[str, typer.Option("--date", help="Fixed publication date for the articles.")] = "2019-01-01",
        model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline name or path.")] = None,
        show_errors: Annotated[int, typer.Option("--show-errors", help="Print this many misses.")] = 0,
    ) -> None:
        """Precision, recall and F1 of quotes at 30% and 80% overlap, and speaker accuracy."""
        from rich.console import Console
        from rich.table import Table

        from tacitus.config import load_config
        from tacitus.eval.quotes import THRESHOLDS, GoldFormatError, evaluate, read_gold
        from tacitus.pipeline import Pipeline

        if not path.is_file():
            raise UserError(f"file not found: {path}")
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise UserError(f"not a date: {date!r} (use YYYY-MM-DD)") from None
        try:
            articles = read_gold(path)
        except GoldFormatError as exc:
            raise UserError(str(exc)) from None
        pipeline = Pipeline(load_config(model=model))
        scores = evaluate(articles, pipeline, date=day, keep_misses=show_errors > 0)
        console = Console()
        table = Table(title=f"quotes: {path.name} ({scores.articles} articles, {scores.gold} gold quotes, "
                            f"{scores.predicted} predicted)")
        for column in ("overlap", "precision", "recall", "F1"):
            table.add_column(column, justify="right")
        for t in THRESHOLDS:
            table.add_row(f"> {t:.0%}", f"{scores.precision(t):.3f}", f"{scores.recall(t):.3f}", f"{scores.f1(t):.3f}")
        console.print(table)
        console.print(f"speaker accuracy: {scores.speaker_accuracy:.3f} ({scores.speaker_right}/{scores.speaker_total})"
                      f"; pronoun speakers: {scores.pronoun_accuracy:.3f} "
                      f"({scores.pronoun_right}/{scores.pronoun_total})")
        timings = pipeline.timings
        share = timings.extract.get("quotes", 0.0) / timings.parse if timings.parse else 0.0
        console.print(f"quote extraction: {timings.extract.get('quotes', 0.0):.2f}s, {share:.1%} of parse time "
                      f"({timings.parse:.2f}s)")
        if scores.unlocated:
            console.print(f"{scores.unlocated} gold quotes not found in their article text (not scored)")
        for failure in scores.failures:
            console.print(f"[red]failed[/red] {failure}")
        for miss in scores.misses[:show_errors]:
            console.print(miss, markup=False, highlight=False)
