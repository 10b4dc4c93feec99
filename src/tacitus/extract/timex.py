"""Normalise one temporal expression against a document date into a TIMEX3-style value.

`resolve("Saturday", date(2021, 3, 29), tense="past")` -> Timex(DATE, "2021-03-27", "day", ...). The news
rules are ours: weekdays and month names without a year are placed by the tense of their clause (past ->
the latest one on or before the document date, future -> the next one on or after it), "last week" is the
ISO week before the document's, durations ("three years") and sets ("every Tuesday") stay what they are.
Words (months, units, numbers, fixed phrases, modifiers) come from the files in data/times/.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tacitus.extract.timex_calendar import (
    DATA_FILES,
    TimexLexicon,
    _alternation,
    _date_value,
    _duration,
    _numbers,
    _week,
    _year,
    clean,
    default_lexicon,
    easter,
    nth_weekday,
    precision_of,
    read_lexicon,
    shift,
    weekday_date,
    year_for,
)

__all__ = ["DATA_FILES", "Timex", "TimexLexicon", "default_lexicon", "easter", "normalise", "nth_weekday",
           "read_lexicon", "resolve", "span_tense", "verb_tense"]

_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}
_TIMEZONES = ("et|est|edt|ct|cst|cdt|mt|mst|mdt|pt|pst|pdt|nt|at|gmt|utc|bst|cet|cest|eet|jst|ist|hkt|"
              "aest|msk|local time|local")
_LAST = ("last", "past", "previous", "preceding", "this past", "the past", "the last", "the previous",
         "the preceding", "prior", "latest", "the latest", "most recent", "the most recent")
_NEXT = ("next", "coming", "following", "upcoming", "the next", "the coming", "the following",
         "the upcoming")
_THIS = ("this", "current", "the current", "the", "the same", "that", "same")
_RELATIVE_WORD = re.compile(rf"({_alternation(_LAST + _NEXT + _THIS)}) (.+)")


@dataclass(frozen=True)
class Timex:
    """A normalised temporal expression: TIMEX3 type and value, its precision and what it was resolved from."""

    type: str
    value: str | None
    precision: str | None
    anchor: str | None = None


# --- the rules ------------------------------------------------------------------------------------

def resolve(text: str, anchor: dt.date, *, tense: str | None = None,
            lexicon: TimexLexicon | None = None) -> Timex | None:
    """Type, TIMEX3 value and precision of a temporal expression written in an article dated `anchor`."""
    lex = lexicon or default_lexicon()
    # a pure function of its arguments, asked again and again for the same words ("1986", "the quarter")
    key = (text, anchor, tense)
    cache = lex.resolved
    if key in cache:
        return cache[key]
    found = _resolve(text, anchor, tense, lex)
    if len(cache) > 100_000:
        cache.clear()
    cache[key] = found
    return found


def _resolve(text: str, anchor: dt.date, tense: str | None, lex: TimexLexicon) -> Timex | None:
    raw = text.strip().lower()
    s = raw if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?(t\d{2}:\d{2})?", raw) else clean(text)
    if not s:
        return None
    try:
        found = _Resolver(lex, anchor, tense).run(s)
    except (OverflowError, ValueError):  # calendar arithmetic past year 1 or 9999: no value rather than a crash
        return None
    if found is None:
        return None
    kind, value, source = found
    return Timex(type=kind, value=value, precision=precision_of(value, kind), anchor=source)


def normalise(text: str, anchor: dt.date, *, tense: str | None = None) -> tuple[str, str] | None:
    """(TIMEX3 value, precision) of a temporal expression, or None; for extractors that only need the value."""
    found = resolve(text, anchor, tense=tense)
    if found is None or found.value is None or found.precision is None:
        return None
    return found.value, found.precision


class _Resolver:
    """One resolution: the lexicon, document date and tense shared by the rules below."""

    def __init__(self, lex: TimexLexicon, anchor: dt.date, tense: str | None):
        self.lex, self.anchor, self.tense = lex, anchor, tense
        doc = f"document date {anchor.isoformat()}"
        self.doc = doc if tense is None else f"{doc}, {tense} tense"
        self.plain = doc

    def run(self, s: str, depth: int = 0) -> tuple[str, str, str] | None:
        if depth > 4:
            return None
        lex = self.lex
        if s in lex.phrases:
            return self.phrase(*lex.phrases[s])
        for rule in (self.iso, self.clock, self.set_, self.part_of_day):
            found = rule(s)
            if found:
                return found
        t = _numbers(s, lex)
        for rule in (self.relative, self.deictic, self.calendar, self.composite, self.duration):
            found = rule(t)
            if found:
                return found
        stripped = lex.re_lead.sub("", s, count=1)
        if stripped == s:
            stripped = lex.re_point.sub("", s, count=1)
        if stripped != s and stripped:
            return self.run(stripped, depth + 1)
        trimmed = re.sub(r"^(?:the|a|an|its|his|her|their|our|your|this coming)\s+|\s+(?:of|and|or|to|the|from|"
                         r"through|until)$", "", s)
        if trimmed != s and trimmed and not (s.startswith("the ") and trimmed in lex.units):
            return self.run(trimmed, depth + 1)
        return None

    def phrase(self, kind: str, value: str) -> tuple[str, str, str] | None:
        if not value.startswith("@"):
            return kind, value, "lexicon"
        if value.startswith("@md:"):
            month, day = map(int, value[4:].split("-"))
            year = year_for(self.anchor, month, day, self.tense)
            return kind, _date_value(year, month, day), self.doc
        if value.startswith(("@nth:", "@easter")):
            return self.holiday(kind, value)
        m = re.fullmatch(r"@([a-z]+)([+-]\d+)(T[A-Z]{2})?", value)
        if not m:
            return None
        step = int(m.group(2))
        if m.group(1) == "weekend" and step == 0 and self.tense == "past" and self.anchor.isoweekday() < 6:
            step = -1  # "this weekend" said on a weekday about the past: the one just gone
        shifted = shift(self.anchor, m.group(1), step)
        return (kind, shifted + (m.group(3) or ""), self.plain) if shifted else None

    def holiday(self, kind: str, value: str) -> tuple[str, str, str] | None:
        """Moveable feasts: @nth:MM-W-N (N-th weekday W of month MM; L = last, E = US election day), @easter+N."""
        def date_in(year: int) -> dt.date | None:
            if value.startswith("@easter"):
                return easter(year) + dt.timedelta(days=int(value[7:] or 0))
            month, weekday, nth = value[5:].split("-")
            return nth_weekday(year, int(month), int(weekday), nth)
        candidates = [d for d in (date_in(self.anchor.year - 1), date_in(self.anchor.year),
                                  date_in(self.anchor.year + 1)) if d]
        if not candidates:
            return None
        if self.tense == "past":
            chosen = max((d for d in candidates if d <= self.anchor), default=candidates[0])
        elif self.tense == "future":
            chosen = min((d for d in candidates if d >= self.anchor), default=candidates[-1])
        else:
            chosen = min(candidates, key=lambda d: abs((d - self.anchor).days))
        return kind, chosen.isoformat(), self.doc

    def iso(self, s: str) -> tuple[str, str, str] | None:
        m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?(?:t(\d{2}):(\d{2}))?", s)
        if m:
            year = _year(m.group(1), self.anchor)
            if year is None or not 1 <= int(m.group(2)) <= 12:
                return None
            value = _date_value(year, int(m.group(2)), int(m.group(3)) if m.group(3) else None)
            if m.group(4) and len(value) == 10:
                return "TIME", f"{value}T{m.group(4)}:{m.group(5)}", "text"
            return "DATE", value, "text"
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?", s)
        if m and 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31:
            month, day = int(m.group(1)), int(m.group(2))
            year = _year(m.group(3), self.anchor) if m.group(3) else year_for(self.anchor, month, day, self.tense)
            if year is None:
                return None
            return "DATE", _date_value(year, month, day), "text" if m.group(3) else self.doc
        return None

    def clock(self, s: str) -> tuple[str, str, str] | None:
        """Times of day: 10 am, 10:30 pm, noon, midnight, 1300 gmt; the rest of the text gives the day."""
        tz = rf"(?:\s(?:{_TIMEZONES}))?"
        pattern = (rf"(?:at\s|around\s|about\s|by\s|until\s|before\s|after\s)?(?:(\d{{1,2}})(?:[:.](\d{{2}}))?\s?(am|pm)"
                   rf"|(\d{{1,2}}):(\d{{2}})|(noon|midday|midnight)|([01]\d|2[0-4])([0-5]\d)(?=\s(?:hours|hrs|{_TIMEZONES})\b))"
                   rf"(?:\s(?:o'clock|sharp))?{tz}(?:\s(in the (?:morning|afternoon|evening)|at night))?")
        m = re.search(r"(?:^|\s)" + pattern + r"(?=\s|$)", s)
        if not m:
            m2 = re.fullmatch(r"(\d{1,2}) (in the morning|in the afternoon|in the evening|at night)", s)
            if not m2:
                return None
            hour = int(m2.group(1)) + (12 if "morning" not in m2.group(2) and int(m2.group(1)) < 12 else 0)
            return self._with_day("", f"T{hour:02d}:00")
        if m.group(3):
            hour, minute = int(m.group(1)), int(m.group(2) or 0)
            if not 1 <= hour <= 12 or minute > 59:
                return None
            hour = hour % 12 + (12 if m.group(3) == "pm" else 0)
        elif m.group(4):
            hour, minute = int(m.group(4)), int(m.group(5))
            if m.group(9) and m.group(9) != "in the morning" and hour < 12:
                hour += 12
        elif m.group(6):
            hour, minute = (12, 0) if m.group(6) in ("noon", "midday") else (24, 0)
        else:
            hour, minute = int(m.group(7)), int(m.group(8))
        if hour > 24 or minute > 59:
            return None
        rest = (s[:m.start()] + " " + s[m.end():]).strip()
        rest = re.sub(r"^(?:on|at|of)\s|\s(?:on|at|of)$", "", rest).strip()
        return self._with_day(rest, f"T{hour:02d}:{minute:02d}")

    def _with_day(self, rest: str, clock: str) -> tuple[str, str, str] | None:
        if not rest:
            return "TIME", shift(self.anchor, "day", 0) + clock, self.plain
        day = self.run(rest, 1)
        if day and day[0] in ("DATE", "TIME") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day[1][:10]):
            return "TIME", day[1][:10] + clock, day[2]
        return None

    def set_(self, s: str) -> tuple[str, str, str] | None:
        lex = self.lex
        adverbs = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "fortnightly": "P2W",
                   "monthly": "P1M", "bimonthly": "P2M", "quarterly": "P1Q", "annually": "P1Y", "yearly": "P1Y",
                   "annual": "P1Y", "hourly": "PT1H", "biannually": "P6M", "semiannually": "P6M",
                   "per annum": "P1Y", "a year": None}
        if s in adverbs:
            return ("SET", adverbs[s], "text") if adverbs[s] else None
        m = re.fullmatch(rf"(?:every|each|per)( other)? ({lex.re_unit})", s)
        if m:
            code = lex.units[m.group(2)][0]
            return "SET", _duration("2" if m.group(1) else "1", code), "text"
        m = re.fullmatch(rf"(?:every|each|on) ({lex.re_weekday})s?(?: ({lex.re_part}))?|({lex.re_weekday})s"
                         rf"(?: ({lex.re_part}))?|({lex.re_weekday}) ({lex.re_part})s", s)
        if m:
            day = m.group(1) or m.group(3) or m.group(5)
            part = m.group(2) or m.group(4) or m.group(6)
            value = f"XXXX-WXX-{lex.weekdays[day]}" + (f"T{lex.parts[part]}" if part else "")
            return "SET", value, "text"
        m = re.fullmatch(rf"(?:every|each) ({lex.re_month})", s)
        if m:
            return "SET", f"XXXX-{lex.months[m.group(1)]:02d}", "text"
        m = re.fullmatch(rf"(?:every|each) ({lex.re_season})", s)
        if m:
            return "SET", f"XXXX-{lex.seasons[m.group(1)]}", "text"
        m = re.fullmatch(rf"(?:once|twice|thrice|\d+ times|[a-z]+ times) (?:a|an|per|each|every) ({lex.re_unit})", s)
        if m:
            return "SET", _duration("1", lex.units[m.group(1)][0]), "text"
        return None

    def part_of_day(self, s: str) -> tuple[str, str, str] | None:
        lex = self.lex
        m = re.fullmatch(rf"(?:(early|late|mid|in the|the)\s)?({lex.re_part})(?:\s(?:of\s)?(.+))?", s) or \
            re.fullmatch(rf"(.+?)\s(?:(early|late|mid|in the)\s)?({lex.re_part})", s)
        if not m:
            return None
        if m.re.pattern.startswith("(?:"):
            part, rest = lex.parts[m.group(2)], m.group(3) or ""
        else:
            rest, part = m.group(1), lex.parts[m.group(3)]
        if rest in ("", "this", "the"):
            return "TIME", shift(self.anchor, "day", 0) + f"T{part}", self.plain
        if rest in ("last", "yesterday"):
            return "TIME", shift(self.anchor, "day", -1) + f"T{part}", self.plain
        if rest in ("tomorrow", "next"):
            return "TIME", shift(self.anchor, "day", 1) + f"T{part}", self.plain
        day = self.run(_numbers(rest, lex), 1)
        if day and day[0] == "DATE" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day[1]):
            return "TIME", f"{day[1]}T{part}", day[2]
        return None

    def relative(self, s: str) -> tuple[str, str, str] | None:
        """N units ago / earlier / later / from now."""
        lex = self.lex
        m = re.fullmatch(rf"(\d+(?:\.\d+)?|x) ({lex.re_unit})(?: and a half)? (ago|earlier|before|back|before that|"
                         rf"previously|prior|later|after|from now|hence|on|after that|since)", s)
        if not m:
            m2 = re.fullmatch(rf"({lex.re_unit}) (ago|earlier|later)", s)
            if not m2:
                return None
            n_text, unit_word, direction = "1", m2.group(1), m2.group(2)
        else:
            n_text, unit_word, direction = m.group(1), m.group(2), m.group(3)
        if direction == "since":
            return None
        sign = -1 if direction in ("ago", "earlier", "before", "back", "before that", "previously", "prior") else 1
        if sign > 0 and direction not in ("from now", "hence"):
            # "three days later" counts from an event of the story, not from the article: keep the length
            return "DURATION", _duration(n_text, lex.units[unit_word][0]), "text"
        if n_text == "x":
            return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "text"
        code, grain = lex.units[unit_word]
        n = float(n_text)
        if grain == "time" or n != int(n):
            return "DATE", shift(self.anchor, "day", 0), self.plain
        n = int(n)
        if code == "2W":
            n, grain = 2 * n, "week"
        if code in ("DE", "CE", "ML"):
            n, grain = n * {"DE": 10, "CE": 100, "ML": 1000}[code], "year"
        if code == "6M":
            n, grain = 6 * n, "month"
        if code == "WE":
            grain = "weekend"
        value = shift(self.anchor, grain, sign * n)
        return ("DATE", value, self.plain) if value else None

    def deictic(self, s: str) -> tuple[str, str, str] | None:
        """this / last / next + unit, weekday, month or season."""
        lex = self.lex
        m = _RELATIVE_WORD.fullmatch(s)
        if not m:
            return None
        word, rest = m.group(1), m.group(2)
        relation = "last" if word in _LAST else "next" if word in _NEXT else "this"
        step = {"last": -1, "next": 1, "this": 0}[relation]
        if rest in lex.units:
            code, grain = lex.units[rest]
            if rest.endswith("s") and rest[:-1] in lex.units:  # "the coming weeks", "the years"
                if relation == "this":
                    return "DURATION", _duration("X", code), "text"
                return "DATE", "PAST_REF" if relation == "last" else "FUTURE_REF", "text"
            if grain == "time":
                return None
            if code in ("DE", "CE", "ML") and word in ("the past", "the last", "past"):
                return "DURATION", _duration("1", code), "text"  # "the past century": the last hundred years
            if code == "WE":
                grain = "weekend"
                if step == 0 and self.tense == "past" and self.anchor.isoweekday() < 6:
                    step = -1
            if code == "DE" or code == "CE":
                grain = "decade" if code == "DE" else "century"
            value = shift(self.anchor, grain, step)
            if grain == "day" and word == "the":
                return None  # "the day" is a day of the story, not of the article
            if grain == "day" and word in ("that", "the same", "same"):
                return "DATE", value, self.plain
            return ("DATE", value, self.plain) if value else None
        m = re.fullmatch(rf"(\d+(?:\.\d+)?|x) ({lex.re_unit})", rest)
        if m and relation != "this":
            if relation == "last" and m.group(1) == "x" and word.startswith("the"):
                return "DATE", "PAST_REF", "text"
            return "DURATION", _duration(m.group(1), lex.units[m.group(2)][0]), "text"
        if rest in lex.phrases and lex.phrases[rest][1].startswith(("@md:", "@nth:", "@easter")):
            tense = {"last": "past", "next": "future"}.get(relation, self.tense)
            return _Resolver(lex, self.anchor, tense).phrase(*lex.phrases[rest])
        if rest in lex.weekdays:
            rel = None if relation == "this" else relation
            day = weekday_date(self.anchor, lex.weekdays[rest], self.tense, rel)
            return "DATE", day.isoformat(), self.doc
        if rest in lex.months:
            month = lex.months[rest]
            year = year_for(self.anchor, month, None, self.tense, relation)
            return "DATE", f"{year:04d}-{month:02d}", self.doc
        if rest in lex.seasons:
            code = lex.seasons[rest]
            middle = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}.get(code, 7)
            year = self.anchor.year
            if relation == "last":
                year = year if middle < self.anchor.month else year - 1
            elif relation == "next":
                year = year if middle > self.anchor.month else year + 1
            return "DATE", f"{year}-{code}", self.doc
        return None

    def calendar(self, s: str) -> tuple[str, str, str] | None:
        """Dates written out: March 3, 2019; 3 March; March 2019; in March; Monday; 1994; the 1990s; Q3."""
        lex, anchor = self.lex, self.anchor
        wd, mo, ordn = lex.re_weekday, lex.re_month, lex.re_ordinal
        year_re = r"(\d{4}|'\d{2})"
        m = (re.fullmatch(rf"(?:{wd} )?({mo}) (\d{{1,2}}|{ordn})(?: (\d{{4}}|'?\d{{2}}))?", s)
             or re.fullmatch(rf"(?:{wd} )?(?:the )?(\d{{1,2}}) (?:of )?({mo})(?: {year_re})?", s)
             or re.fullmatch(rf"(?:{wd} )?(?:the )?({ordn}) (?:of )?({mo})(?: {year_re})?", s))
        if m:
            a, b, y = m.group(1), m.group(2), m.group(3)
            month_word, day_text = (a, b) if a in lex.months else (b, a)
            day = int(day_text) if day_text.isdigit() else lex.ordinals.get(day_text)
            if day_text[:-2].isdigit():
                day = int(day_text[:-2])
            if day is None or not 1 <= day <= 31:
                return None
            month = lex.months[month_word]
            if y:
                year = _year(y, anchor)
                return ("DATE", _date_value(year, month, day), "text") if year else None
            return "DATE", _date_value(year_for(anchor, month, day, self.tense), month, day), self.doc
        m = re.fullmatch(rf"({mo})(?: of)? {year_re}", s)
        if m:
            year = _year(m.group(2), anchor)
            return ("DATE", f"{year:04d}-{lex.months[m.group(1)]:02d}", "text") if year else None
        if s in lex.months and s not in ("may", "mar", "sat", "sun", "wed", "jan", "jun"):
            month = lex.months[s]
            return "DATE", f"{year_for(anchor, month, None, self.tense):04d}-{month:02d}", self.doc
        if s in ("may", "march"):
            month = lex.months[s]
            return "DATE", f"{year_for(anchor, month, None, self.tense):04d}-{month:02d}", self.doc
        m = re.fullmatch(rf"({wd})(?: the (\d{{1,2}}))?", s)
        if m:
            return "DATE", weekday_date(anchor, lex.weekdays[m.group(1)], self.tense).isoformat(), self.doc
        m = re.fullmatch(rf"(?:(?:the |calendar |fiscal |financial |model |school |crop |the fiscal |the calendar )?"
                         rf"(?:year |fy ?)?)({year_re[1:-1]})", s)
        if m:
            year = _year(m.group(1), anchor)
            return ("DATE", f"{year:04d}", "text") if year else None
        m = re.fullmatch(rf"({lex.re_season})(?: of)? {year_re}", s)
        if m:
            year = _year(m.group(2), anchor)
            return ("DATE", f"{year:04d}-{lex.seasons[m.group(1)]}", "text") if year else None
        if s in lex.seasons:
            return "DATE", f"{anchor.year}-{lex.seasons[s]}", self.doc
        m = re.fullmatch(r"(?:the )?(\d{2})(\d)0s|(?:the )?'?(\d)0s|(?:the )?([a-z]+ties)", s)
        if m:
            if m.group(1):
                if m.group(2) == "0" and m.group(1) != "20":
                    return "DATE", m.group(1), "text"
                return "DATE", m.group(1) + m.group(2), "text"
            digit = int(m.group(3)) if m.group(3) else _DECADE_WORDS.get(m.group(4) or "")
            if digit is None:
                return None
            decade = anchor.year // 100 * 10 + digit
            if decade * 10 > anchor.year:
                decade -= 10
            return "DATE", f"{decade:03d}", "text"
        m = re.fullmatch(rf"(?:the |a |an )?({ordn}|\d{{1,2}}) century", s)
        if m:
            n = lex.ordinals.get(m.group(1)) or int(re.sub(r"\D", "", m.group(1)) or 0)
            return ("DATE", f"{n - 1:02d}", "text") if 1 <= n <= 30 else None
        return self.quarter(s)

    def quarter(self, s: str) -> tuple[str, str, str] | None:
        lex, anchor = self.lex, self.anchor
        m = re.fullmatch(rf"(?:the )?(?:fiscal |calendar )?(?:({lex.re_ordinal}|last|final) |q(\d) ?)"
                         rf"(?:fiscal |calendar )?(quarter|half|quarters)?(?: (?:of )?(?:(?:fiscal |the year )?"
                         rf"(\d{{4}}|'\d{{2}})|(this|last|next) year|the year))?", s)
        if not m or not (m.group(2) or m.group(3)):
            return None
        if m.group(2):
            n, unit = int(m.group(2)), "quarter"
        else:
            n = 4 if m.group(1) in ("last", "final") else (lex.ordinals.get(m.group(1)) or
                                                          int(re.sub(r"\D", "", m.group(1)) or 0))
            unit = "half" if m.group(3) == "half" else "quarter"
            if unit == "half" and m.group(1) in ("last", "final"):
                n = 2
        limit = 2 if unit == "half" else 4
        if not 1 <= n <= limit:
            return None
        current = (anchor.month - 1) // (12 // limit) + 1
        if m.group(4):
            year = _year(m.group(4), anchor)
            source = "text"
            if year is None:
                return None
        elif m.group(5):
            year = anchor.year + {"this": 0, "last": -1, "next": 1}[m.group(5)]
            source = self.plain
        else:
            year = anchor.year - 1 if n > current and self.tense == "past" else anchor.year
            source = self.doc
        return "DATE", f"{year:04d}-{'H' if unit == 'half' else 'Q'}{n}", source

    def composite(self, s: str) -> tuple[str, str, str] | None:
        """Expressions built from two parts: 'June last year', 'last Oct. 23', 'this year's third quarter'."""
        lex, anchor = self.lex, self.anchor
        m = re.fullmatch(r"(.+?) (this|last|next|the previous|the following) year", s)
        if m and m.group(1) not in ("the", "this", "last", "next"):
            year = anchor.year + {"this": 0, "last": -1, "next": 1, "the previous": -1, "the following": 1}[m.group(2)]
            inner = _Resolver(lex, dt.date(year, anchor.month, min(anchor.day, 28)), None).run(m.group(1) + " " + str(year), 1)
            if inner and inner[1] and inner[1].startswith(str(year)):
                return inner[0], inner[1], self.plain
        m = re.fullmatch(rf"(this|last|next|this coming|this past) ({lex.re_month}) (\d{{1,2}}|{lex.re_ordinal})", s)
        if m:
            relation = {"this coming": "next", "this past": "last"}.get(m.group(1), m.group(1))
            day = int(m.group(3)) if m.group(3).isdigit() else lex.ordinals.get(m.group(3))
            month = lex.months[m.group(2)]
            if day:
                return "DATE", _date_value(year_for(anchor, month, day, self.tense, relation), month, day), self.doc
        m = re.fullmatch(rf"(this|last|next|\d{{4}}) year ({lex.re_ordinal}) quarter|(\d{{4}}) ({lex.re_ordinal}) quarter", s)
        if m:
            when, ordinal = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            year = int(when) if when.isdigit() else anchor.year + {"this": 0, "last": -1, "next": 1}[when]
            n = lex.ordinals.get(ordinal) or int(re.sub(r"\D", "", ordinal) or 0)
            return ("DATE", f"{year}-Q{n}", self.plain) if 1 <= n <= 4 else None
        m = re.fullmatch(r"(?:the )?(?:year ago|year earlier|comparable|prior year|previous year|last year)"
                         r"(?: (?:first|second|third|fourth|1st|2nd|3rd|4th))? (quarter|period)", s)
        if m:
            return "DATE", shift(anchor, "quarter", -5), self.plain
        m = re.fullmatch(r"(?:the )?week (?:of|beginning|starting|ending) (.+)", s)
        if m:
            inner = self.run(m.group(1), 1)
            if inner and re.fullmatch(r"\d{4}-\d{2}-\d{2}", inner[1] or ""):
                return "DATE", _week(dt.date.fromisoformat(inner[1])), inner[2]
        m = re.fullmatch(rf"(?:the |its |their |a )?(?:first |last |past |next |final |latest |initial |same |other |"
                         rf"previous |remaining |coming |following )?(\d+(?:\.\d+)?|x)(?: (?:to|or|and) (\d+|x))? "
                         rf"({lex.re_unit})(?: (?:of|in) .+)?", s)
        if m:
            n = m.group(2) or m.group(1)
            return "DURATION", _duration(n, lex.units[m.group(3)][0]), "text"
        return None

    def duration(self, s: str) -> tuple[str, str, str] | None:
        lex = self.lex
        m = re.fullmatch(rf"(\d+(?:\.\d+)?|x)( and a half| and 0\.5)? (?:more |additional |extra |further )?"
                         rf"({lex.re_unit})( and a half| and 0\.5)?"
                         rf"(?: long| old| running| straight| in a row| of age)?", s)
        if m:
            n = m.group(1)
            if (m.group(2) or m.group(4)) and n != "x":
                n = f"{float(n) + 0.5:g}"
            return "DURATION", _duration(n, lex.units[m.group(3)][0]), "text"
        if re.fullmatch(r"(?:a |the )?quarter century", s):
            return "DURATION", "P25Y", "text"
        m = re.fullmatch(rf"({lex.re_unit})", s)
        if m:
            unit = m.group(1)
            plural = unit.endswith("s") and unit[:-1] in lex.units or unit in ("centuries", "millennia")
            return "DURATION", _duration("x" if plural else "1", lex.units[unit][0]), "text"
        return None


