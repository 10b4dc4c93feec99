"""GDELT 2.0 files: Events (61 columns), Mentions (16) and GKG 2.1 (27), tab-separated, no header, no quoting.

They load with the reader people use for real GDELT files:
`pandas.read_csv(path, sep="\\t", header=None, names=HEADER, quoting=csv.QUOTE_NONE)`.
GLOBALEVENTID is the event cluster's id when clusters are used (`--clusters`), else the mention's own id;
the two agree for the mention that founded a cluster. Geography columns use FIPS 10-4 country codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.compute as pc

from tacitus.export import clean
from tacitus.export.lookups import country_names, fips_codes, split_actor_code
from tacitus.store import Store

# GKG sub-fields are separated by ; , # and |; inside a name or quote those become spaces
_SUBFIELD = str.maketrans({";": " ", ",": " ", "#": " ", "|": " "})
_QUOTE_SUBFIELD = str.maketrans({"#": " ", "|": " "})
_PLACE_SUBFIELD = str.maketrans({";": " ", "#": " "})  # "Beijing, China" keeps its comma, as in GDELT


def _write(fh: TextIO, fields: Iterable[Any]) -> None:
    fh.write("\t".join(clean(f) for f in fields) + "\n")


def _stamp(value: dt.date | dt.datetime | None, fallback: dt.date | None = None) -> str:
    """YYYYMMDDHHMMSS (GDELT's DATEADDED and GKG DATE)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y%m%d%H%M%S")
    value = value or fallback
    return value.strftime("%Y%m%d000000") if value else ""


def quad_class(root_code: str | None) -> int | None:
    """CAMEO QuadClass from the root code: 1 verbal / 2 material cooperation, 3 verbal / 4 material conflict."""
    if not root_code or not root_code[:2].isdigit():
        return None
    root = int(root_code[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def _num(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{round(value, digits):.{digits}f}".rstrip("0").rstrip(".")


def geo_fields(name: str | None, iso3: str | None, fips: str | None, admin1: str | None, lat: float | None,
               lon: float | None, geonames_id: int | None, precision: str | None) -> list[Any]:
    """The 8 GDELT *Geo_ fields (Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID)."""
    if not name and not iso3:
        return [0, "", "", "", "", "", "", ""]
    fips = fips or fips_codes().get((iso3 or "").upper(), "")
    usa = iso3 == "USA"
    if precision == "country" or (precision is None and lat is None):
        kind = 1
    elif precision == "admin1":
        kind = 2 if usa else 5
    else:
        kind = 3 if usa else 4
    full = name or country_names().get(iso3 or "", "")
    country = country_names().get(iso3 or "", "")
    if kind != 1 and country and full != country:
        full = f"{full}, {country}"
    adm1 = fips
    if admin1 and kind != 1 and len(admin1) <= 3 and admin1.isalnum():
        adm1 = f"{fips}{admin1.upper()}"
    feature = str(geonames_id) if geonames_id else (fips if kind == 1 else "")
    return [kind, full, fips, adm1, "", _num(lat), _num(lon), feature]


# ---------------------------------------------------------------- columns computed a batch at a time (pyarrow)
def escaped_text(values: pa.Array) -> pa.Array:
    """Strings for a TSV cell: missing -> '', tabs and line breaks escaped."""
    values = pc.fill_null(pc.cast(values, pa.string()), "")
    for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        values = pc.replace_substring(values, raw, escaped)
    return values


def _plain(values: pa.Array) -> pa.Array:
    """Numbers and codes (no tabs possible) as strings, missing -> ''."""
    return pc.fill_null(pc.cast(values, pa.string()), "")


def _map(values: pa.Array, mapping: dict[str, str]) -> pa.Array:
    """Each value looked up in `mapping` (missing -> null)."""
    if not mapping:
        return pa.nulls(len(values), pa.string())
    keys = pa.array(list(mapping), pa.string())
    return pc.take(pa.array(list(mapping.values()), pa.string()), pc.index_in(values, value_set=keys))


def _actor_columns(codes: pa.Array, names: pa.Array) -> list[pa.Array]:
    """Actor*Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1/2Code, Type1/2/3Code."""
    split = {c: split_actor_code(c) for c in pc.unique(codes).to_pylist() if c}
    fields: list[dict[str, str]] = [
        {c: p.country for c, p in split.items()}, {c: p.group for c, p in split.items()},
        {c: p.ethnic for c, p in split.items()},
        *({c: (p.religions + ["", ""])[i] for c, p in split.items()} for i in range(2)),
        *({c: (p.types + ["", "", ""])[i] for c, p in split.items()} for i in range(3)),
    ]
    return [_plain(codes), escaped_text(pc.utf8_upper(pc.cast(names, pa.string()))),
            *(_plain(_map(codes, field)) for field in fields)]


def _geo_columns(b: pa.RecordBatch, prefix: str) -> list[pa.Array]:
    """The 8 *Geo_ columns from the place columns named `prefix`name, country, fips, admin1 ... (see geo_fields)."""
    def col(name: str) -> pa.Array:
        return b.column(prefix + name)

    name, iso3, precision, lat = col("name"), col("country"), col("precision"), col("lat")
    present = pc.or_(pc.is_valid(name), pc.is_valid(iso3))
    fips = pc.coalesce(col("country_fips"), _map(iso3, fips_codes()), pa.scalar(""))
    usa = pc.fill_null(pc.equal(iso3, "USA"), False)
    is_country = pc.fill_null(pc.or_(pc.equal(precision, "country"),
                                     pc.and_(pc.is_null(precision), pc.is_null(lat))), True)
    city = pc.if_else(usa, 3, 4)
    admin = pc.if_else(usa, 2, 5)
    kind = pc.if_else(is_country, 1, pc.if_else(pc.fill_null(pc.equal(precision, "admin1"), False), admin, city))
    kind = pc.if_else(present, kind, 0)
    country = _map(iso3, country_names())
    base = pc.coalesce(name, country, pa.scalar(""))
    with_country = pc.binary_join_element_wise(base, pc.fill_null(country, ""), ", ")
    add_country = pc.and_(pc.not_equal(kind, 1), pc.fill_null(pc.not_equal(base, country), False))
    full = pc.if_else(pc.fill_null(add_country, False), with_country, base)
    admin1 = pc.fill_null(col("admin1"), "")
    code_like = pc.match_substring_regex(admin1, "^[A-Za-z0-9]{1,3}$")
    adm1 = pc.if_else(pc.and_(code_like, pc.not_equal(kind, 1)),
                      pc.binary_join_element_wise(fips, pc.utf8_upper(admin1), ""), fips)
    feature = pc.coalesce(pc.cast(col("geonames_id"), pa.string()), pc.if_else(pc.equal(kind, 1), fips, ""))
    blank = pa.array([""] * len(b), pa.string())

    def when(values: pa.Array) -> pa.Array:
        return pc.if_else(present, values, blank)

    return [_plain(kind), escaped_text(when(full)), when(fips), when(adm1), blank, _plain(pc.round(lat, 4)),
            _plain(pc.round(col("lon"), 4)), when(_plain(feature))]


def _quads(b: pa.RecordBatch) -> pa.Array:
    roots = {f"{r:02d}": str(quad_class(f"{r:02d}")) for r in range(1, 21)}
    return pc.coalesce(pc.cast(b.column("quad_class"), pa.string()),
                       _map(pc.utf8_slice_codeunits(b.column("root_code"), 0, 2), roots), pa.scalar(""))


def _event_ids(b: pa.RecordBatch, clusters: bool) -> pa.Array:
    if clusters:
        return pc.coalesce(b.column("cluster_id"), b.column("mention_id"))
    return b.column("mention_id")


def event_columns(b: pa.RecordBatch, *, clusters: bool) -> list[pa.Array]:
    """The 61 GDELT Events columns for a batch of event export rows (see Store.event_export_rows)."""
    sqldate = b.column("sqldate")
    year = pc.utf8_slice_codeunits(sqldate, 0, 4)
    day = pc.day_of_year(pc.cast(b.column("event_date"), pa.timestamp("s")))
    fraction = pc.round(pc.add(pc.cast(year, pa.float64()), pc.divide(pc.cast(day, pa.float64()), 365.0)), 4)
    tone = pc.coalesce(b.column("cluster_tone"), b.column("doc_tone"))

    def count(name: str) -> pa.Array:
        return _plain(pc.coalesce(b.column(name), pa.scalar(1, b.column(name).type)))

    return [
        _plain(_event_ids(b, clusters)), sqldate, pc.utf8_slice_codeunits(sqldate, 0, 6), year, _plain(fraction),
        *_actor_columns(b.column("source_actor_code"), b.column("source_name")),
        *_actor_columns(b.column("target_actor_code"), b.column("target_name")),
        _plain(b.column("is_root")), _plain(b.column("cameo")), _plain(b.column("base_code")),
        _plain(b.column("root_code")), _quads(b), _plain(pc.round(b.column("goldstein"), 1)),
        count("num_mentions"), count("num_sources"), count("num_articles"), _plain(pc.round(tone, 6)),
        *_geo_columns(b, "source_geo_"), *_geo_columns(b, "target_geo_"), *_geo_columns(b, "location_"),
        b.column("date_added"), escaped_text(pc.coalesce(b.column("url"), b.column("doc_id"))),
    ]


def mention_columns(b: pa.RecordBatch, *, clusters: bool) -> list[pa.Array]:
    """The 16 GDELT Mentions columns (character offsets into the stored text; -1 when an actor is absent)."""
    sqldate = pc.coalesce(b.column("cluster_sqldate"), b.column("sqldate")) if clusters else b.column("sqldate")
    n = len(b)

    def offset(name: str) -> pa.Array:
        return _plain(pc.coalesce(b.column(name), pa.scalar(-1, b.column(name).type)))

    confidence = pc.cast(pc.round(pc.multiply(pc.coalesce(b.column("confidence"), 0.0), 100.0)), pa.int64())
    ones = pa.array(["1"] * n, pa.string())
    blank = pa.array([""] * n, pa.string())
    return [
        _plain(_event_ids(b, clusters)), pc.binary_join_element_wise(sqldate, "000000", ""), b.column("date_added"),
        ones,
        escaped_text(b.column("outlet")), escaped_text(pc.coalesce(b.column("url"), b.column("doc_id"))),
        _plain(b.column("sentence_no")), offset("source_start"), offset("target_start"), offset("trigger_start"),
        ones, _plain(confidence), _plain(b.column("doc_len")), _plain(pc.round(b.column("doc_tone"), 6)), blank,
        blank,
    ]


def _write_batches(path: Path, batches: Iterable[pa.RecordBatch],
                   make: Callable[[pa.RecordBatch], list[pa.Array]]) -> int:
    rows = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for batch in batches:
            if not len(batch):
                continue
            lines = pc.binary_join_element_wise(*make(batch), "\t")
            fh.write("\n".join(lines.to_pylist()) + "\n")
            rows += len(batch)
    return rows


def write_events(store: Store, path: Path, *, filters: dict[str, Any], clusters: bool) -> dict[str, int]:
    """The GDELT Events file: one row per event mention, or per event cluster with `clusters`."""
    batches = store.event_export_rows(filters, clusters=clusters)
    return {"events": _write_batches(path, batches, lambda b: event_columns(b, clusters=clusters))}


def write_mentions(store: Store, path: Path, *, filters: dict[str, Any], clusters: bool) -> dict[str, int]:
    """The GDELT Mentions file: one row per event mention, GLOBALEVENTID = cluster id with `clusters`."""
    batches = store.event_export_rows(filters, clusters=False)
    return {"mentions": _write_batches(path, batches, lambda b: mention_columns(b, clusters=clusters))}


def _amount(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.6g}"


def _date_field(value: str | None, start: int) -> str | None:
    """GKG Dates entry resolution#month#day#year#offset (4 = day, 2 = month and year, 1 = year only)."""
    if not value or not value[:4].isdigit():
        return None
    parts = value.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"4#{int(parts[1])}#{int(parts[2])}#{parts[0]}#{start}"
    if len(parts) == 2 and parts[1].isdigit():
        return f"2#{int(parts[1])}#0#{parts[0]}#{start}"
    if len(parts) == 1 and len(value) == 4:
        return f"1#0#0#{value}#{start}"
    return None


# GKG count types: a count ("12 protesters") next to one of these themes is a count of that kind
COUNT_TYPES = {"KILL", "WOUND", "ARREST", "KIDNAP", "PROTEST", "DISPLACED", "EVACUATION", "REFUGEES", "SEIZE"}
COUNT_DISTANCE = 80  # characters between the number and the word that says what happened


def gkg_counts(amounts: list[dict[str, Any]], themes: list[dict[str, Any]]) -> tuple[str, str]:
    """GKG Counts and V2Counts: counts (not money) paired with the nearest count-type theme around them."""
    kinds = [(t["start"], t["theme"]) for t in themes if t["theme"] in COUNT_TYPES]
    v1: list[str] = []
    v2: list[str] = []
    for a in amounts:
        if a.get("currency"):
            continue
        near = min(((abs(start - a["start"]), theme) for start, theme in kinds
                    if abs(start - a["start"]) <= COUNT_DISTANCE and not a["start"] <= start < a["end"]),
                   default=None)
        if near is None:
            continue
        count = f"{near[1]}#{_amount(a['amount'])}#{a['object'].translate(_SUBFIELD)}#0######"
        v1.append(count)
        v2.append(f"{count}#{a['start']}")
    return ";".join(dict.fromkeys(v1)), ";".join(v2)


def gkg_fields(r: dict[str, Any], number: int) -> list[Any]:
    """One GKG 2.1 record (27 columns) for a document row from `Store.gkg_rows`."""
    names = r["names"] or []
    themes = r["themes"] or []
    places = r["places"] or []
    persons = [n for n in names if n["type"] == "PERSON"]
    orgs = [n for n in names if n["type"] == "ORG"]

    def unique(values: Iterable[str]) -> str:
        return ";".join(dict.fromkeys(values))

    def with_offsets(items: list[dict[str, Any]]) -> str:
        return ";".join(f"{n['name'].translate(_SUBFIELD)},{n['start']}" for n in items)

    v1_places: list[str] = []
    v2_places: list[str] = []
    for p in places:
        kind, full, fips, adm1, adm2, lat, lon, feature = geo_fields(
            p["name"], p["country"], p["fips"], p["admin1"], p["lat"], p["lon"], p["id"], p["precision"])
        full = str(full).translate(_PLACE_SUBFIELD)
        v1_places.append(f"{kind}#{full}#{fips}#{adm1}#{lat}#{lon}#{feature}")
        v2_places.append(f"{kind}#{full}#{fips}#{adm1}#{adm2}#{lat}#{lon}#{feature}#{p['start']}")
    tone = [r["tone_tone"], r["tone_positive"], r["tone_negative"], r["tone_polarity"],
            r["tone_activity_density"], r["tone_self_group_density"]]
    v2tone = ",".join([*(_num(t or 0.0, 6) or "0" for t in tone), str(r["tone_word_count"] or 0)])
    dates = [d for d in (_date_field(t["value"], t["start"]) for t in r["times"] or []) if d]
    quotes = "#".join(f"{q['start']}|{q['end'] - q['start']}|{(q['cue'] or '').translate(_QUOTE_SUBFIELD)}|"
                      f"{q['text'].translate(_QUOTE_SUBFIELD)}" for q in r["quotes"] or [])
    amounts = ";".join(f"{_amount(a['amount'])},{a['object'].translate(_SUBFIELD)},{a['start']}"
                       for a in r["amounts"] or [])
    counts, v2counts = gkg_counts(r["amounts"] or [], themes)
    added = _stamp(r["added_at"], r["date"])
    return [
        f"{added}-{number}", _stamp(r["date"]), 1, r["outlet"], r["url"] or r["id"], counts, v2counts,
        unique(t["theme"] for t in themes), ";".join(f"{t['theme']},{t['start']}" for t in themes),
        unique(v1_places), ";".join(v2_places),
        unique(n["name"].translate(_SUBFIELD) for n in persons), with_offsets(persons),
        unique(n["name"].translate(_SUBFIELD) for n in orgs), with_offsets(orgs),
        v2tone, ";".join(dates), f"wc:{r['tone_word_count'] or 0}", "", "", "", "", quotes,
        with_offsets(names), amounts, "", f"<PAGE_TITLE>{r['title']}</PAGE_TITLE>" if r["title"] else "",
    ]


def write_gkg(store: Store, path: Path, *, since: dt.date | None, until: dt.date | None) -> dict[str, int]:
    """The GKG 2.1 file: one record per document."""
    rows = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for batch in store.gkg_rows(since=since, until=until):
            for r in batch.to_pylist():
                _write(fh, gkg_fields(r, rows))
                rows += 1
    return {"gkg": rows}
