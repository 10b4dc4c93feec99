"""Quote evaluation on the Gender Gap Tracker format (one JSON article per line with gold `quotations`).

Metric (the dataset's own): a gold quote is found when more than 30% (also reported: 80%) of its characters
are covered by predicted quotes; a predicted quote is right when more than that share of its characters lie
in gold quotes. The speaker is right when the speaker of the predicted quote that covers the gold quote
most resolves to the gold `reference` name. Gold offsets are unreliable, so quotes are located by string.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tacitus.schema import Document, Quote

THRESHOLDS = (0.3, 0.8)
PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "his", "hers", "their"}
_DROP_WORDS = {"the", "a", "an", "mr", "mrs", "ms", "dr", "miss"}


class GoldFormatError(ValueError):
    """A malformed gold file; the message names file:line."""


@dataclass
class GoldQuote:
    text: str
    start: int
    end: int
    speaker: str
    reference: str

    @property
    def pronoun(self) -> bool:
        return self.speaker.strip().lower() in PRONOUNS


@dataclass
class GoldArticle:
    id: str
    text: str
    quotes: list[GoldQuote]
    outlet: str | None = None
    url: str | None = None
    unlocated: int = 0


@dataclass
class Scores:
    """Counts and rates for one evaluation run."""

    articles: int = 0
    gold: int = 0
    unlocated: int = 0
    predicted: int = 0
    found: dict[float, int] = field(default_factory=dict)
    correct: dict[float, int] = field(default_factory=dict)
    speaker_total: int = 0
    speaker_right: int = 0
    pronoun_total: int = 0
    pronoun_right: int = 0
    failures: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def precision(self, t: float) -> float:
        return self.correct.get(t, 0) / self.predicted if self.predicted else 0.0

    def recall(self, t: float) -> float:
        return self.found.get(t, 0) / self.gold if self.gold else 0.0

    def f1(self, t: float) -> float:
        p, r = self.precision(t), self.recall(t)
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.speaker_total if self.speaker_total else 0.0

    @property
    def pronoun_accuracy(self) -> float:
        return self.pronoun_right / self.pronoun_total if self.pronoun_total else 0.0


def locate(text: str, quote: str, hint: int | None) -> tuple[int, int] | None:
    """Where a gold quote string occurs in the text (the occurrence nearest the gold offset)."""
    quote = quote.strip()
    if not quote:
        return None
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    if not starts:
        pattern = r"\s+".join(re.escape(part) for part in quote.split())
        found = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
        if not found:
            return None
        return min(found, key=lambda se: abs(se[0] - (hint or 0)))
    start = min(starts, key=lambda s: abs(s - (hint or 0)))
    return start, start + len(quote)


def _offset(value: str) -> int | None:
    m = re.match(r"\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)", value or "")
    return int(m.group(1)) if m else None


def read_gold(path: Path) -> list[GoldArticle]:
    """Articles and their located gold quotes from a GGT-format JSONL file."""
    articles = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text = row["text"]
                quotations = row.get("quotations") or []
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise GoldFormatError(f"{path}:{n}: not a GGT article record ({exc})") from None
            article = GoldArticle(id=str(row.get("id", n)), text=text, quotes=[], outlet=row.get("outlet"),
                                  url=row.get("url"))
            for q in quotations:
                where = locate(text, q.get("quote", ""), _offset(q.get("quote_index", "")))
                if where is None:
                    article.unlocated += 1
                    continue
                article.quotes.append(GoldQuote(text=text[where[0] : where[1]], start=where[0], end=where[1],
                                                speaker=q.get("speaker", "") or "",
                                                reference=q.get("reference", "") or ""))
            articles.append(article)
    return articles


def normalise(name: str) -> list[str]:
    """Words of a name for comparison: lower case, no accents, punctuation, articles or honorifics."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).lower()
    name = re.sub(r"['’]s\b", "", name)
    return [w for w in re.findall(r"\w+", name) if w not in _DROP_WORDS]


