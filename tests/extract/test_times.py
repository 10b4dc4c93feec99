"""Times: the normaliser on its own (tables of text, document date, tense) and the extractor over the model."""

from __future__ import annotations

import datetime as dt

import pytest

from tacitus.config import Config
from tacitus.extract import times as times_module
from tacitus.extract.timex import easter, normalise, nth_weekday, read_lexicon, resolve
from tacitus.lexicon import LexiconError

MONDAY = dt.date(2021, 3, 29)  # a Monday, ISO week 13


@pytest.mark.parametrize(
    "text, anchor, tense, expected",
    [
        # weekdays by the tense of the clause
        ("Monday", MONDAY, "past", ("DATE", "2021-03-29", "day")),
        ("Monday", MONDAY, None, ("DATE", "2021-03-29", "day")),
        ("Saturday", MONDAY, "past", ("DATE", "2021-03-27", "day")),
        ("Saturday", MONDAY, "future", ("DATE", "2021-04-03", "day")),
        ("Thursday", MONDAY, None, ("DATE", "2021-04-01", "day")),
        ("next Tuesday", MONDAY, None, ("DATE", "2021-03-30", "day")),
        ("last Monday", MONDAY, None, ("DATE", "2021-03-22", "day")),
        # deictic words and units
        ("yesterday", MONDAY, None, ("DATE", "2021-03-28", "day")),
        ("tomorrow", MONDAY, None, ("DATE", "2021-03-30", "day")),
        ("today's", MONDAY, None, ("DATE", "2021-03-29", "day")),
        ("last week", MONDAY, None, ("DATE", "2021-W12", "week")),
        ("next week", MONDAY, None, ("DATE", "2021-W14", "week")),
        ("last month", MONDAY, None, ("DATE", "2021-02", "month")),
        ("this year", MONDAY, None, ("DATE", "2021", "year")),
        ("last year", dt.date(2021, 1, 4), None, ("DATE", "2020", "year")),
        ("earlier this year", MONDAY, None, ("DATE", "2021", "year")),
        ("late last year", MONDAY, None, ("DATE", "2020", "year")),
        ("the end of the month", MONDAY, None, ("DATE", "2021-03", "month")),
        ("this weekend", MONDAY, "future", ("DATE", "2021-W13-WE", "week")),
        ("this weekend", MONDAY, "past", ("DATE", "2021-W12-WE", "week")),
        ("last quarter", MONDAY, None, ("DATE", "2020-Q4", "quarter")),
        ("two days ago", MONDAY, None, ("DATE", "2021-03-27", "day")),
        ("three weeks ago", MONDAY, None, ("DATE", "2021-W10", "week")),
        ("a year ago", MONDAY, None, ("DATE", "2020", "year")),
        ("six months from now", MONDAY, None, ("DATE", "2021-09", "month")),
        ("now", MONDAY, None, ("DATE", "PRESENT_REF", "none")),
        ("recently", MONDAY, None, ("DATE", "PAST_REF", "none")),
        ("in the coming weeks", MONDAY, None, ("DATE", "FUTURE_REF", "none")),
        # calendar dates, with and without a year
        ("March 3, 2019", MONDAY, None, ("DATE", "2019-03-03", "day")),
        ("on March 3", MONDAY, None, ("DATE", "2021-03-03", "day")),
        ("3 March", MONDAY, "past", ("DATE", "2021-03-03", "day")),
        ("Sept. 2", MONDAY, "past", ("DATE", "2020-09-02", "day")),
        ("Dec. 15", dt.date(2021, 11, 20), "future", ("DATE", "2021-12-15", "day")),
        ("Jan. 10", dt.date(2021, 11, 20), "future", ("DATE", "2022-01-10", "day")),
        ("Monday, March 1", MONDAY, None, ("DATE", "2021-03-01", "day")),
        ("the 4th of July", MONDAY, "future", ("DATE", "2021-07-04", "day")),
        ("in March", MONDAY, "past", ("DATE", "2021-03", "month")),
        ("December", MONDAY, "past", ("DATE", "2020-12", "month")),
        ("July 1997", MONDAY, None, ("DATE", "1997-07", "month")),
        ("June last year", MONDAY, None, ("DATE", "2020-06", "month")),
        ("1994", MONDAY, None, ("DATE", "1994", "year")),
        ("fiscal 2020", MONDAY, None, ("DATE", "2020", "year")),
        ("the 1990s", MONDAY, None, ("DATE", "199", "decade")),
        ("the mid-1980s", MONDAY, None, ("DATE", "198", "decade")),
        ("the '90s", MONDAY, None, ("DATE", "199", "decade")),
        ("the 20th century", MONDAY, None, ("DATE", "19", "century")),
        ("the third quarter", dt.date(2021, 10, 20), "past", ("DATE", "2021-Q3", "quarter")),
        ("the fourth quarter", MONDAY, "past", ("DATE", "2020-Q4", "quarter")),
        ("the first half of 2020", MONDAY, None, ("DATE", "2020-H1", "quarter")),
        ("this summer", MONDAY, None, ("DATE", "2021-SU", "quarter")),
        ("2021-03-01", MONDAY, None, ("DATE", "2021-03-01", "day")),
        ("3/15/2021", MONDAY, None, ("DATE", "2021-03-15", "day")),
        ("Christmas", MONDAY, "past", ("DATE", "2020-12-25", "day")),
        ("Thanksgiving", dt.date(2021, 11, 30), "past", ("DATE", "2021-11-25", "day")),
        ("Easter", MONDAY, "future", ("DATE", "2021-04-04", "day")),
        # times of day
        ("10 a.m.", MONDAY, None, ("TIME", "2021-03-29T10:00", "time")),
        ("10:30 p.m. ET", MONDAY, None, ("TIME", "2021-03-29T22:30", "time")),
        ("noon Thursday", MONDAY, "past", ("TIME", "2021-03-25T12:00", "time")),
        ("this morning", MONDAY, None, ("TIME", "2021-03-29TMO", "time")),
        ("last night", MONDAY, None, ("TIME", "2021-03-28TNI", "time")),
        ("Saturday night", MONDAY, "past", ("TIME", "2021-03-27TNI", "time")),
        ("1300 GMT", MONDAY, None, ("TIME", "2021-03-29T13:00", "time")),
        # durations stay durations
        ("three days", MONDAY, None, ("DURATION", "P3D", "none")),
        ("two years", MONDAY, None, ("DURATION", "P2Y", "none")),
        ("nearly two decades", MONDAY, None, ("DURATION", "P20Y", "none")),
        ("24 hours", MONDAY, None, ("DURATION", "PT24H", "none")),
        ("a five-year", MONDAY, None, ("DURATION", "P5Y", "none")),
        ("several months", MONDAY, None, ("DURATION", "PXM", "none")),
        ("the past three years", MONDAY, None, ("DURATION", "P3Y", "none")),
        ("the first nine months", MONDAY, None, ("DURATION", "P9M", "none")),
        ("two and a half years", MONDAY, None, ("DURATION", "P2Y6M", "none")),
        ("5 1/2 hours", MONDAY, None, ("DURATION", "PT5H30M", "none")),
        ("half a day", MONDAY, None, ("DURATION", "PT12H", "none")),
        ("two more weeks", MONDAY, None, ("DURATION", "P2W", "none")),
        # sets are not dates
        ("every Tuesday", MONDAY, None, ("SET", "XXXX-WXX-2", "none")),
        ("weekly", MONDAY, None, ("SET", "P1W", "none")),
        ("each year", MONDAY, None, ("SET", "P1Y", "none")),
        ("twice a month", MONDAY, None, ("SET", "P1M", "none")),
        ("Tuesday nights", MONDAY, None, ("SET", "XXXX-WXX-2TNI", "none")),
        # results stories: the full year is the document's year, the latest quarter the one just ended
        ("the full year", dt.date(2021, 10, 28), None, ("DATE", "2021", "year")),
        ("the latest quarter", dt.date(2021, 10, 28), None, ("DATE", "2021-Q3", "quarter")),
        ("the most recent quarter", dt.date(2021, 2, 3), None, ("DATE", "2020-Q4", "quarter")),
        ("the current quarter", dt.date(2021, 10, 28), None, ("DATE", "2021-Q4", "quarter")),
    ],
)
def test_resolve(text, anchor, tense, expected):
    found = resolve(text, anchor, tense=tense)
    assert found is not None, text
    assert (found.type, found.value, found.precision) == expected


