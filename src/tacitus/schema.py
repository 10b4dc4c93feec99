"""The one typed record schema: every extractor returns these, the store, API and exports derive from them.

Offsets (`start`, `end`) are character offsets into `Document.text`, end exclusive.
Nested models are flattened one level for the store (`source.actor_code` -> column `source_actor_code`);
lists of models become child tables (`Entity.mentions` -> table `mentions`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import types
import typing
from typing import Any, Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Document(Record):
    id: str
    date: dt.date
    title: str | None = None
    source: str | None = None
    url: str | None = None
    text: str
    metadata: dict[str, Any] = Field(default_factory=dict, description="other input fields, kept as given")


class Span(Record):
    """A piece of the document text."""

    text: str
    start: int
    end: int


class SentenceSpan(Record):
    start: int
    end: int


class Mention(Record):
    start: int
    end: int
    text: str
    kind: Literal["name", "pronoun", "nominal"] = "name"


class Actor(Record):
    """A CAMEO actor code split into its parts (CHNGOV -> country CHN, sectors [GOV])."""

    code: str
    country: str | None = None
    sectors: list[str] = Field(default_factory=list)


class Entity(Record):
    id: str
    name: str
    type: str
    mentions: list[Mention] = Field(default_factory=list)
    titles: list[str] = Field(default_factory=list)
    actor: Actor | None = None


class Speaker(Record):
    text: str
    start: int
    end: int
    entity: str | None = None
    name: str | None = None
    actor_code: str | None = None


class Quote(Record):
    id: str
    text: str
    start: int
    end: int
    kind: Literal["direct", "partial", "indirect", "mixed"]
    cue: Span | None = None
    speaker: Speaker | None = None
    sentence: SentenceSpan


class Place(Record):
    text: str
    start: int
    end: int
    name: str | None = None
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-3")
    country_fips: str | None = None
    admin1: str | None = None
    feature_class: str | None = None
    precision: Literal["country", "admin1", "city", "point"] | None = None


class TimeRef(Record):
    text: str
    start: int
    end: int
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str | None = Field(None, description="TIMEX3 style: 2021-03-27, 2021-W12, 2021-02, P3D ...")
    precision: Literal["day", "week", "month", "quarter", "year", "decade", "century", "time", "none"] | None = None
    anchor: str | None = Field(None, description="what the value was resolved from, e.g. document date")


class EventActor(Record):
    text: str
    start: int
    end: int
    entity: str | None = None
    actor_code: str | None = None


class Plover(Record):
    type: str | None = None
    mode: str | None = None
    contexts: list[str] = Field(default_factory=list)


class Event(Record):
    id: str
    cameo: str
    cameo_name: str | None = None
    base_code: str
    root_code: str
    quad_class: int | None = None
    goldstein: float | None = None
    plover: Plover = Field(default_factory=Plover)
    source: EventActor | None = None
    target: EventActor | None = None
    date: dt.date | None = None
    date_precision: str | None = None
    date_text: str | None = None
    location: Place | None = None
    location_basis: Literal["clause", "actor"] | None = Field(
        None, description="where the location comes from: the place attached to the event's clause, or (when the "
        "clause names none) the source actor's own place; None when there is no location")
    modality: Literal["asserted", "negated", "hypothetical", "future", "denied"] = "asserted"
    negated: bool = False
    confidence: float = 0.5
    trigger: Span
    sentence: SentenceSpan
    source_group: list[str] = Field(default_factory=list, description="actor codes of a compound source "
                                    "(PLOVER): 'Canada, the U.K., the EU and the US' -> [CAN, GBR, IGOEEC, USA]")
    target_group: list[str] = Field(default_factory=list, description="actor codes of a compound target")


class Theme(Record):
    theme: str
    text: str
    start: int
    end: int


class Amount(Record):
    amount: float
    object: str
    text: str
    start: int
    end: int
    currency: str | None = None


class Tone(Record):
    """GDELT V2Tone fields for a document."""

    tone: float = 0.0
    positive: float = 0.0
    negative: float = 0.0
    polarity: float = 0.0
    activity_density: float = 0.0
    self_group_density: float = 0.0
    word_count: int = 0


class Extraction(Record):
    """Everything found in one document: the output contract of `tacitus extract`."""

    document: Document
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    times: list[TimeRef] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    tone: Tone | None = None


class Failure(Record):
    """A document or input record that could not be processed, with the reason for a person to read."""

    path: str | None = None
    line: int | None = None
    doc_id: str | None = None
    text_hash: str | None = None
    stage: Literal["read", "extract", "store"] = "read"
    reason: str


# ---------------------------------------------------------------------------------------------------------
# Flat table layout derived from the models above: one row per record, one column per scalar field.

# table name -> (model, attribute of Extraction holding the records)
RECORD_TABLES: dict[str, tuple[type[Record], str]] = {
    "entities": (Entity, "entities"),
    "quotes": (Quote, "quotes"),
    "events": (Event, "events"),
    "places": (Place, "places"),
    "times": (TimeRef, "times"),
    "themes": (Theme, "themes"),
    "amounts": (Amount, "amounts"),
}
# child tables: lists of models inside a record, stored with the parent id
CHILD_TABLES: dict[str, tuple[str, str, type[Record]]] = {"mentions": ("entities", "mentions", Mention)}


def _unwrap_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _arrow_type(annotation: Any) -> pa.DataType:
    annotation = _unwrap_optional(annotation)
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return pa.string()
    if origin is list:
        return pa.list_(_arrow_type(typing.get_args(annotation)[0]))
    if origin is dict or annotation is Any:
        return pa.string()  # JSON text
    return {
        str: pa.string(),
        int: pa.int64(),
        float: pa.float64(),
        bool: pa.bool_(),
        dt.date: pa.date32(),
        dt.datetime: pa.timestamp("us"),
    }[annotation]


def _is_model(annotation: Any) -> bool:
    annotation = _unwrap_optional(annotation)
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _is_model_list(annotation: Any) -> bool:
    annotation = _unwrap_optional(annotation)
    return typing.get_origin(annotation) is list and _is_model(typing.get_args(annotation)[0])


def flat_fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, pa.DataType]]:
    """Columns of a model flattened one level; list-of-model fields are left to child tables."""
    columns: list[tuple[str, pa.DataType]] = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if _is_model_list(annotation):
            continue
        if _is_model(annotation) and not prefix:
            columns.extend(flat_fields(_unwrap_optional(annotation), prefix=f"{name}_"))
        elif _is_model(annotation):
            columns.append((prefix + name, pa.string()))  # deeper nesting kept as JSON text
        else:
            columns.append((prefix + name, _arrow_type(annotation)))
    return columns


@functools.cache
def _flat_plan(model: type[BaseModel], prefix: str) -> tuple[tuple[str, str, str, Any], ...]:
    """How each field of a model is flattened, worked out once per model (flatten runs per record)."""
    plan = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if _is_model_list(annotation):
            continue
        if _is_model(annotation) and not prefix:
            columns = tuple(col for col, _ in flat_fields(_unwrap_optional(annotation), prefix=f"{name}_"))
            plan.append((name, "nested", f"{name}_", columns))
        elif _is_model(annotation):
            plan.append((name, "json_model", prefix + name, None))
        elif typing.get_origin(_unwrap_optional(annotation)) is dict:
            plan.append((name, "json", prefix + name, None))
        else:
            plan.append((name, "value", prefix + name, None))
    return tuple(plan)


def flatten(record: BaseModel, prefix: str = "") -> dict[str, Any]:
    """One record as a flat row (see `flat_fields`)."""
    row: dict[str, Any] = {}
    for name, kind, column, extra in _flat_plan(type(record), prefix):
        value = getattr(record, name)
        if kind == "value":
            row[column] = value
        elif kind == "nested":
            if value is None:
                row.update(dict.fromkeys(extra))  # extra: the nested model's column names
            else:
                row.update(flatten(value, prefix=column))
        elif kind == "json_model":
            row[column] = None if value is None else value.model_dump_json()
        else:
            row[column] = json.dumps(value, ensure_ascii=False, default=str)
    return row


DOCUMENT_EXTRA_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("text_hash", pa.string()),
    ("run_id", pa.string()),
]


def table_schemas() -> dict[str, pa.Schema]:
    """Arrow schema of every stored table, keyed by table name (documents first)."""
    return dict(_table_schemas())  # worked out once (every store write asks); a copy the caller may change


@functools.cache
def _table_schemas() -> dict[str, pa.Schema]:
    schemas: dict[str, pa.Schema] = {}
    doc_cols = flat_fields(Document) + DOCUMENT_EXTRA_COLUMNS + flat_fields(Tone, prefix="tone_")
    schemas["documents"] = pa.schema(doc_cols)
    for table, (model, _attr) in RECORD_TABLES.items():
        schemas[table] = pa.schema([("doc_id", pa.string()), ("seq", pa.int32())] + flat_fields(model))
    for table, (_parent, _attr, model) in CHILD_TABLES.items():
        schemas[table] = pa.schema(
            [("doc_id", pa.string()), ("entity_id", pa.string()), ("seq", pa.int32())] + flat_fields(model)
        )
    schemas["failures"] = pa.schema(
        flat_fields(Failure) + [("run_id", pa.string()), ("created_at", pa.timestamp("us"))]
    )
    return schemas


def extraction_rows(extraction: Extraction, *, text_hash: str, run_id: str | None) -> dict[str, list[dict]]:
    """Every row one document contributes to each table."""
    doc = extraction.document
    doc_row = flatten(doc) | {"text_hash": text_hash, "run_id": run_id}
    tone = extraction.tone or Tone()
    doc_row.update({f"tone_{k}": v for k, v in tone.model_dump().items()})
    rows: dict[str, list[dict]] = {"documents": [doc_row]}
    for table, (_model, attr) in RECORD_TABLES.items():
        rows[table] = [
            {"doc_id": doc.id, "seq": i} | flatten(rec) for i, rec in enumerate(getattr(extraction, attr))
        ]
    rows["mentions"] = [
        {"doc_id": doc.id, "entity_id": ent.id, "seq": i} | flatten(m)
        for ent in extraction.entities
        for i, m in enumerate(ent.mentions)
    ]
    return rows


def unflatten(model: type[BaseModel], row: dict[str, Any], prefix: str = "") -> BaseModel | None:
    """Rebuild a record from its flat row (inverse of `flatten`); None when every column is null."""
    import json

    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if _is_model_list(annotation):
            continue
        if _is_model(annotation) and not prefix:
            values[name] = unflatten(_unwrap_optional(annotation), row, prefix=f"{name}_")
            if values[name] is None and not _is_optional(annotation):
                values[name] = _unwrap_optional(annotation)()
        elif _is_model(annotation):
            raw = row.get(prefix + name)
            values[name] = None if raw is None else _unwrap_optional(annotation).model_validate_json(raw)
        elif typing.get_origin(_unwrap_optional(annotation)) is dict:
            raw = row.get(prefix + name)
            values[name] = json.loads(raw) if raw else {}
        else:
            values[name] = row.get(prefix + name)
            if values[name] is None and typing.get_origin(_unwrap_optional(annotation)) is list:
                values[name] = []
    if prefix and all(v is None or v == [] for v in values.values()):
        return None
    return model.model_validate(values)


def _is_optional(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation)


def rebuild_extraction(document_row: dict[str, Any], tables: dict[str, list[dict[str, Any]]]) -> Extraction:
    """An Extraction from stored rows: the document row and its rows per record table."""
    document = unflatten(Document, document_row)
    tone_values = {k[5:]: v for k, v in document_row.items() if k.startswith("tone_")}
    mentions: dict[str, list[Mention]] = {}
    for row in tables.get("mentions", []):
        mentions.setdefault(row["entity_id"], []).append(unflatten(Mention, row))
    fields: dict[str, Any] = {}
    for table, (model, attr) in RECORD_TABLES.items():
        records = [unflatten(model, row) for row in tables.get(table, [])]
        if model is Entity:
            records = [r.model_copy(update={"mentions": mentions.get(r.id, [])}) for r in records]
        fields[attr] = records
    tone = Tone.model_validate(tone_values) if any(v not in (None, 0, 0.0) for v in tone_values.values()) else None
    return Extraction(document=document, tone=tone, **fields)
