"""Named entities grouped into one entity per real-world referent within a document.

"Zhao" joins "Zhao Lijian"; "the U.K." and "Britain" join through the alias table (data/aliases.tsv);
each entity keeps its canonical (longest, most complete) name, its type and every mention.
The result is an `EntityIndex`, which later extractors (actors, quotes, events) use to go from a token to
the entity it belongs to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy import symbols
from spacy.attrs import IS_TITLE, POS
from spacy.tokens import Doc, Span, Token

from tacitus.lexicon import data_path, file_version, read_tsv
from tacitus.schema import Actor, Entity, Mention

VERSION = "tacitus.entities.v1"


def load(config: object) -> None:
    """Entities need no resources beyond the alias table, which is cached on first use."""
    return


def version(resources: object) -> str:
    return f"{VERSION}+aliases-{file_version(data_path('aliases.tsv'))}"

# NER labels that name a referent worth grouping (dates, money, etc. are handled by other extractors)
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "gen", "col", "sen", "rep"}
_LEADING_DROP = {"the", "a", "an"}


@dataclass
class EntityIndex:
    """Entities of one document and the map from token index to entity id.

    `by_token` covers name mentions; the actors extractor adds pronoun and nominal mentions (coreference)
    and sets `actor` on entities. `nominal_actor` (set by the actors extractor) codes noun phrases that are
    not entities ("Chinese officials", "the police").
    """

    entities: list[Entity]
    by_token: dict[int, str] = field(default_factory=dict)
    nominal_actor: Callable[[Span], Actor | None] | None = None

    def __post_init__(self) -> None:
        self._by_id = {e.id: e for e in self.entities}

    def get(self, entity_id: str) -> Entity | None:
        return self._by_id.get(entity_id)

    def entity_for_token(self, token: Token | int) -> Entity | None:
        i = token if isinstance(token, int) else token.i
        entity_id = self.by_token.get(i)
        return self._by_id.get(entity_id) if entity_id else None

    def entity_for_span(self, span: Span) -> Entity | None:
        """The entity a phrase refers to: its head first, then any token inside it."""
        found = self.entity_for_token(span.root)
        if found:
            return found
        for tok in span:
            found = self.entity_for_token(tok)
            if found:
                return found
        return None

    def actor_for_span(self, span: Span) -> tuple[Entity | None, Actor | None]:
        """(entity, actor code) for a phrase: its head's entity, else the nominal coder ("Chinese officials"
        is CHNGOV, not the CHN of its modifier), else the entity of any word inside it."""
        head = self.entity_for_token(span.root)
        if head is not None and head.actor is not None:
            return head, head.actor
        if self.nominal_actor is not None:
            actor = self.nominal_actor(span)
            if actor is not None:
                return head, actor
        entity = head or self.entity_for_span(span)
        return entity, entity.actor if entity is not None else None


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """Lower-case, accents and punctuation stripped, leading article dropped: the key names are compared by."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’]s$", "", text.strip())
    words = re.findall(r"[\w]+", text.lower().replace(".", ""))
    while words and words[0] in _LEADING_DROP:
        words = words[1:]
    return " ".join(words)


_CANONICAL: dict[str, str] = {}
_GEO_SUFFIX = re.compile(r" (uygur |uyghur )?(autonomous region|special administrative region|region|province|"
                         r"prefecture|oblast|governorate|county|district)$")


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Normalised variant -> normalised canonical name, from data/aliases.tsv (country and body variants)."""
    table: dict[str, str] = {}
    for row in read_tsv(data_path("aliases.tsv"), columns=2):
        canonical, variants = row.values
        key = normalise_name(canonical)
        table[key] = key
        _CANONICAL[key] = canonical
        for variant in variants.split("|"):
            if variant.strip():
                table[normalise_name(variant)] = key
    return table


def _clean_span(ent: Span) -> Span:
    """Drop a leading article, honorific or possessive ending from an entity span."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end - 1 and doc[start].lower_.rstrip(".") in _LEADING_DROP | _HONORIFICS:
        start += 1
    while end > start + 1 and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    return Span(doc, start, end, label=ent.label_)


def _entity_type(labels: Iterable[str]) -> str:
    labels = list(labels)
    # a name tagged PERSON once and ORG elsewhere is most often a person (NER noise on surnames)
    for preferred in ("PERSON", "GPE", "ORG", "NORP", "LOC", "FAC"):
        if preferred in labels:
            return preferred
    return max(set(labels), key=labels.count)


