"""Words and calendar arithmetic for the time normaliser (`tacitus.extract.timex`).

The lexicon files of data/times/ (months, weekdays, units, numbers, fixed phrases, modifiers, tense cues)
are read here with file:line errors; the helpers place a weekday or a month without a year relative to a
document date, shift ISO weeks, quarters and decades, and clean the text of an expression.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tacitus.lexicon import LexiconError, data_path, file_version, read_tsv

DATA_FILES = ("calendar.tsv", "units.tsv", "numbers.tsv", "ordinals.tsv", "phrases.tsv", "modifiers.tsv",
              "tense_cues.tsv")

@dataclass
class TimexLexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, str]
    parts: dict[str, str]
    units: dict[str, tuple[str, str]]
    numbers: dict[str, str]
    ordinals: dict[str, int]
    phrases: dict[str, tuple[str, str]]
    modifiers: dict[str, str]
    modals: set[str]
    hedges: set[str]
    governors: set[str]
    planners: set[str]
    version: str

    def __post_init__(self) -> None:
        alt = _alternation
        self.re_month = alt(self.months)
        self.re_weekday = alt(self.weekdays)
        self.re_season = alt(self.seasons)
        self.re_part = alt(self.parts)
        self.re_unit = alt(self.units)
        self.re_ordinal = alt(self.ordinals) + r"|\d{1,2}(?:st|nd|rd|th)"
        multi = sorted((w for w in self.numbers if not w.isalpha() or w in ("a", "an")), key=len, reverse=True)
        self.re_number_words = re.compile(r"\b(" + "|".join(map(re.escape, multi)) + r")\b")
        lead = sorted((m for m, k in self.modifiers.items() if k in ("approx", "lead")), key=len, reverse=True)
        self.re_lead = re.compile(r"^(?:" + "|".join(map(re.escape, lead)) + r")\s+")
        point = sorted((m for m, k in self.modifiers.items() if k == "point"), key=len, reverse=True)
        self.re_point = re.compile(r"^(?:" + "|".join(map(re.escape, point)) + r")\s+")
        # built once: _numbers runs for every expression
        self.single_numbers = {w: v for w, v in self.numbers.items() if w.isalpha() and w not in ("a", "an")}
        self.re_a_unit = re.compile(r"\b(a|an)\s+(?=(?:" + "|".join(map(re.escape, self.units)) + r")\b)")
        # (text, anchor, tense) -> Timex | None: `timex.resolve` is pure and asked for the same words often
        self.resolved: dict = {}


def _alternation(words) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def read_lexicon(directory: Path | None = None) -> TimexLexicon:
    """Read the data/times/ files (or the same files in another directory)."""
    folder = directory or data_path("times")
    paths = [folder / name for name in DATA_FILES]
    cal: dict[str, dict] = {"month": {}, "weekday": {}, "season": {}, "part": {}}
    for row in read_tsv(paths[0], columns=3):
        word, kind, value = row.values
        if kind not in cal:
            raise LexiconError(f"{row.where()}: unknown kind '{kind}' (month, weekday, season, part)")
        if kind in ("month", "weekday"):
            if not value.isdigit():
                raise LexiconError(f"{row.where()}: {kind} number expected, got '{value}'")
            cal[kind][word.lower()] = int(value)
        else:
            cal[kind][word.lower()] = value
    units = {r.values[0].lower(): (r.values[1], r.values[2]) for r in read_tsv(paths[1], columns=3)}
    numbers = {r.values[0].lower(): r.values[1] for r in read_tsv(paths[2], columns=2)}
    ordinals: dict[str, int] = {}
    for row in read_tsv(paths[3], columns=2):
        if not row.values[1].isdigit():
            raise LexiconError(f"{row.where()}: ordinal number expected, got '{row.values[1]}'")
        ordinals[row.values[0].lower()] = int(row.values[1])
    phrases: dict[str, tuple[str, str]] = {}
    for row in read_tsv(paths[4], columns=3):
        phrase, kind, value = row.values
        if kind not in ("DATE", "TIME", "DURATION", "SET"):
            raise LexiconError(f"{row.where()}: type must be DATE, TIME, DURATION or SET, got '{kind}'")
        phrases[phrase.lower()] = (kind, value)
    modifiers = {r.values[0].lower(): r.values[1] for r in read_tsv(paths[5], columns=2)}
    cues = [(r.values[0].lower(), r.values[1]) for r in read_tsv(paths[6], columns=2)]
    return TimexLexicon(months=cal["month"], weekdays=cal["weekday"], seasons=cal["season"], parts=cal["part"],
                        units=units, numbers=numbers, ordinals=ordinals, phrases=phrases, modifiers=modifiers,
                        modals={w for w, k in cues if k == "modal"},
                        hedges={w for w, k in cues if k == "hedge"},
                        governors={w for w, k in cues if k in ("governor", "plan")},
                        planners={w for w, k in cues if k == "plan"},
                        version=file_version(*paths))


@lru_cache(maxsize=1)
def default_lexicon() -> TimexLexicon:
    """The packaged lexicon, read once per process."""
    return read_lexicon()


# --- calendar arithmetic --------------------------------------------------------------------------

def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def _week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _quarter(year: int, q: int) -> str:
    year, q = year + (q - 1) // 4, (q - 1) % 4 + 1
    return f"{year}-Q{q}"


def shift(anchor: dt.date, unit: str, n: int) -> str | None:
    """The value of the calendar unit `n` steps from the anchor (unit: day, week, month, year ...)."""
    try:
        if unit == "day":
            return (anchor + dt.timedelta(days=n)).isoformat()
        if unit == "week":
            return _week(anchor + dt.timedelta(weeks=n))
        if unit == "weekend":
            return _week(anchor + dt.timedelta(weeks=n)) + "-WE"
        if unit == "month":
            return _add_months(anchor, n).strftime("%Y-%m")
        if unit == "quarter":
            return _quarter(anchor.year, (anchor.month - 1) // 3 + 1 + n)
        if unit == "half":
            half = (anchor.month - 1) // 6 + n
            return f"{anchor.year + half // 2}-H{half % 2 + 1}"
        if unit == "year":
            return f"{anchor.year + n:04d}"
        if unit == "decade":
            return f"{anchor.year // 10 + n:03d}"
        if unit == "century":
            return f"{anchor.year // 100 + n:02d}"
    except (OverflowError, ValueError):
        return None
    return None


def weekday_date(anchor: dt.date, weekday: int, tense: str | None, relation: str | None = None) -> dt.date:
    """The date of a weekday (1=Monday) named in an article of `anchor`, by the clause's tense or last/next."""
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if relation == "last":
        return anchor - dt.timedelta(days=back or 7)
    if relation == "next":
        return anchor + dt.timedelta(days=ahead or 7)
    if tense == "future":
        return anchor + dt.timedelta(days=ahead)
    if tense == "past":
        return anchor - dt.timedelta(days=back)
    return anchor - dt.timedelta(days=back) if back <= ahead else anchor + dt.timedelta(days=ahead)


