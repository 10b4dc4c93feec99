"""Score the places extractor on a geoparsing corpus in the LGL XML format.

Detection: precision, recall and F1 of toponym spans (exact offsets, and overlapping spans).
Resolution: exact GeoNames id and distance within 161 km (100 miles), both on the gold spans (the
resolver is given the gold toponyms) and end to end (resolved predictions among exactly detected gold
toponyms that have a GeoNames id).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from tacitus.schema import Document, Place

WITHIN_KM = 161.0


class GeoEvalError(ValueError):
    """A corpus file that cannot be read; the message is for a person."""


@dataclass
class GoldToponym:
    start: int
    end: int
    phrase: str
    geonames_id: int | None
    lat: float | None
    lon: float | None
    name: str | None


@dataclass
class GoldArticle:
    document: Document
    toponyms: list[GoldToponym]


@dataclass
class Resolution:
    total: int = 0
    exact: int = 0
    within: int = 0  # same GeoNames id, or a point within 161 km of the gold one
    within_by_distance: int = 0  # the point alone within 161 km (our area points are estimates)
    unresolved: int = 0
    errors_km: list[float] = field(default_factory=list)

    def add(self, gold: GoldToponym, place: Place | None) -> None:
        from tacitus.extract.places import distance_km

        self.total += 1
        if place is None or place.lat is None or place.lon is None:
            self.unresolved += 1
            self.errors_km.append(20038.0)  # half the earth: the worst an answer can be
            return
        exact = place.geonames_id == gold.geonames_id
        self.exact += int(exact)
        self.within_by_distance += int(distance_km(gold.lat or 0.0, gold.lon or 0.0, place.lat, place.lon) <= WITHIN_KM)
        # the same GeoNames entry is the right place even where our point for an area differs from theirs
        km = 0.0 if exact else distance_km(gold.lat or 0.0, gold.lon or 0.0, place.lat, place.lon)
        self.within += int(km <= WITHIN_KM)
        self.errors_km.append(km)

    def summary(self) -> str:
        if not self.total:
            return "no toponyms"
        median = statistics.median(self.errors_km)
        return (f"exact id {self.exact / self.total:.1%}, within {WITHIN_KM:.0f} km {self.within / self.total:.1%} "
                f"(by distance alone {self.within_by_distance / self.total:.1%}), median error {median:.0f} km, "
                f"unresolved {self.unresolved} (n={self.total})")


@dataclass
class GeoResult:
    documents: int = 0
    gold: int = 0
    predicted: int = 0
    exact_matches: int = 0
    overlap_gold: int = 0  # gold toponyms overlapped by a prediction
    overlap_pred: int = 0  # predictions overlapping a gold toponym
    gold_adjectives: int = 0  # gold "toponyms" that are demonyms ("Sudanese"), which tacitus does not call places
    on_gold: Resolution = field(default_factory=Resolution)
    end_to_end: Resolution = field(default_factory=Resolution)
    parse_seconds: float = 0.0
    places_seconds: float = 0.0
    wrong: list[tuple[str, str, str, float]] = field(default_factory=list)

    @staticmethod
    def _prf(tp_p: int, tp_r: int, predicted: int, gold: int) -> tuple[float, float, float]:
        p = tp_p / predicted if predicted else 0.0
        r = tp_r / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def strict(self) -> tuple[float, float, float]:
        return self._prf(self.exact_matches, self.exact_matches, self.predicted, self.gold)

    @property
    def overlap(self) -> tuple[float, float, float]:
        return self._prf(self.overlap_pred, self.overlap_gold, self.predicted, self.gold)

    @property
    def strict_without_adjectives(self) -> tuple[float, float, float]:
        return self._prf(self.exact_matches, self.exact_matches, self.predicted, self.gold - self.gold_adjectives)


def read_lgl(path: Path) -> Iterator[GoldArticle]:
    """Articles of an LGL-format XML file with their gold toponyms."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise GeoEvalError(f"{path}: cannot read as XML ({exc})") from exc
    articles = root.findall("article")
    if not articles:
        raise GeoEvalError(f"{path}: no <article> elements (expected the LGL format)")
    for article in articles:
        text = article.findtext("text") or ""
        day = (article.findtext("dltime") or "")[:10]
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            date = dt.date(2000, 1, 1)
        document = Document(id=article.get("docid") or str(len(text)), date=date, text=text,
                            title=article.findtext("title"), source=article.findtext("domain"),
                            url=article.findtext("url"))
        toponyms = []
        for top in article.iterfind("toponyms/toponym"):
            try:
                start, end = int(top.findtext("start") or ""), int(top.findtext("end") or "")
            except ValueError as exc:
                raise GeoEvalError(f"{path}: article {document.id}: bad toponym offsets") from exc
            tag = top.find("gaztag")
            gid = lat = lon = name = None
            if tag is not None and tag.get("geonameid"):
                gid = int(tag.get("geonameid") or 0)
                lat, lon = float(tag.findtext("lat") or 0), float(tag.findtext("lon") or 0)
                name = tag.findtext("name")
            toponyms.append(GoldToponym(start, end, top.findtext("phrase") or text[start:end], gid, lat, lon, name))
        yield GoldArticle(document, toponyms)