def entities(doc: Doc) -> EntityIndex:
    """Group the document's named entities into one entity per referent."""
    aliases = _aliases()
    groups: list[dict] = []  # each: key, words, labels, spans
    by_key: dict[str, dict] = {}
    people: list[dict] = []

    spans = _trim_noisy_names([_clean_span(e) for e in doc.ents if e.label_ in ENTITY_LABELS and _plausible(e)])
    # longest names first, so "Zhao" finds "Zhao Lijian" even when it comes first in the text
    texts = [s.text for s in spans]  # Span.text joins its tokens anew on every access
    order = sorted(range(len(spans)), key=lambda k: (-len(texts[k]), spans[k].start))
    assigned: dict[int, dict] = {}
    for k in order:
        span = spans[k]
        key = normalise_name(texts[k])
        if not key:
            continue
        key = aliases.get(key, key)
        if span.label_ in ("GPE", "LOC"):
            key = _GEO_SUFFIX.sub("", key) or key  # "Xinjiang Autonomous Region" is "Xinjiang"
        group = by_key.get(key)
        if group is None and (span.label_ == "PERSON" or len(key.split()) == 1):
            group = _match_partial_person(key, people)
        if group is None:
            group = {"key": key, "labels": [], "spans": [], "name": texts[k]}
            groups.append(group)
            by_key[key] = group
            if span.label_ == "PERSON":
                people.append(group)
        elif span.label_ == "PERSON" and group not in people:
            people.append(group)
        group["labels"].append(span.label_)
        assigned[k] = group

    _recover_missed_surnames(doc, spans, assigned, people)
    spans_of: dict[int, list[Span]] = {}  # the spans of each group, in the order of `assigned`
    for k, g in assigned.items():
        spans_of.setdefault(id(g), []).append(spans[k])
    ordered_groups = sorted(
        {id(g): g for g in assigned.values()}.values(), key=lambda g: min(s.start for s in spans_of[id(g)])
    )
    result: list[Entity] = []
    by_token: dict[int, str] = {}
    for n, group in enumerate(ordered_groups, start=1):
        entity_id = f"E{n}"
        group_spans = sorted(spans_of[id(group)], key=lambda s: s.start)
        mentions = [Mention(start=s.start_char, end=s.end_char, text=s.text) for s in group_spans]
        for s in group_spans:
            for i in range(s.start, s.end):
                by_token[i] = entity_id
        name = _CANONICAL.get(group["key"]) or _canonical_name(group_spans)
        result.append(Entity(id=entity_id, name=name, type=_entity_type(group["labels"]),
                             mentions=mentions))
    return EntityIndex(entities=result, by_token=by_token)


def _recover_missed_surnames(doc: Doc, spans: list[Span], assigned: dict[int, dict], people: list[dict]) -> None:
    """Bare surnames the NER missed ("Lindqvist spoke first") join the one person with that surname."""
    surnames: dict[str, list[dict]] = {}
    for group in people:
        words = group["key"].split()
        if len(words) >= 2:
            surnames.setdefault(words[-1], []).append(group)
    if not surnames:
        return
    covered = {i for span in spans for i in range(span.start, span.end)}
    # read as arrays: spaCy builds a Token (and a string per attribute) on every access
    for i, (pos, title) in enumerate(doc.to_array([POS, IS_TITLE]).tolist()):
        if i in covered or pos != symbols.PROPN or not title:
            continue
        tok = doc[i]
        groups = surnames.get(normalise_name(tok.text))
        neighbours = [t for t in (doc[tok.i - 1] if tok.i else None, doc[tok.i + 1] if tok.i + 1 < len(doc) else None)
                      if t is not None and t.pos_ == "PROPN" and t.is_title and t.i not in covered]
        if groups and len(groups) == 1 and not neighbours:
            span = Span(doc, tok.i, tok.i + 1, label="PERSON")
            spans.append(span)
            assigned[len(spans) - 1] = groups[0]
            groups[0]["labels"].append("PERSON")


def _plausible(ent: Span) -> bool:
    """NER noise such as "PT/11:30" or "NT" tagged PERSON is not a name."""
    if ent.label_ == "PERSON" and (any(c.isdigit() for c in ent.text) or (ent.text.isupper() and len(ent.text) <= 3)):
        return False
    return any(c.isalpha() for c in ent.text)


def _trim_noisy_names(spans: list[Span]) -> list[Span]:
    """"Antonio Guterres Politics" -> "Antonio Guterres" when the shorter full name occurs on its own."""
    names = {normalise_name(s.text) for s in spans if s.label_ == "PERSON" and len(s) >= 2}
    trimmed = []
    for span in spans:
        if span.label_ == "PERSON" and len(span) >= 3:
            for n in range(len(span) - 1, 1, -1):
                if normalise_name(span[:n].text) in names:
                    span = Span(span.doc, span.start, span.start + n, label=span.label_)
                    break
        trimmed.append(span)
    return trimmed


def _match_partial_person(key: str, people: list[dict]) -> dict | None:
    """A surname or first-name mention joins the one earlier full name that contains it, if unambiguous."""
    words = key.split()
    candidates = [g for g in people if len(g["key"].split()) > len(words) and _is_sub_name(words, g["key"].split())]
    return candidates[0] if len(candidates) == 1 else None


def _is_sub_name(part: list[str], full: list[str]) -> bool:
    n = len(part)
    return any(full[i : i + n] == part for i in range(len(full) - n + 1))


def _canonical_name(spans: list[Span]) -> str:
    """The longest mention, without a trailing possessive, is the name (ties: the first)."""
    best = max(spans, key=lambda s: (len(s.text.split()), len(s.text), -s.start))
    return re.sub(r"['’]s$", "", best.text).strip()