def year_for(anchor: dt.date, month: int, day: int | None, tense: str | None, relation: str | None = None) -> int:
    """The year of a month (and day) written without one, by the clause's tense or last/next/this.

    Tense only moves a date into the previous (past) or next (future) year when it is more than two months
    away on the wrong side: news often reports plans in the past tense ("said talks would start Feb. 10").
    """
    year = anchor.year
    if relation == "this":
        return year
    if relation in ("last", "next"):
        here, there = (anchor.month, anchor.day if day else 0), (month, day or 0)
        if relation == "last":
            return year if there < here and month != anchor.month else year - 1
        return year if there > here and month != anchor.month else year + 1
    ahead = _months_between(anchor, month, day)
    if tense == "past" and ahead > 2:
        return year - 1
    if tense == "future" and ahead < -2:
        return year + 1
    if tense not in ("past", "future"):  # no tense: the nearest one
        if ahead > 6:
            return year - 1
        if ahead < -6:
            return year + 1
    return year


def _months_between(anchor: dt.date, month: int, day: int | None) -> float:
    """How many months after the document date the month (and day) falls in the same year (negative: before)."""
    middle = 15 if day is None else day
    return (month - anchor.month) + (middle - anchor.day) / 30.0


def easter(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    return dt.date(year, month, (h + l_ - 7 * m + 33 * month + 19) % 32)


def nth_weekday(year: int, month: int, weekday: int, nth: str) -> dt.date | None:
    """The nth (1-5, L = last, E = Tuesday after the first Monday) weekday (1=Monday) of a month."""
    if nth == "E":
        first_monday = nth_weekday(year, month, 1, "1")
        return first_monday + dt.timedelta(days=1) if first_monday else None
    if nth == "L":
        last = _add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (int(nth) - 1))
    return day if day.month == month else None


def precision_of(value: str | None, kind: str) -> str | None:
    """Precision of a TIMEX3 value: day, week, month, quarter, year, decade, century, time or none."""
    if value is None:
        return None
    if kind in ("DURATION", "SET") or value.endswith("_REF"):
        return "none"
    if "T" in value:
        return "time"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-W\d{2}(-WE)?", value):
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}-(Q\d|H\d|SP|SU|FA|WI)", value):
        return "quarter"
    return {4: "year", 3: "decade", 2: "century"}.get(len(value), "none")


# --- text clean-up --------------------------------------------------------------------------------