@pytest.mark.parametrize(
    "text, anchor, expected",
    [
        # impossible dates fall back to the month, never to a made-up day
        ("February 30", MONDAY, ("DATE", "2021-02", "month")),
        ("Feb. 30, 2021", MONDAY, ("DATE", "2021-02", "month")),
        ("April 31, 2020", MONDAY, ("DATE", "2020-04", "month")),
        ("February 29, 2020", MONDAY, ("DATE", "2020-02-29", "day")),
        # two-digit years: the century that puts them at most ten years ahead of the article
        ("March 3, '98", MONDAY, ("DATE", "1998-03-03", "day")),
        ("'29", MONDAY, ("DATE", "2029", "year")),
        ("'45", MONDAY, ("DATE", "1945", "year")),
        # dates before 1900 and after the article are kept as written
        ("July 4, 1776", MONDAY, ("DATE", "1776-07-04", "day")),
        ("1848", MONDAY, ("DATE", "1848", "year")),
        ("March 3, 2030", MONDAY, ("DATE", "2030-03-03", "day")),
        # numbers that cannot be years or days give nothing
        ("March 45", MONDAY, None),
        ("2999", MONDAY, None),
        ("13/45/2021", MONDAY, None),
        ("25:99", MONDAY, None),
        ("", MONDAY, None),
        ("the", MONDAY, None),
    ],
)
def test_bad_input(text, anchor, expected):
    found = resolve(text, anchor)
    got = None if found is None else (found.type, found.value, found.precision)
    assert got == expected


