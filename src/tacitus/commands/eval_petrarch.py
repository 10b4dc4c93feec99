"""`tacitus eval petrarch FILE.xml --dictionaries DIR`: score the event coder on PETRARCH validation records.

The headline uses tacitus's own verb lexicon; when DIR (or a listed file) holds a PETRARCH verbs dictionary,
a second block gives the same figures with it as a user verb dictionary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tacitus.config import ConfigError, load_config


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the `petrarch` command to `tacitus eval`."""

    @eval_app.command("petrarch")
    def eval_petrarch(
        path: Annotated[Path, typer.Argument(help="PETRARCH records XML (e.g. PETR.UnitTest.records.xml)")],
        dictionaries: Annotated[list[Path] | None, typer.Option(
            "--dictionaries", help="PETRARCH actor/agent (and verbs) files, or a folder with *.actors.txt/*.agents.txt "
            "(and *verbs*.txt)")] = None,
        model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline to use")] = None,
        limit: Annotated[int | None, typer.Option("--limit", help="score only the first N sentences")] = None,
        errors: Annotated[int, typer.Option("--errors", help="print up to N sentences coded wrongly")] = 0,
        verbs: Annotated[bool, typer.Option("--verbs/--no-verbs",
                                            help="also score with a PETRARCH verbs file found among the dictionaries")] = True,
    ) -> None:
        """Exact-match share of sentences and event P/R at 2, 3 and 4 digits, with tacitus's own verb lexicon
        (and with the user verb dictionary when one is given)."""
        from tacitus.eval.petrarch import PetrarchEvalError, evaluate, format_report
        from tacitus.lexicon import LexiconError

        if not path.is_file():
            typer.echo(f"error: {path} is not a file", err=True)
            raise typer.Exit(2)
        try:
            config = load_config(model=model)
            score = evaluate(path, list(dictionaries or []), model=config.model, limit=limit, verbs=verbs)
        except (PetrarchEvalError, ConfigError, LexiconError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        typer.echo(format_report(score))
        for scored in (score, score.with_verbs):
            if scored is None or not errors:
                continue
            typer.echo(f"sentences coded wrongly ({scored.label or 'own lexicon'}):")
            for note in scored.notes[1:errors + 1]:
                typer.echo(f"  warning {note}")
            for record, found in scored.misses[:errors]:
                typer.echo(f"  {record.id}: {record.text}")
                typer.echo(f"      gold {sorted(record.gold)}")
                typer.echo(f"      got  {sorted(found)}")
