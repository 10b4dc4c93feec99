"""Lookup tables the GDELT exports need: column layouts, CAMEO actor code parts, ISO-3 -> FIPS country codes.

All three are data files in tacitus/data/gdelt/, read once through tacitus.lexicon (file:line errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from tacitus.lexicon import LexiconError, data_path, read_tsv

KINDS = ("country", "group", "type", "religion", "ethnic")


@lru_cache(maxsize=1)
def columns() -> dict[str, list[tuple[str, str]]]:
    """GDELT table -> [(column, type)] in file order (events 61, mentions 16, gkg 27)."""
    layout: dict[str, list[tuple[str, str]]] = {}
    for row in read_tsv(data_path("gdelt/columns.tsv"), columns=3):
        table, name, kind = row.values
        if kind not in ("int", "float", "str"):
            raise LexiconError(f"{row.where()}: type must be int, float or str, not '{kind}'")
        layout.setdefault(table, []).append((name, kind))
    return layout


def header(table: str) -> list[str]:
    """Column names of a GDELT table, in file order."""
    return [name for name, _ in columns()[table]]


@lru_cache(maxsize=1)
def actor_code_parts() -> dict[str, set[str]]:
    """3-letter CAMEO code -> the kinds it can be (country, group, type, religion, ethnic)."""
    parts: dict[str, set[str]] = {}
    for row in read_tsv(data_path("gdelt/actor_codes.tsv"), columns=3):
        code, kind, _label = row.values
        if kind not in KINDS or len(code) != 3:
            raise LexiconError(f"{row.where()}: expected a 3-letter code and a kind in {', '.join(KINDS)}")
        parts.setdefault(code.upper(), set()).add(kind)
    return parts


@lru_cache(maxsize=1)
def fips_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> FIPS 10-4 country code (GDELT's *Geo_CountryCode)."""
    table: dict[str, str] = {}
    for row in read_tsv(data_path("gdelt/fips_countries.tsv"), columns=3):
        iso3, fips, _name = row.values
        table.setdefault(iso3.upper(), fips.upper())
    return table


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> country name."""
    return {row.values[0].upper(): row.values[2] for row in read_tsv(data_path("gdelt/fips_countries.tsv"), columns=3)}


@dataclass
class ActorParts:
    """A CAMEO actor code split the way GDELT's Actor1*/Actor2* columns want it."""

    country: str = ""
    group: str = ""
    ethnic: str = ""
    religions: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)


@lru_cache(maxsize=65536)
def split_actor_code(code: str | None) -> ActorParts:
    """CHNGOV -> country CHN, type GOV; IGOUNO -> type IGO, group UNO; USAMOS -> country USA, religion MOS."""
    parts = ActorParts()
    if not code:
        return parts
    known = actor_code_parts()
    chunks = [code[i:i + 3].upper() for i in range(0, len(code) - len(code) % 3, 3)]
    for position, chunk in enumerate(chunks):
        kinds = known.get(chunk, set())
        if position == 0:
            order: tuple[str, ...] = ("country", "group", "type", "religion", "ethnic")
        elif chunks[position - 1] in ("IGO", "NGO", "MNC"):  # IGOUNO: an organisation type, then which one
            order = ("group", "type", "religion", "ethnic", "country")
        else:
            order = ("type", "religion", "group", "ethnic", "country")
        kind = next((k for k in order if k in kinds), None)
        if kind == "country" and not parts.country:
            parts.country = chunk
        elif kind == "group" and not parts.group:
            parts.group = chunk
        elif kind == "type" and len(parts.types) < 3:
            parts.types.append(chunk)
        elif kind == "religion" and len(parts.religions) < 2:
            parts.religions.append(chunk)
        elif kind == "ethnic" and not parts.ethnic:
            parts.ethnic = chunk.lower()  # GDELT writes ethnic codes in lower case
    return parts
