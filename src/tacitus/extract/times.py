"""Temporal expressions of a document, normalised against its publication date.

Candidates are the model's DATE and TIME entities plus what the model misses ("now", "recently", clock
times, "every day", "in 1978"); each is normalised by `tacitus.extract.timex` with the tense of its clause,
so "Saturday" in "China retaliated Saturday" is the Saturday before the article and in "will meet
Saturday" the one after it. A `DocumentContext` carries what earlier expressions set up: "the following
year" counts from the last year written out, "a year earlier" in a results story is the quarter named
before, a year back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from tacitus.config import Config
from tacitus.extract.doccache import doc_values
from tacitus.extract.timex import Timex, TimexLexicon, default_lexicon, resolve, span_tense
from tacitus.schema import TimeRef

VERSION = "tacitus.times.v1"

# entity texts that the model tags DATE/TIME but that are not time expressions in TimeML's sense
_NOT_TIMEX = re.compile(r"^(?:the )?(?:age|aged|ages|old|\d{1,3}|\d{5,}|\d+ ?(?:%|percent|per cent))$"
                        r"|\byears?[ -]old\b|\bmonths?[ -]old\b|\bweeks?[ -]old\b|\bdays?[ -]old\b", re.IGNORECASE)
# rate adjectives ("quarterly dividend", "annual meeting") are not TimeML sets
_RATE_ADJECTIVES = {"annual", "quarterly", "yearly", "biannual"}
# words that join two temporal expressions inside one entity ("the quarter ended Sept. 30", "1991 to 1997")
_JOINERS = {"ended", "ending", "to", "and", "through", "thru", "between", "until", "till", "from", "or",
            "\u2013", "since", "before", "after", "&"}
# "a year" after an amount is a rate ("$5 a year"), a SET
_RATE_BEFORE = {"MONEY", "PERCENT", "QUANTITY", "CARDINAL"}
# phrases worth finding even when the model does not tag them (single words and short deictic phrases)
_EXTRA_KINDS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF", "@day", "@quarter")


@dataclass(frozen=True)
class TimesResources:
    """The time lexicon plus the matcher for expressions the model misses."""

    lexicon: TimexLexicon
    extra: re.Pattern
    holidays: frozenset[str]
    extra_lower: re.Pattern | None = None  # `extra` without IGNORECASE, for lower-cased text (faster)


def load(config: Config) -> TimesResources:
    """The time lexicon (data/times/*.tsv) and the extra-phrase matcher, built once per process."""
    return _resources()


@lru_cache(maxsize=1)
def _resources() -> TimesResources:
    lexicon = default_lexicon()
    holidays = frozenset(p for p, (_k, v) in lexicon.phrases.items() if v.startswith(("@md:", "@nth:", "@easter")))
    phrases = [p for p, (_k, v) in lexicon.phrases.items() if v.startswith(_EXTRA_KINDS) and p not in _AMBIGUOUS]
    phrases += [p for p in holidays if " " in p]  # multi-word holidays only: "Easter" alone is also a name
    weekdays = [w for w in lexicon.weekdays if len(w) > 4]
    pattern = r"\b" + _trie(set(phrases + weekdays)) + r"\b|" + _CLOCK + "|" + _EVERY + "|" + _FREQUENCY
    extra = re.compile(pattern, re.IGNORECASE)
    # a pattern without capitals matches lower-cased text as the case-blind one matches the text itself
    extra_lower = re.compile(pattern) if pattern == pattern.lower() else None
    return TimesResources(lexicon=lexicon, extra=extra, holidays=holidays, extra_lower=extra_lower)


# letters that case-blind matching takes for ASCII letters but lower() does not turn into them (İ ı ſ K)
_CASE_TRAPS = ("\u0130", "\u0131", "\u017f", "\u212a")


def _extra_matches(text: str, resources: TimesResources) -> Iterator[re.Match[str]]:
    """`resources.extra.finditer(text)`, about three times faster: the pattern without IGNORECASE over the
    lower-cased text, when lower-casing keeps every offset and no letter folds to an ASCII one."""
    if resources.extra_lower is not None and (text.isascii() or not any(c in text for c in _CASE_TRAPS)):
        lowered = text.lower()
        if len(lowered) == len(text):
            return resources.extra_lower.finditer(lowered)
    return resources.extra.finditer(text)


def _trie(words: set[str]) -> str:
    """One regex alternation for many phrases, shaped as a prefix tree so a scan fails fast at each position."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body  # greedy: the longest phrase is tried first

    return build(root)


# clock times the model may miss or fold into a name ("10 a.m. ET/7 a.m. PT")
_CLOCK = r"\b\d{1,2}(?::\d{2})?\s?[ap]\.m\.?|\b\d{1,2}:\d{2}\s?(?:[ap]m)\b|\b(?:noon|midnight)\b"
_CLOCK_RE = re.compile(_CLOCK, re.IGNORECASE)
# recurring expressions the model rarely tags ("every day", "each week")
_EVERY = r"\b(?:every|each) (?:other )?(?:day|week|month|year|quarter|morning|afternoon|evening|night|weekend)\b"
# frequency words are TimeML sets also as adjectives ("a daily rally", "his daily life"); "annual" and "quarterly"
# are left to the model: next to a report or a dividend they name a kind of thing, not a recurrence
_FREQUENCY = r"\b(?:daily|nightly|weekly|biweekly|hourly|monthly)\b"
_FREQUENCY_WORDS = {"daily", "nightly", "weekly", "biweekly", "hourly", "monthly"}

# phrases too often not temporal to find without the model's help
_AMBIGUOUS = {"still", "once", "previously", "soon", "shortly", "formerly", "past", "later", "earlier", "future",
              "so far", "the moment", "this time", "present day", "that day", "the same day", "same day",
              "this day", "this date", "for now", "to date", "the present", "eventually", "long ago"}


def version(resources: TimesResources) -> str:
    """Extractor version with a content hash of the lexicon files."""
    return f"{VERSION}+lexicon-{resources.lexicon.version}"


def times(doc: Doc, *, anchor: dt.date, lexicon: TimesResources) -> list[TimeRef]:
    """Every temporal expression in document order, typed and normalised against `anchor`."""
    found: list[TimeRef] = []
    context = DocumentContext(anchor, lexicon.lexicon)
    spans = _merge(_candidates(doc, lexicon), anchor, lexicon.lexicon)
    context.prime(spans)
    for span in spans:
        if parts := _period_of(span, context):
            found.extend(parts)
            continue
        ref = context.resolve(span)
        if ref is not None:
            found.append(ref)
            continue
        parts = [r for r in map(context.resolve, _split(span)) if r is not None]
        for start in range(span.start + 1, min(span.start + 3, span.end)) if not parts else ():
            # words the model took in front of the expression ("reported that third-quarter", "both 1990")
            rest = span.doc[start:span.end]
            if rest[0].lower_ == "of" or (len(rest) == 1 and rest[0].lower_ in lexicon.lexicon.units):
                continue  # "the second day", "dozens of years": the unit alone is not what was meant
            ref = context.resolve(rest)
            if ref is not None:
                parts.append(ref)
                break
        found.extend(parts)
    return found


def _period_of(span: Span, context: DocumentContext) -> list[TimeRef]:
    """'the first nine months of 1997' as TimeML has it: a duration and the date it is part of, two expressions.
    (Quarters and halves of a year stay one date: 'the first half of 1990' is 1990-H1.)"""
    of = next((t.i for t in span if t.lower_ == "of"), None)
    if of is None or of == span.start or of + 1 >= span.end or span.doc[of - 1].lemma_ not in _PERIOD_UNITS:
        return []
    head, tail = context.resolve(span.doc[span.start:of]), None
    if head is not None and head.type == "DURATION":
        tail = context.resolve(span.doc[of + 1:span.end])
    return [head, tail] if head is not None and tail is not None and tail.type == "DATE" else []


_PERIOD_UNITS = {"month", "week", "day"}


def _merge(spans: list[Span], anchor: dt.date, lexicon: TimexLexicon) -> list[Span]:
    """Join neighbours the model split ("9 a.m." + "Tuesday", "Sunday" + "night") when together they are a time."""
    merged: list[Span] = []
    for span in spans:
        if merged:
            prev = merged[-1]
            gap = span.doc[prev.end:span.start]
            if len(gap) <= 1 and all(t.lower_ in _GAP_WORDS for t in gap):
                joined = span.doc[prev.start:span.end]
                found = resolve(joined.text, anchor, lexicon=lexicon)
                full_date = found is not None and found.anchor == "text" and found.precision == "day"
                if found is not None and (found.type in ("TIME", "SET") or full_date):
                    merged[-1] = joined
                    continue
        merged.append(span)
    return merged


_TIMEZONE_RE = re.compile(r"est|edt|cst|cdt|mst|mdt|pst|pdt|gmt|utc|bst|cet|cest|jst|hkt|msk|hours|hrs|local")
# words the model sometimes leaves out of the entity ("This [quarter]'s loss", "every [Tuesday]")
_LEFT_WORDS = {"each", "every", "this", "last", "next", "that", "past", "coming"}
_GAP_WORDS = {"at", "on", ",", "of", "in", "the", "-"}


def _split(span: Span) -> list[Span]:
    """Parts of an entity that holds several expressions, cut at joining words and commas."""
    parts: list[Span] = []
    start = span.start
    for tok in span:
        if tok.lower_ in _JOINERS or tok.text == ",":
            if tok.i > start:
                parts.append(span.doc[start:tok.i])
            start = tok.i + 1
    if start < span.end and parts:
        parts.append(span.doc[start:span.end])
    return [p for p in (_trim(p) for p in parts) if p is not None]


def _candidates(doc: Doc, resources: TimesResources) -> list[Span]:
    """The model's DATE/TIME entities, tidied, plus lexicon matches outside them, in document order."""
    spans: list[Span] = []
    taken: set[int] = set()
    text = doc_values(doc).text  # Doc.text joins every token: build it once
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        span = _trim(ent)
        if span is None or _NOT_TIMEX.search(span.text) or _is_age(span):
            continue
        if span.start > 0 and span.doc[span.start - 1].lower_ in _LEFT_WORDS:
            span = span.doc[span.start - 1:span.end]
        if (span.end < len(doc) and _TIMEZONE_RE.fullmatch(doc[span.end].lower_)
                and re.fullmatch(r"\d{4}", span[-1].text)):
            span = doc[span.start:span.end + 1]  # "1630 EST" is a time of day, not a year
            if span[-1].lower_ == "local" and span.end < len(doc) and doc[span.end].lower_ == "time":
                span = doc[span.start:span.end + 1]
        if len(span) == 1 and span[0].lower_ in _RATE_ADJECTIVES and span[0].dep_ == "amod":
            continue
        if (span.end < len(doc) and doc[span.end].lower_ in ("period", "quarter")
                and (re.fullmatch(r"\d{4}", span[-1].text) or span[-1].lower_ in ("ago", "earlier"))):
            # "the 1988 period", "the year-ago quarter": the reporting period is the expression
            start = span.start - 1 if span.start > 0 and doc[span.start - 1].lower_ == "the" else span.start
            span = doc[start:span.end + 1]
        spans.append(span)
        taken.update(range(span.start, span.end))
    for m in _extra_matches(text, resources):
        clock = _CLOCK_RE.fullmatch(text[m.start():m.end()]) is not None
        span = doc.char_span(m.start(), m.end(), alignment_mode="contract" if clock else "strict")
        if span is None or len(span) == 0 or any(t.i in taken for t in span):
            continue
        holiday = span.text.lower() in resources.holidays and span.text[:1].isupper()
        recurring = span.text.lower().startswith(("every", "each")) or span.text.lower() in _FREQUENCY_WORDS
        if not (clock or holiday or recurring or _extra_ok(span)):
            continue
        spans.append(span)
        taken.update(range(span.start, span.end))
    for m in _CALENDAR_EXTRA.finditer(text):
        group = next(g for g in range(1, 5) if m.group(g))
        span = doc.char_span(m.start(group), m.end(group))
        if span is None or any(t.i in taken for t in span) or span[0].ent_type_ not in _OVERRIDABLE:
            continue
        if group == 4 and not (span.start > 0 and (span.doc[span.start - 1].like_num
                                                   or span.doc[span.start - 1].ent_type_ in _RATE_BEFORE)):
            continue
        spans.append(span)
        taken.update(range(span.start, span.end))
    return sorted(spans, key=lambda s: s.start)


# calendar expressions the model tags as something else or misses: "the Aug. 7 bombings" (EVENT),
# "third-quarter profit" (ORDINAL), "in 1978" (CARDINAL), "$5 billion a year" (rate)
_MONTHS = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|April|May|June|July|Aug(?:ust|\.)?|Sept?(?:ember|\.)?"
           r"|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_CALENDAR_EXTRA = re.compile(
    rf"\b({_MONTHS} \d{{1,2}}(?:, (?:1[89]|20)\d\d)?)\b(?!,? ?\d)"
    r"|\b((?:first|second|third|fourth)[- ]quarter)\b"
    r"|\b(?:in|since|by|until|before|after|during|from|of|through|that|and|both) ((?:1[89]|20)\d\d)\b(?![.,]?\d)"
    r"|\b((?:a|an|per) (?:year|month|week|day))\b")
_OVERRIDABLE = {"", "CARDINAL", "ORDINAL", "EVENT", "DATE"}


_AGE_DECADE = re.compile(r"(?:(?:early|mid|late)[ -])?'?[1-9]0s", re.IGNORECASE)
_POSSESSIVES = {"his", "her", "their", "my", "our", "your", "its"}


def _is_age(span: Span) -> bool:
    """'in their 30s', 'his late 40s': an age, not the 1930s."""
    words = [t for t in span if t.lower_ not in _POSSESSIVES]
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    owned = span[0].lower_ in _POSSESSIVES or before in _POSSESSIVES
    return owned and bool(words) and _AGE_DECADE.fullmatch(span.doc[words[0].i:span.end].text) is not None


def _extra_ok(span: Span) -> bool:
    """A lexicon match outside the model's entities: weekdays must be capitalised names, the rest adverbs."""
    word = span[0]
    if word.text[:1].isupper() and span.text.lower().rstrip("s") in _WEEKDAY_NAMES:
        return word.ent_type_ in ("", "DATE", "TIME")
    if span.text.lower().rstrip("s") in _WEEKDAY_NAMES:
        return False
    return word.ent_type_ == "" and word.pos_ not in ("PROPN",)


_WEEKDAY_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _trim(ent: Span) -> Span | None:
    """The entity without a trailing possessive or punctuation (TimeML extents exclude them)."""
    start, end = ent.start, ent.end
    while end > start and (ent.doc[end - 1].is_punct or ent.doc[end - 1].lower_ in ("'s", "'", "or", "and")):
        end -= 1
    while start < end and ent.doc[start].is_punct:
        start += 1
    return ent.doc[start:end] if end > start else None


class DocumentContext:
    """What earlier expressions in the same document set up: the last explicit date and the reported quarter.

    Narrative expressions ("that year", "the following month", "later that day") are resolved against the
    last date written out in full; in results stories "the quarter" is the quarter last named and "a year
    earlier" next to an amount is that quarter a year before.
    """

    def __init__(self, anchor: dt.date, lexicon: TimexLexicon):
        self.anchor, self.lexicon = anchor, lexicon
        self.reference: tuple[dt.date, str, str] | None = None  # (date, precision, value)
        self.quarter: tuple[int, int] | None = None
        self._names = set(lexicon.months) | set(lexicon.weekdays)

    def resolve(self, span: Span) -> TimeRef | None:
        """The TimeRef of one span, read in document order."""
        tense = span_tense(span, self.lexicon)
        text = span.text
        lowered = " ".join(text.lower().replace("-", " ").split())
        if _COUNTED.match(lowered) and span.end < len(span.doc) and span.doc[span.end].lower_ in _BACK:
            # "a year" tagged apart from its "earlier" ("$4 million a year earlier") is still a point in time
            text, lowered = f"{text} {span.doc[span.end].text}", f"{lowered} {span.doc[span.end].lower_}"
        found = resolve(text, self.anchor, tense=tense, lexicon=self.lexicon)
        if self.reference and _NARRATIVE.match(lowered):
            ref_date, ref_precision, ref_value = self.reference
            again = resolve(text, ref_date, tense=tense, lexicon=self.lexicon)
            if again is not None and _RANK.get(again.precision or "", 9) >= _RANK[ref_precision]:
                found = Timex(again.type, again.value, again.precision, f"earlier date {ref_value}")
        if _ENDED_QUARTER.match(lowered) and (ended := _period_end(span, self.anchor, self.lexicon)):
            # "the quarter ended July 31" is the calendar quarter holding most of its three months
            middle = ended - dt.timedelta(days=45)
            value = f"{middle.year}-Q{(middle.month - 1) // 3 + 1}"
            found = Timex("DATE", value, "quarter", f"quarter ended {ended.isoformat()}")
        elif self.quarter and _QUARTER_CONTEXT.match(lowered) and not _other_period_before(span):
            year, q = self.quarter
            if _THE_QUARTER.match(lowered):
                found = Timex("DATE", f"{year}-Q{q}", "quarter", f"quarter named before {year}-Q{q}")
            elif _YEAR_AGO.match(lowered) and (_near_amount(span) or lowered.endswith(("quarter", "period"))
                                                or _PERIOD_WORD.search(_sentence(span).text) is not None):
                found = Timex("DATE", f"{year - 1}-Q{q}", "quarter", f"quarter named before {year}-Q{q}")
            elif m := _YEAR_PERIOD.match(lowered):
                found = Timex("DATE", f"{m.group(1)}-Q{q}", "quarter", f"quarter named before {year}-Q{q}")
        if found is None and (m := _YEAR_PERIOD.match(lowered)):
            found = Timex("DATE", m.group(1), "year", "text")  # "the 1988 period" after "the first nine months"
        if found is not None and _YEAR_ENDED.match(lowered) and _followed_by(span, _ENDED):
            # "net income for the year ended March 31": TimeBank marks the year as a twelve-month duration
            found = Timex("DURATION", "P1Y", "none", "text")
        if found is None:
            return None
        self._remember(found, named=any(t.lower_.rstrip(".") in self._names for t in span))
        kind, precision = found.type, found.precision
        if kind == "DURATION" and re.fullmatch(r"(?:a|an|per|one) \w+", lowered) and span.start > 0:
            before = span.doc[span.start - 1]
            if before.ent_type_ in _RATE_BEFORE or before.like_num:
                kind, precision = "SET", "none"
        shown = _extent(span)
        return TimeRef(text=shown.text, start=shown.start_char, end=shown.end_char, type=kind, value=found.value,
                       precision=precision, anchor=found.anchor)

    def prime(self, spans: list[Span]) -> None:
        """Take the first quarter the document names as the reported one, for comparisons written before it."""
        for span in spans:
            if "quarter" in span.text.lower():
                found = resolve(span.text, self.anchor, tense=span_tense(span, self.lexicon), lexicon=self.lexicon)
                m = re.fullmatch(r"(\d{4})-Q(\d)", found.value or "") if found else None
                if m and found and self._reported(int(m.group(1)), int(m.group(2)), found):
                    self.quarter = (int(m.group(1)), int(m.group(2)))
                    return

    def _reported(self, year: int, quarter: int, found: Timex) -> bool:
        """Whether a quarter can be the one a results story reports: one before the document's calendar quarter,
        or the current one told in the past tense (a fiscal label); a forecast for "the fourth quarter" or "the
        third quarter of 1990" is not what "a year ago" compares with."""
        current = (self.anchor.year, (self.anchor.month - 1) // 3 + 1)
        told_past = (found.anchor or "").endswith("past tense") or (found.anchor or "").startswith("quarter ended")
        return (year, quarter) < current or ((year, quarter) == current and told_past)

    def _remember(self, found: Timex, *, named: bool = False) -> None:
        """Keep the quarter a results story reports and the last date the story moved to: a date written out,
        or a month or weekday named without a year ("In March, ... The following month")."""
        value = found.value or ""
        if (found.anchor or "").startswith("quarter "):  # quarters read from the context do not reset it
            return
        if (m := re.fullmatch(r"(\d{4})-Q(\d)", value)) and self._reported(int(m.group(1)), int(m.group(2)), found):
            self.quarter = (int(m.group(1)), int(m.group(2)))
        placed = named and (found.anchor or "").startswith("document date")
        if not (found.anchor == "text" or placed) or found.type != "DATE":
            return
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.reference = (dt.date.fromisoformat(value), "day", value)
        elif re.fullmatch(r"\d{4}-\d{2}", value):
            self.reference = (dt.date(int(value[:4]), int(value[5:]), 15), "month", value)
        elif re.fullmatch(r"\d{4}", value) and int(value) >= 1:
            self.reference = (dt.date(int(value), 7, 1), "year", value)


_RANK = {"time": 1, "day": 1, "week": 2, "month": 3, "quarter": 4, "year": 5, "decade": 6, "century": 7}
_NARRATIVE = re.compile(r"^(?:(?:later|earlier|early|late) )?(?:that|the following|the previous|the preceding|"
                        r"the same|the next|the prior) (?:day|morning|afternoon|evening|night|week|weekend|month|"
                        r"year|spring|summer|autumn|fall|winter)$|^(?:the )?(?:day|week|month|year) (?:before|after)$")
_THE_QUARTER = re.compile(r"^(?:the|this|that|the same|the reporting) (?:quarter|period|three months)$"
                          r"|^(?:the latest|the most recent) (?:period|three months)$")
_ENDED_QUARTER = re.compile(r"^(?:the|its|their|this|that|the latest|the most recent|the same) "
                            r"(?:fiscal )?(?:quarter|three months|three month period)$")
_COUNTED = re.compile(r"^(?:a|an|one|two|three|four|five|six|\d+) (?:years?|months?|weeks?|days?|decades?)$")
_BACK = {"earlier", "ago", "before"}
# a longer reporting period named earlier in the sentence: "for the nine months ... a year earlier" is a year back
_LONGER_PERIOD = re.compile(r"\b(?:nine|six|twelve|9|6|12)[ -]months?\b|\b(?:first|second) half\b|\bfull[ -]year\b",
                            re.IGNORECASE)
_YEAR_ENDED = re.compile(r"^(?:the|its|a) (?:fiscal |financial )?year$")
_ENDED = {"ended", "ending", "ends", "that ended", "which ended"}
_YEAR_AGO = re.compile(r"^(?:a |the )?(?:comparable )?(?:year|year ago|year earlier) (?:ago|earlier|quarter|period)$"
                       r"|^the (?:corresponding|comparable|same) (?:quarter|period) (?:a year ago|last year)$"
                       r"|^the (?:quarter|period) a year (?:ago|earlier)$")
_PERIOD_WORD = re.compile(r"\b(?:quarter|period)\b", re.IGNORECASE)  # a results sentence names its period
_YEAR_PERIOD = re.compile(r"^the (\d{4}) (?:quarter|period)$")
_QUARTER_CONTEXT = re.compile("|".join(r.pattern for r in (_THE_QUARTER, _YEAR_AGO, _YEAR_PERIOD)))


# TimeML extents leave out prepositions ("in the past") and focus adverbs ("just last month", "only six months");
# the words still count for the value, which is resolved from the whole span
_OUTSIDE_EXTENT = {"in", "just", "only"}


def _extent(span: Span) -> Span:
    """The span a TIMEX3 tag would cover: without a leading preposition or focus adverb, nor the article or
    possessive of the noun it modifies ("a [two-day] visit", "the [Aug. 7] bombings", "its [fourth quarter]")."""
    doc = span.doc
    start = span.start
    while start < span.end - 1 and doc[start].lower_ in _OUTSIDE_EXTENT:
        start += 1
    if start < span.end - 1 and (doc[start].lower_ in _OWNERS or (doc[start].lower_ in _ARTICLES
                                                                  and _modifies_noun_after(span))):
        start += 1
    return doc[start:span.end]


_ARTICLES = {"a", "an", "the"}
_OWNERS = {"its", "their"}


def _modifies_noun_after(span: Span) -> bool:
    """Whether the span is a modifier of the noun right after it ("a two-day [visit]"): the article is the noun's."""
    doc = span.doc
    return span.end < len(doc) and any(
        tok.dep_ in ("compound", "amod", "nummod", "npadvmod", "nmod") and tok.head.i >= span.end
        and tok.head.pos_ in ("NOUN", "PROPN") for tok in (span.root, span[-1]))


def _period_end(span: Span, anchor: dt.date, lexicon: TimexLexicon) -> dt.date | None:
    """The day written after 'ended'/'ending' right behind the span ("the quarter ended Sept. 30"), if any."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].lower_ not in ("ended", "ending"):
        return None
    for size in (4, 3, 2):
        part = _trim(doc[span.end + 1:min(span.end + 1 + size, len(doc))])
        found = resolve(part.text, anchor, tense="past", lexicon=lexicon) if part is not None else None
        if found is not None and found.value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", found.value):
            return dt.date.fromisoformat(found.value)
    return None


def _other_period_before(span: Span) -> bool:
    """Whether the sentence named a longer reporting period (nine months, first half) before the span."""
    before = span.doc[_sentence(span).start:span.start].text
    return _LONGER_PERIOD.search(before) is not None and "quarter" not in before.lower()


def _followed_by(span: Span, words: set[str]) -> bool:
    """Whether the one or two words right after the span are one of `words`."""
    after = span.doc[span.end:span.end + 2]
    return len(after) > 0 and (after[0].lower_ in words or after.text.lower() in words)


def _near_amount(span: Span) -> bool:
    """Whether the sentence compares amounts (money, percentages), as results stories do."""
    return any(ent.label_ in ("MONEY", "PERCENT") for ent in _sentence(span).ents)


def _sentence(span: Span) -> Span:
    """The sentence around a span, found from the token boundaries (Span.sent walks the whole document)."""
    doc = span.doc
    start, end = span.start, span.end
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    while end < len(doc) and not doc[end].is_sent_start:
        end += 1
    return doc[start:end]