@pytest.mark.parametrize("anchor", [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2021, 12, 31)])
def test_extreme_anchors_do_not_crash(anchor):
    for text in (
        "next week",
        "last year",
        "tomorrow",
        "next month",
        "the 1990s",
        "Saturday",
        "two years ago",
        "this decade",
        "next quarter",
        "Christmas",
    ):
        resolve(text, anchor, tense="future")
        resolve(text, anchor, tense="past")


def test_normalise_returns_value_and_precision():
    assert normalise("last week", MONDAY) == ("2021-W12", "week")
    assert normalise("Saturday", MONDAY, tense="past") == ("2021-03-27", "day")
    assert normalise("no time here", MONDAY) is None


def test_holiday_arithmetic():
    assert easter(2021) == dt.date(2021, 4, 4)
    assert easter(2000) == dt.date(2000, 4, 23)
    assert nth_weekday(2021, 11, 4, "4") == dt.date(2021, 11, 25)
    assert nth_weekday(2021, 5, 1, "L") == dt.date(2021, 5, 31)


def test_malformed_lexicon_names_file_and_line(tmp_path):
    folder = tmp_path / "times"
    folder.mkdir()
    from tacitus.extract.timex import DATA_FILES
    from tacitus.lexicon import data_path

    for name in DATA_FILES:
        (folder / name).write_text(data_path(f"times/{name}").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "calendar.tsv").write_text("january\tmonth\tone\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"calendar.tsv:1"):
        read_lexicon(folder)


# --- the extractor over the model ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lexicon():
    return times_module.load(Config())


def run(nlp, lexicon, text, anchor=MONDAY):
    return times_module.times(nlp(text), anchor=anchor, lexicon=lexicon)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "China retaliated Saturday when it announced sanctions against two lawmakers.",
            [("Saturday", "DATE", "2021-03-27")],
        ),
        (
            "The foreign ministers will meet Saturday in Brussels to discuss the sanctions.",
            [("Saturday", "DATE", "2021-04-03")],
        ),
        (
            "At a news briefing in Beijing on Monday, the spokesman said talks were continuing.",
            [("Monday", "DATE", "2021-03-29")],
        ),
        (
            "The European Union imposed sanctions on four officials last week.",
            [("last week", "DATE", "2021-W12")],
        ),
        (
            "The commissioner said last month that the reports required an independent assessment.",
            [("last month", "DATE", "2021-02")],
        ),
        (
            "The talks are expected to resume on Thursday, officials said.",
            [("Thursday", "DATE", "2021-04-01")],
        ),
        (
            "The ceasefire has held for three weeks, the monitors said on Sunday.",
            [("three weeks", "DURATION", "P3W"), ("Sunday", "DATE", "2021-03-28")],
        ),
        (
            "The council meets every Tuesday and publishes its minutes monthly.",
            [("every Tuesday", "SET", "XXXX-WXX-2"), ("monthly", "SET", "P1M")],
        ),
        ("The agreement was signed on March 3, 2019, in Geneva.", [("March 3, 2019", "DATE", "2019-03-03")]),
        ("Protesters gathered at 10 a.m. in the main square.", [("10 a.m.", "TIME", "2021-03-29T10:00")]),
        (
            "The company said profit in the third quarter fell 10% from $5 million a year earlier.",
            [("the third quarter", "DATE", "2020-Q3"), ("a year earlier", "DATE", "2019-Q3")],
        ),
        (
            "Rebels seized the town in 1994. The following year they lost it again.",
            [("1994", "DATE", "1994"), ("The following year", "DATE", "1995")],
        ),
        ("The minister is currently visiting Nairobi.", [("currently", "DATE", "PRESENT_REF")]),
        (
            "The central bank will release the figures at 1630 EST, officials said.",
            [("1630 EST", "TIME", "2021-03-29T16:30")],
        ),
        (
            "The rocket lifted off at 1805 local time on Sunday.",
            [("1805 local time on Sunday", "TIME", "2021-03-28T18:05")],
        ),
        (
            "Net income for the year ended June 30 rose 12% to $40 million, the company said.",
            [("the year", "DURATION", "P1Y"), ("June 30", "DATE", "2020-06-30")],
        ),
        (
            "The company earned $3.2 million in the quarter and expects a loss in the current quarter.",
            [("the quarter", "DATE", "2021-Q1"), ("the current quarter", "DATE", "2021-Q1")],
        ),
        (
            "The offer had been scheduled to expire at midnight Friday.",
            [("midnight Friday", "TIME", "2021-03-26T24:00")],
        ),
        (
            "The tender offer had been due to expire Friday, the bank said.",
            [("Friday", "DATE", "2021-03-26")],
        ),
        (
            "Immigration officials extended the deadline until 9 a.m. Wednesday.",
            [("9 a.m. Wednesday", "TIME", "2021-03-31T09:00")],
        ),
        (
            "The court postponed the hearing until Friday morning.",
            [("Friday morning", "TIME", "2021-04-02TMO")],
        ),
        (
            "In the quarter ended July 31, the retailer had 5.6 million shares outstanding.",
            [("the quarter", "DATE", "2020-Q2"), ("July 31", "DATE", "2020-07-31")],
        ),
        (
            "For the nine months, the bank earned $2 billion, up from $1.7 billion a year earlier.",
            [("the nine months", "DURATION", "P9M"), ("a year earlier", "DATE", "2020")],
        ),
        (
            "The union signed a new labour pact effective Jan. 1, the company said.",
            [("Jan. 1", "DATE", "2022-01-01")],
        ),
        (
            "The chemical maker reported that third-quarter profit grew 19%.",
            [("third-quarter", "DATE", "2020-Q3")],
        ),
        (
            "The merger would dilute earnings by about 9% in both 2022 and 2023, analysts said.",
            [("2022", "DATE", "2022"), ("2023", "DATE", "2023")],
        ),
        (
            "The bank earned $40 million in the fourth quarter, up from $31 million in the year-ago quarter.",
            [("the fourth quarter", "DATE", "2020-Q4"), ("the year-ago quarter", "DATE", "2019-Q4")],
        ),
        (
            "For the first nine months, net was $306 million, against a loss in the 2019 period.",
            [("the first nine months", "DURATION", "P9M"), ("the 2019 period", "DATE", "2019")],
        ),
        (
            "Police have been searching for the gunman since the Oct. 23 shooting.",
            [("Oct. 23", "DATE", "2020-10-23")],
        ),
        (
            "Operating revenue surged 54% in the latest period, the auction house said.",
            [("the latest period", "DATE", "2020-Q4")],
        ),
        ("Most of the victims were in their 30s, police said.", []),
        (
            "The singer, in her late 40s, first toured Europe in the 1980s.",
            [("the 1980s", "DATE", "198")],
        ),
        (
            "Volunteers hand out food every day, and the boy was rescued on Thanksgiving Day.",
            [("every day", "SET", "P1D"), ("Thanksgiving Day", "DATE", "2020-11-26")],
        ),
        # a forecast quarter is not the reported one that "the year-ago period" looks back from
        (
            ("The bank earned $40 million in the fourth quarter and expects a profit in the second quarter of "
             "2022. In the year-ago period it earned $31 million."),
            [("the fourth quarter", "DATE", "2020-Q4"), ("the second quarter of 2022", "DATE", "2022-Q2"),
             ("the year-ago period", "DATE", "2019-Q4")],
        ),
        (
            ("The bank earned $40 million in the fourth quarter, and analysts expect a loss in the current "
             "quarter. Sales rose to $9 million from $7 million a year earlier."),
            [("the fourth quarter", "DATE", "2020-Q4"), ("the current quarter", "DATE", "2021-Q1"),
             ("a year earlier", "DATE", "2019-Q4")],
        ),
        (
            ("The bank earned $40 million in the fourth quarter. In the latest period, interest costs were lower "
             "than a year ago."),
            [("the fourth quarter", "DATE", "2020-Q4"), ("the latest period", "DATE", "2020-Q4"),
             ("a year ago", "DATE", "2019-Q4")],
        ),
        # a possessive weekday names the day of something reported: the one before the article
        (
            "The notes are convertible at a 20% premium over Thursday's closing price.",
            [("Thursday", "DATE", "2021-03-25")],
        ),
        # frequency adjectives are sets
        ("Thousands joined the daily protest outside parliament.", [("daily", "SET", "P1D")]),
        ("Supporters held a nightly vigil outside the hospital.", [("nightly", "SET", "P1D")]),
        # a stretch of months of a year is two expressions; a half of a year is one date
        (
            "Profit for the first nine months of 2020 rose 5%.",
            [("the first nine months", "DURATION", "P9M"), ("2020", "DATE", "2020")],
        ),
        ("Sales in the first half of 2020 fell.", [("the first half of 2020", "DATE", "2020-H1")]),
        # the article of the noun a time expression modifies is outside the extent
        ("The minister began a two-day visit to Kenya.", [("two-day", "DURATION", "P2D")]),
        ("The company said its fourth quarter was weak.", [("fourth quarter", "DATE", "2020-Q4")]),
    ],
)
def test_times_in_sentences(nlp, lexicon, text, expected):
    found = [(t.text, t.type, t.value) for t in run(nlp, lexicon, text)]
    assert found == expected


