"""TimeML evaluation (TimeBank + AQUAINT, TempEval-3 style): extent F1, value F1 and gold-span value accuracy.

Each `.tml` file holds one document; its creation time (DCT) is the TIMEX3 with
functionInDocument="CREATION_TIME". The text of <TEXT> with the tags removed is what the model reads, and
the gold TIMEX3 offsets are computed into that text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from tacitus.extract import timex
from tacitus.extract.times import DocumentContext
from tacitus.extract.times import load as load_times
from tacitus.extract.times import times as extract_times
from tacitus.extract.timex import TimexLexicon
from tacitus.schema import TimeRef

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>", re.DOTALL)
_ATTR = re.compile(r'([A-Za-z_]+)="([^"]*)"')
_CALENDAR = re.compile(r"^\d{4}(-(\d{2}|W\d{2}|Q\d|H\d|SU|SP|FA|WI)(-\d{2})?)?$|^\d{2,3}$")


class TimeMLError(ValueError):
    """A TimeML file that cannot be read; the message names the file."""


@dataclass
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TimeMLDoc:
    path: Path
    dct: dt.date
    text: str
    timexes: list[GoldTimex]


def read_tml(path: Path) -> TimeMLDoc:
    """One TimeML file: the <TEXT> content without tags, its gold timexes and the creation date."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    dct_match = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    if not dct_match:
        raise TimeMLError(f"{path}: no CREATION_TIME TIMEX3")
    dct_value = dict(_ATTR.findall(dct_match.group(0))).get("value", "")
    try:
        dct = dt.date.fromisoformat(dct_value[:10])
    except ValueError as exc:
        raise TimeMLError(f"{path}: creation time '{dct_value}' is not a date") from exc
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.DOTALL)
    if not body:
        raise TimeMLError(f"{path}: no <TEXT> element")
    source = body.group(1)
    out: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    timexes: list[GoldTimex] = []
    pos = 0
    for match in _TAG.finditer(source):
        chunk = html.unescape(source[pos : match.start()])
        out.append(chunk)
        length += len(chunk)
        pos = match.end()
        closing, name = match.group(1), match.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex.append((length, dict(_ATTR.findall(match.group(3)))))
        elif open_timex:
            start, attrs = open_timex.pop()
            text = "".join(out)[start:length]
            timexes.append(GoldTimex(start, length, text, attrs.get("type", "DATE"), attrs.get("value", "")))
    out.append(html.unescape(source[pos:]))
    return TimeMLDoc(path=path, dct=dct, text="".join(out), timexes=sorted(timexes, key=lambda t: t.start))


def read_dir(directory: Path) -> list[TimeMLDoc]:
    """Every .tml file under a directory, in path order."""
    paths = sorted(directory.rglob("*.tml"))
    if not paths:
        raise TimeMLError(f"{directory}: no .tml files found")
    return [read_tml(p) for p in paths]


@dataclass
class Counts:
    gold: int = 0
    pred: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0
    span_total: int = 0
    span_correct: int = 0
    calendar_total: int = 0
    calendar_correct: int = 0
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)


