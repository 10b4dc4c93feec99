"""`tacitus eval geo FILE.xml`: score the places extractor on an LGL-format geoparsing corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tacitus.config import ConfigError, load_config


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the `geo` command to `tacitus eval`."""

    @eval_app.command("geo")
    def eval_geo(
        path: Annotated[Path, typer.Argument(help="LGL-format XML file (e.g. ../shared/eval/geo/lgl/lgl.xml)")],
        model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline to use")] = None,
        limit: Annotated[int | None, typer.Option("--limit", min=1, help="score only the first N articles")] = None,
        country: Annotated[str | None, typer.Option(
            "--country", help="outlet country of every article (ISO code or name), e.g. US for LGL")] = None,
        errors: Annotated[int, typer.Option("--errors", min=0, help="print up to N wrong resolutions")] = 0,
    ) -> None:
        """Toponym detection P/R/F1 and resolution accuracy (exact id, within 161 km), gold spans and end to end."""
        from tacitus.eval.geo import GeoEvalError, evaluate, format_report

        if not path.is_file():
            typer.echo(f"error: {path} is not a file", err=True)
            raise typer.Exit(2)
        try:
            config = load_config(model=model)
            result = evaluate(path, model=config.model, limit=limit, country=country)
        except (GeoEvalError, ConfigError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        typer.echo(format_report(result))
        for phrase, gold, got, km in result.wrong[:errors]:
            typer.echo(f"  {phrase!r}: gold {gold}, got {got} ({km:.0f} km)")
