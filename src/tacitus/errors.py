"""User errors: one clear line and exit code 2 at the command line, a 4xx in the API — never a traceback."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class UserError(Exception):
    """Something the user can fix: a bad file, option, date or dictionary. The message is for people."""


def user_errors(func: F) -> F:
    """Decorate a CLI command so UserError (and config/lexicon errors) print one line and exit 2."""
    import typer

    from tacitus.config import ConfigError
    from tacitus.lexicon import LexiconError

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (UserError, ConfigError, LexiconError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]