@pytest.mark.parametrize(
    "text, anchor, expected",
    [
        # a month or weekday placed by the tense becomes the date the story counts on from
        (
            "In March the retailer hired a new chief executive. The following month it put itself up for sale.",
            dt.date(2021, 10, 27),
            [("March", "DATE", "2021-03"), ("The following month", "DATE", "2021-04")],
        ),
        (
            "The hearing was held on Tuesday. He appeared in court again the next morning.",
            dt.date(2021, 3, 25),
            [("Tuesday", "DATE", "2021-03-23"), ("the next morning", "TIME", "2021-03-24TMO")],
        ),
    ],
)
def test_narrative_counts_from_the_last_named_day(nlp, lexicon, text, anchor, expected):
    assert [(t.text, t.type, t.value) for t in run(nlp, lexicon, text, anchor)] == expected


def test_records_carry_offsets_and_anchor(nlp, lexicon):
    text = "Officials said on Saturday that the vote would be held next month."
    found = run(nlp, lexicon, text)
    assert [text[t.start : t.end] for t in found] == [t.text for t in found]
    saturday = found[0]
    assert saturday.precision == "day"
    assert saturday.anchor == "document date 2021-03-29, past tense"


@pytest.mark.parametrize(
    "text",
    [
        "He was born on February 30 and moved away in '98.",
        "The treaty of 1648 ended the war; the next review is due in 2150.",
        "Sales rose 68% to 1,000 units, the 45-year-old chief executive said.",
        "",
        "Monday Monday Monday " * 200,
    ],
)
def test_bad_input_in_sentences_does_not_crash(nlp, lexicon, text):
    for t in run(nlp, lexicon, text):
        year = t.value[:4] if t.value and t.value[:4].isdigit() else None
        assert year is None or 1000 <= int(year) <= MONDAY.year + 100, t


def test_pipeline_fills_times(extract):
    result = extract("China retaliated Saturday, a day after the sanctions were announced.", "2021-03-29")
    assert ("Saturday", "2021-03-27") in [(t.text, t.value) for t in result.times]


def test_version_hashes_the_lexicon(lexicon):
    assert times_module.version(lexicon).startswith(f"{times_module.VERSION}+lexicon-")