@lru_cache(maxsize=16384)
def clean(text: str) -> str:
    """Lower case, ASCII punctuation, no abbreviation dots, hyphens and commas as spaces."""
    s = text.lower().strip()
    s = s.replace("\u2019", "'").replace("\u2018", "'").translate(str.maketrans("\u2013\u2014\u2010\u2011", "----"))
    s = re.sub(r"\b([ap])\.\s?m\b\.?", r"\1m", s)
    s = re.sub(r"\b([a-z]{1,5})\.", r"\1", s)
    s = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", s)
    s = re.sub(r"\b(\d+)(?:\s|-)1/2\b", r"\1.5", s)
    s = re.sub(r"(\d)'s\b", r"\1s", s)
    s = re.sub(r"(?<=[a-z])'s\b", "", s)
    s = re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9'])", " ", s)
    s = re.sub(r"[,;!?()\"]|(?<!\d):|:(?!\d)", " ", s)
    s = re.sub(r"\b(?:fiscal|calendar|financial)\s+(?=year|quarter|half|first|second|third|fourth|\d)", "", s)
    s = re.sub(r"\b(?:trading|business|working|school|calendar)\s+(?=days?\b)", "", s)
    s = re.sub(r"\s+or so\b|\s+or (?:more|less|longer)\b|\s+(?:or later|or earlier|and beyond|and after|onwards?)$", "", s)
    s = re.sub(r"\s+", " ", s).strip(" .").rstrip("'")
    return s


def _numbers(s: str, lex: TimexLexicon) -> str:
    """Number words as digits ("twenty four" -> 24, "a couple of" -> 2, "several" -> x)."""
    def word(m: re.Match) -> str:
        value = lex.numbers[m.group(1)]
        return "x" if value == "X" else value
    s = lex.re_number_words.sub(lambda m: word(m) if m.group(1) not in ("a", "an") else m.group(1), s)
    singles = lex.single_numbers
    tokens = s.split()
    spelled = any(t in singles for t in tokens)
    out: list[str] = []
    for tok in tokens:
        value = singles.get(tok)
        if value == "1000" and out and out[-1].isdigit():
            out[-1] = str(int(out[-1]) * 1000)
            continue
        if value is None:
            out.append(tok)
            continue
        value = "x" if value == "X" else value
        if out and value.isdigit() and out[-1].isdigit() and int(out[-1]) % 10 == 0 and int(value) < 10 \
                and int(out[-1]) >= 20:
            out[-1] = str(int(out[-1]) + int(value))
        else:
            out.append(value)
    s = " ".join(out)
    if spelled:  # "nineteen ninety six" -> 19 96 -> 1996
        s = re.sub(r"\b(1[0-9]|20) ([1-9][0-9]|0[1-9])\b", r"\1\2", s)
        s = re.sub(r"\b(1[0-9]) hundred\b", r"\g<1>00", s)
    return lex.re_a_unit.sub("1 ", s)


def _year(text: str, anchor: dt.date) -> int | None:
    """A year written as 4 digits or as '98 (two digits: the century that puts it at most 10 years ahead)."""
    digits = text.lstrip("'")
    if not digits.isdigit():
        return None
    if len(digits) == 4:
        year = int(digits)
        return year if 1000 <= year <= anchor.year + 100 else None
    if len(digits) == 2:
        year = anchor.year // 100 * 100 + int(digits)
        return year - 100 if year > anchor.year + 10 else year
    return None


def _date_value(year: int, month: int, day: int | None) -> str:
    """YYYY-MM-DD, or YYYY-MM when the day does not exist in that month (February 30)."""
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def _duration(n: str, unit_code: str) -> str:
    """TIMEX3 duration: 3 + D -> P3D, 2 + TH -> PT2H, decades and centuries in years when counted."""
    n = n.upper().removesuffix(".0")
    if n.endswith(".5") and unit_code in ("Y", "TH", "D", "TM"):  # 2.5 years -> P2Y6M, 5.5 hours -> PT5H30M
        whole, (prefix, big, small, half) = n[:-2], {"Y": ("P", "Y", "M", 6), "TH": ("PT", "H", "M", 30),
                                                    "D": ("P", "D", "H", 12), "TM": ("PT", "M", "S", 30)}[unit_code]
        if unit_code == "D":
            return f"P{whole}DT12H" if whole != "0" else "PT12H"
        return f"{prefix}{whole}{big}{half}{small}" if whole != "0" else f"{prefix}{half}{small}"
    if unit_code.startswith("T"):
        return f"PT{n}{unit_code[1:]}"
    if unit_code in ("DE", "CE", "ML") and n != "X":
        years = float(n) * {"DE": 10, "CE": 100, "ML": 1000}[unit_code]
        return f"P{years:g}Y"
    if unit_code in ("DE", "CE", "ML"):
        return f"PX{unit_code}"
    if unit_code == "2W":
        return f"P{n}W" if n == "X" else f"P{float(n) * 2:g}W"
    if unit_code == "6M":
        return f"P{n}M" if n == "X" else f"P{float(n) * 6:g}M"
    if unit_code == "WE":
        return "P2D" if n == "1" else f"P{n}WE"
    return f"P{n}{unit_code}"