def _f1(hits: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = hits / pred if pred else 0.0
    r = hits / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_document(counts: Counts, gold: list[GoldTimex], pred: list[TimeRef]) -> None:
    """Add one document's matches: strict/relaxed extents and end-to-end values (one-to-one)."""
    counts.gold += len(gold)
    counts.pred += len(pred)
    used: set[int] = set()
    for g in gold:
        best = None
        for i, p in enumerate(pred):
            if i in used or p.end <= g.start or p.start >= g.end:
                continue
            if best is None or (p.start, p.end) == (g.start, g.end) or p.value == g.value:
                best = i
                if (p.start, p.end) == (g.start, g.end):
                    break
        if best is None:
            continue
        used.add(best)
        p = pred[best]
        counts.relaxed += 1
        counts.strict += (p.start, p.end) == (g.start, g.end)
        counts.type += p.type == g.type
        counts.value += p.value == g.value


def evaluate(
    directory: Path, *, model: str, limit: int | None = None, nlp: Language | None = None
) -> tuple[dict[str, float | int], list[tuple[str, str, str, str]]]:
    """Run the model and the times extractor over TimeML files: the figures and the wrong gold-span values."""
    from tacitus.config import Config
    from tacitus.pipeline import load_model

    docs = read_dir(directory)[:limit] if limit else read_dir(directory)
    nlp = nlp or load_model(model)
    resources = load_times(Config(model=model))
    counts = Counts()
    for doc, tml in zip(nlp.pipe(d.text for d in docs), docs, strict=True):
        pred = extract_times(doc, anchor=tml.dct, lexicon=resources)
        score_document(counts, tml.timexes, pred)
        score_gold_spans(counts, doc, tml, resources.lexicon)
    return summarise(counts), counts.errors


def score_gold_spans(counts: Counts, doc: Doc, tml: TimeMLDoc, lexicon: TimexLexicon) -> None:
    """Value accuracy on gold DATE spans, resolved in document order with the DCT, tense and earlier dates."""
    context = DocumentContext(tml.dct, lexicon)
    spans = [doc.char_span(g.start, g.end, alignment_mode="expand") for g in tml.timexes]
    context.prime([s for s in spans if s is not None])
    for g in tml.timexes:
        span = doc.char_span(g.start, g.end, alignment_mode="expand")
        if span is not None:
            found = context.resolve(span)
            value = found.value if found else None
        else:
            found_t = timex.resolve(g.text, tml.dct)
            value = found_t.value if found_t else None
        if g.type != "DATE":
            continue
        counts.span_total += 1
        ok = value == g.value
        counts.span_correct += ok
        if _CALENDAR.match(g.value):
            counts.calendar_total += 1
            counts.calendar_correct += ok
            if not ok:
                counts.errors.append((g.text, g.value, str(value), f"document date {tml.dct}"))


def summarise(counts: Counts) -> dict[str, float | int]:
    """Figures for printing: extent P/R/F1 (strict, relaxed), value P/R/F1, gold-span value accuracy."""
    result: dict[str, float | int] = {"gold": counts.gold, "predicted": counts.pred}
    for name, hits in (("strict", counts.strict), ("relaxed", counts.relaxed), ("value", counts.value)):
        p, r, f = _f1(hits, counts.pred, counts.gold)
        result |= {f"{name}_p": p, f"{name}_r": r, f"{name}_f1": f}
    result["type_accuracy"] = counts.type / counts.relaxed if counts.relaxed else 0.0
    result["date_spans"] = counts.span_total
    result["date_span_accuracy"] = counts.span_correct / counts.span_total if counts.span_total else 0.0
    result["calendar_spans"] = counts.calendar_total
    result["calendar_span_accuracy"] = (
        counts.calendar_correct / counts.calendar_total if counts.calendar_total else 0.0
    )
    return result


def format_report(result: dict[str, float | int]) -> str:
    """The figures as a few lines of text."""
    r = result
    return "\n".join(
        [
            f"timexes: {r['gold']} gold, {r['predicted']} predicted",
            f"extent strict   P {r['strict_p']:.3f}  R {r['strict_r']:.3f}  F1 {r['strict_f1']:.3f}",
            f"extent relaxed  P {r['relaxed_p']:.3f}  R {r['relaxed_r']:.3f}  F1 {r['relaxed_f1']:.3f}",
            f"value           P {r['value_p']:.3f}  R {r['value_r']:.3f}  F1 {r['value_f1']:.3f}",
            f"type accuracy on matched timexes: {r['type_accuracy']:.3f}",
            f"value accuracy on gold DATE spans: {r['date_span_accuracy']:.3f} ({r['date_spans']} spans)",
            (
                f"value accuracy on gold calendar-date spans: {r['calendar_span_accuracy']:.3f}"
                f" ({r['calendar_spans']} spans)"
            ),
        ]
    )


def iter_gold(docs: Iterable[TimeMLDoc]) -> Iterable[tuple[TimeMLDoc, GoldTimex]]:
    """(document, gold timex) pairs, for inspection."""
    for d in docs:
        for g in d.timexes:
            yield d, g