# --- tense of the clause --------------------------------------------------------------------------

def span_tense(span, lexicon: TimexLexicon | None = None) -> str | None:
    """past, present or future for the clause a temporal expression belongs to (from its governing verb)."""
    lex = lexicon or default_lexicon()
    tok = span.root
    weekday = any(t.lower_.rstrip(".") in lex.weekdays for t in span)
    if weekday and tok.head.lower_ in _DEADLINE and tok.dep_ == "pobj":
        # "extended its deadline until 9 a.m. Tuesday": a weekday after "until" is a deadline ahead (a month
        # after "until" is as often a stretch of the past: "stayed in office until March")
        verb = tok.head.head
        return "past" if verb.pos_ in ("VERB", "AUX") and _past_perfect(verb) else "future"
    if tok.head.lower_ == "effective" and (weekday or any(t.lower_.rstrip(".") in lex.months for t in span)):
        return "future"  # "a new labour pact effective June 1": changes take effect ahead
    tense = None
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") and tok not in span:
            tense = verb_tense(tok, lex)
            break
        if tok.head is tok:
            break
        tok = tok.head
    if weekday and tense != "future" and _possessive_past(span):
        return "past"  # "Thursday's closing price", "Wednesday's ruling": a day whose event is reported
    return tense


def _possessive_past(span) -> bool:
    """A weekday owning the next noun ("Wednesday's ruling") outside a look-ahead ("ahead of Sunday's vote")."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].tag_ != "POS":
        return False
    before = [t.lower_ for t in doc[max(span.start - 2, 0):span.start]]
    return not (before and (before[-1] in _AHEAD or before[-2:] == ["ahead", "of"]))


_AHEAD = {"before", "for", "until", "till", "in", "at"}


def verb_tense(verb, lex: TimexLexicon, depth: int = 0) -> str | None:
    """past, present or future of one verb from its tag and auxiliaries ('will', 'has', 'expected to')."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & lex.modals:
        return "future"
    if verb.lemma_.lower() in lex.planners:
        return "past" if _past_perfect(verb) else "future"  # "had been scheduled to expire Friday": over
    if lowers & lex.hedges:
        return None
    head = verb.head
    if "to" in lowers and head is not verb:
        if head.lemma_.lower() in lex.governors or head.lower_ in lex.governors:
            return "past" if _past_perfect(head) else "future"
        if depth < 3 and head.pos_ in ("VERB", "AUX"):
            return verb_tense(head, lex, depth + 1)
    tags = {a.tag_ for a in auxes} | {verb.tag_}
    if "VBD" in tags:
        return "past"
    if verb.tag_ == "VBN":
        if any(a.lemma_ == "have" for a in auxes) or not auxes:
            return "past"
        return "present"
    if verb.tag_ == "VBG" and any(a.lemma_ == "have" for a in auxes):
        return "past"  # "have been searching since the Oct. 23 slaying": perfect progressive looks back
    if verb.tag_ == "VBG" and any(a.lemma_ == "be" for a in auxes):
        return "future"
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    if verb.tag_ == "VB" and verb.dep_ == "ROOT" and not auxes:
        return "future"  # imperative: "Watch the programme on Sunday"
    if depth < 3 and head is not verb and head.pos_ in ("VERB", "AUX") and verb.dep_ in ("xcomp", "advcl", "conj",
                                                                                          "ccomp", "acl", "relcl"):
        return verb_tense(head, lex, depth + 1)
    return None


_DEADLINE = {"until", "till", "til", "untill"}


def _past_perfect(word) -> bool:
    """Whether a verb or predicate adjective is in the past perfect ("had planned", "had been due")."""
    for tok in (word, word.head if word.dep_ in ("acomp", "xcomp", "attr") else word):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in tok.children):
            return True
    return False