def same_speaker(predicted: str | None, reference: str) -> bool:
    """A predicted speaker name matches the gold reference (one's words contain the other's)."""
    if not predicted or not reference:
        return False
    a, b = normalise(predicted), normalise(reference)
    if not a or not b:
        return False
    if len(a) == 1 and len(b) > 2 and a[0] == "".join(w[0] for w in b if w not in ("of", "and", "for")):
        return True  # IRCC = Immigration, Refugees and Citizenship Canada
    a, b = {_stem(w) for w in a}, {_stem(w) for w in b}
    return a <= b or b <= a


def _stem(word: str) -> str:
    """Spelling variants count as one word: protesters/protestors, official/officials."""
    return word[:6] if len(word) >= 6 else word.rstrip("s")


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> int:
    """Characters of [start, end) covered by the union of spans."""
    marks = sorted((max(s, start), min(e, end)) for s, e in spans if e > start and s < end)
    total, cursor = 0, start
    for s, e in marks:
        s = max(s, cursor)
        if e > s:
            total += e - s
            cursor = e
    return total


def speaker_name(quote: Quote) -> str | None:
    """The name a predicted quote gives its speaker: the resolved name, else the words as written."""
    if quote.speaker is None:
        return None
    return quote.speaker.name or quote.speaker.text


def score_article(article: GoldArticle, predicted: list[Quote], scores: Scores, *, keep_misses: bool) -> None:
    """Add one article's counts to `scores`."""
    gold_spans = [(g.start, g.end) for g in article.quotes]
    pred_spans = [(q.start, q.end) for q in predicted]
    scores.articles += 1
    scores.gold += len(article.quotes)
    scores.unlocated += article.unlocated
    scores.predicted += len(predicted)
    for q in predicted:
        share = _covered(q.start, q.end, gold_spans) / max(1, q.end - q.start)
        for t in THRESHOLDS:
            scores.correct[t] = scores.correct.get(t, 0) + (share > t)
        if keep_misses and share <= THRESHOLDS[0]:
            scores.misses.append(f"{article.id} extra  [{q.kind}] {q.text[:100]!r}")
    for g in article.quotes:
        share = _covered(g.start, g.end, pred_spans) / max(1, g.end - g.start)
        for t in THRESHOLDS:
            scores.found[t] = scores.found.get(t, 0) + (share > t)
        if share <= THRESHOLDS[0]:
            if keep_misses:
                scores.misses.append(f"{article.id} missed {g.speaker!r}: {g.text[:100]!r}")
            continue
        if not g.reference:
            continue
        # the predicted quote covering the gold quote most; of equals, the tightest (a partial inside a mixed)
        best = max(predicted, key=lambda q: (_covered(g.start, g.end, [(q.start, q.end)]), -(q.end - q.start)))
        right = same_speaker(speaker_name(best), g.reference)
        scores.speaker_total += 1
        scores.speaker_right += right
        if g.pronoun:
            scores.pronoun_total += 1
            scores.pronoun_right += right
        if keep_misses and not right:
            written = best.speaker.text if best.speaker is not None else None
            scores.misses.append(f"{article.id} speaker {speaker_name(best)!r} (as written {written!r}) != "
                                 f"{g.reference!r} (gold {g.speaker!r}): {g.text[:60]!r}")


def evaluate(articles: Iterable[GoldArticle], pipeline, *, date: dt.date, keep_misses: bool = False) -> Scores:
    """Run the full pipeline over gold articles and score its quotes."""
    articles = list(articles)
    by_id = {a.id: a for a in articles}
    documents = [Document(id=a.id, date=date, text=a.text, source=a.outlet, url=a.url) for a in articles]
    scores = Scores()
    for result in pipeline.run(documents):
        if not hasattr(result, "quotes"):
            scores.failures.append(f"{result.doc_id}: {result.reason}")
            score_article(by_id[result.doc_id], [], scores, keep_misses=keep_misses)
            continue
        score_article(by_id[result.document.id], result.quotes, scores, keep_misses=keep_misses)
    return scores
