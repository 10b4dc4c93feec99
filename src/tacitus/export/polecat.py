"""PLOVER event records in the layout of the POLECAT dataset, as JSON Lines or TSV (with a header row).

Field names follow POLECAT's weekly files (Event ID, Event Date, Event Type, Event Mode, Contexts, Actor ...,
Recipient ..., Placename, Country, Latitude, Longitude, GeoNames ID, Publication Date ...); the JSON keys are
the same names in snake_case. Extra tacitus fields (CAMEO code, modality, trigger, offsets, cluster counts)
come last so a POLECAT reader that selects its columns by name keeps working.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from tacitus.export.gdelt import escaped_text
from tacitus.export.lookups import split_actor_code
from tacitus.store import Store

COLUMNS = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Primary Actor Sector", "Actor Sectors", "Actor Name Raw",
    "Recipient Name", "Recipient Country", "Primary Recipient Sector", "Recipient Sectors", "Recipient Name Raw",
    "Placename", "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename", "Story ID", "Source",
    "Publication Date", "URL", "CAMEO Code", "Modality", "Confidence", "Trigger", "Trigger Offset",
    "Num Mentions", "Num Sources", "Num Articles", "Version",
]
KEYS = [c.lower().replace(" ", "_") for c in COLUMNS]


def _actor_columns(codes: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Country, primary sector and all sectors (roles, then known group) of each CAMEO actor code."""
    split = {c: split_actor_code(c) for c in pc.unique(codes).to_pylist() if c}
    sectors = {c: [*p.types, *([p.group] if p.group else [])] for c, p in split.items()}
    keys = pa.array(list(split) or [""], pa.string())
    index = pc.index_in(codes, value_set=keys)
    country = pc.take(pa.array([p.country or None for p in split.values()] or [None], pa.string()), index)
    primary = pc.take(pa.array([s[0] if s else None for s in sectors.values()] or [None], pa.string()), index)
    lists = pa.array(list(sectors.values()) or [[]], pa.list_(pa.string()))
    all_sectors = pc.take(lists, index)
    all_sectors = pc.if_else(pc.is_valid(index), all_sectors, pa.array([[]] * len(codes), pa.list_(pa.string())))
    return country, primary, all_sectors


def polecat_table(b: pa.RecordBatch, *, clusters: bool) -> pa.Table:
    """PLOVER records (snake_case columns, JSON types) for a batch of event export rows."""
    a_country, a_primary, a_sectors = _actor_columns(b.column("source_actor_code"))
    t_country, t_primary, t_sectors = _actor_columns(b.column("target_actor_code"))
    ids = pc.coalesce(b.column("cluster_id"), b.column("mention_id")) if clusters else b.column("mention_id")

    def count(name: str) -> pa.Array:
        return pc.coalesce(b.column(name), pa.scalar(1, b.column(name).type))

    def col(name: str) -> pa.Array:
        return b.column(name)

    contexts = pc.if_else(pc.is_valid(col("plover_contexts")), col("plover_contexts"),
                          pa.array([[]] * len(b), col("plover_contexts").type))
    values = [
        pc.cast(ids, pa.string()), pc.cast(col("event_date"), pa.string()), col("plover_type"), col("plover_mode"),
        col("goldstein"), col("quad_class"), contexts,
        col("source_name"), a_country, a_primary, a_sectors, col("source_text"),
        col("target_name"), t_country, t_primary, t_sectors, col("target_text"),
        col("location_name"), col("location_country"), col("location_lat"), col("location_lon"),
        col("location_geonames_id"), col("location_text"), col("doc_id"), col("outlet"),
        pc.cast(col("doc_date"), pa.string()), col("url"), col("cameo"), col("modality"), col("confidence"),
        col("trigger_text"), col("trigger_start"), count("num_mentions"), count("num_sources"),
        count("num_articles"), pa.array(["tacitus"] * len(b), pa.string()),
    ]
    return pa.table(dict(zip(KEYS, values, strict=True)))


def _tsv_column(values: pa.Array) -> pa.Array:
    if pa.types.is_list(values.type):
        values = pc.binary_join(values, ";")
    return escaped_text(values)


def write_polecat(store: Store, path: Path, *, filters: dict[str, Any], clusters: bool, tsv: bool,
                  ) -> dict[str, int]:
    """PLOVER records as JSON Lines (default) or TSV with a header row."""
    rows = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        if tsv:
            fh.write("\t".join(COLUMNS) + "\n")
        for batch in store.event_export_rows(filters, clusters=clusters):
            if not len(batch):
                continue
            table = polecat_table(batch, clusters=clusters)
            if tsv:
                lines = pc.binary_join_element_wise(*(_tsv_column(c.combine_chunks()) for c in table.columns), "\t")
                fh.write("\n".join(lines.to_pylist()) + "\n")
            else:
                # pandas writes JSON Lines in C (a json.dumps per record is ten times slower)
                frame = table.to_pandas(integer_object_nulls=True)
                text = frame.to_json(orient="records", lines=True, force_ascii=False)
                fh.write(text.replace("\\/", "/"))  # pandas writes "\/" for every "/", which is legal but noisy
            rows += len(batch)
    return {"events": rows}