def evaluate(path: Path, *, model: str, limit: int | None = None, country: str | None = None,
             batch_size: int = 16, nlp: Language | None = None) -> GeoResult:
    """Run detection and resolution over the corpus with one spaCy pipeline (loaded from `model` if not given)."""
    import spacy
    from spacy.tokens import Doc

    from tacitus.config import Config
    from tacitus.extract import entities, places

    articles = list(read_lgl(path))[:limit] if limit else list(read_lgl(path))
    if nlp is None:
        try:
            nlp = spacy.load(model)
        except OSError as exc:
            raise GeoEvalError(f"spaCy pipeline '{model}' is not installed (pip install it, or pass --model)") from exc
    if not Doc.has_extension("document"):
        Doc.set_extension("document", default=None)
    resources = places.load(Config(model=model))
    _ = resources.gazetteer  # load before timing
    result = GeoResult()
    clock = time.perf_counter
    t = clock()
    for doc, article in nlp.pipe(((a.document.text, a) for a in articles), as_tuples=True, batch_size=batch_size):
        result.parse_seconds += clock() - t
        if country:
            article.document.metadata["country"] = country
        doc._.document = article.document
        t = clock()
        found = places.places(doc, entities=entities.entities(doc), lexicon=resources)
        result.places_seconds += clock() - t
        _score_detection(result, article, found)
        result.gold_adjectives += sum(places.is_demonym(g.phrase, resources) for g in article.toponyms)
        gold = [g for g in article.toponyms if g.geonames_id]
        resolved = places.resolve_spans(doc, [(g.start, g.end) for g in gold], lexicon=resources, country=country)
        for g, place in zip(gold, resolved):
            result.on_gold.add(g, place)
            if place is None or place.geonames_id != g.geonames_id:
                km = result.on_gold.errors_km[-1]
                got = f"{place.name} ({place.country}, {place.admin1}) {place.geonames_id}" if place else "-"
                result.wrong.append((g.phrase, f"{g.name} {g.geonames_id}", got, km))
        by_span = {(p.start, p.end): p for p in found}
        for g in gold:
            if (g.start, g.end) in by_span:
                result.end_to_end.add(g, by_span[(g.start, g.end)])
        result.documents += 1
        t = clock()
    return result


def _score_detection(result: GeoResult, article: GoldArticle, found: list[Place]) -> None:
    gold_spans = {(g.start, g.end) for g in article.toponyms}
    pred_spans = {(p.start, p.end) for p in found}
    result.gold += len(gold_spans)
    result.predicted += len(pred_spans)
    result.exact_matches += len(gold_spans & pred_spans)
    result.overlap_gold += sum(any(s < pe and ps < e for ps, pe in pred_spans) for s, e in gold_spans)
    result.overlap_pred += sum(any(s < ge and gs < e for gs, ge in gold_spans) for s, e in pred_spans)


def format_report(result: GeoResult) -> str:
    """The figures as lines of text."""
    sp, sr, sf = result.strict
    op, orr, of = result.overlap
    ap, ar, af = result.strict_without_adjectives
    per_doc = 1000 * result.places_seconds / max(result.documents, 1)
    share = result.places_seconds / result.parse_seconds if result.parse_seconds else 0.0
    return "\n".join([
        f"documents: {result.documents}, gold toponyms: {result.gold}, predicted: {result.predicted}",
        f"detection, exact spans:       P {sp:.3f}  R {sr:.3f}  F1 {sf:.3f}",
        f"detection, overlapping spans: P {op:.3f}  R {orr:.3f}  F1 {of:.3f}",
        (f"detection, exact spans, without the {result.gold_adjectives} gold demonyms: "
         f"P {ap:.3f}  R {ar:.3f}  F1 {af:.3f}"),
        f"resolution on gold spans:     {result.on_gold.summary()}",
        f"resolution end to end:        {result.end_to_end.summary()}",
        f"speed: places {per_doc:.1f} ms/doc = {share:.1%} of parse time ({result.parse_seconds:.1f} s parse)",
    ])
