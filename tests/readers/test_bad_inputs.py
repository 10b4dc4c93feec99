"""Bad inputs become Failures naming the file (and line) with a reason for people; the rest goes on."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
import time

import pytest

from tacitus.readers import format_failure, read_paths
from tacitus.schema import Document, Failure


def read(path, **options) -> list[Document | Failure]:
    return list(read_paths([path], **options))


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.jsonl", b"  \n\n \r\n", "empty file"),
    ("bom-only.csv", b"\xef\xbb\xbf\r\n", "empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "binary file (contains NUL bytes), not text"),
    ("noise.csv", bytes(range(128, 256)) * 40, "binary or undecodable file"),
    ("random.txt", random.Random(7).randbytes(20_000).replace(b"\x00", b"\x01"), "binary or undecodable file"),
    ("nodate.txt", "Talks resumed in Geneva on Friday.", 'no date line ("date YYYY-MM-DD" first) and no --date'),
    ("baddate.txt", "date 2023-02-30\nTalks resumed in Geneva.", 'bad date line ("date 2023-02-30")'),
    ("baddate2.txt", "date 31/31/2023\nTalks resumed in Geneva.", 'bad date line ("date 31/31/2023")'),
    ("onlydate.txt", "date 2023-05-15\n\n", "no text after the date line"),
    ("bad.gz.txt.gz", b"not gzip at all", "not a valid gzip file"),
    ("empty.txt.gz", gzip.compress(b""), "empty file"),
    ("page.html", "<html><head><title>x</title></head><body><div></div></body></html>", "no article text found"),
    ("list.json", "[1, 2", "not valid JSON"),
    ("notext.csv", "id,date,headline\n1,2023-05-15,Hello\n", "no text column in the header (id, date, headline)"),
    ("nostories.sgm", "<!DOCTYPE lewis>\n", "no <REUTERS> story"),
    ("notes.docx", b"PK\x03\x04", "unsupported file type .docx"),
])
def test_bad_file_is_one_failure(tmp_path, name, content, reason):
    path = write(tmp_path, name, content)
    (problem,) = read(path)
    assert isinstance(problem, Failure)
    assert problem.stage == "read" and problem.path == str(path)
    assert reason in problem.reason, problem.reason


def test_missing_path(tmp_path):
    (problem,) = read(tmp_path / "nowhere.txt")
    assert problem.reason == "no such file or directory"


def test_bad_json_lines_are_named_and_the_rest_goes_on(tmp_path):
    lines = [
        json.dumps({"id": "ok1", "date": "2023-05-15", "text": "Talks opened in Vienna."}),
        '{"id": "broken", "date": "2023-05-15", "text": "unterminated}',
        "[1, 2, 3]",
        json.dumps({"id": "nodate", "text": "A story without a date."}),
        json.dumps({"id": "vague", "date": "yesterday-ish", "text": "A story with a vague date."}),
        json.dumps({"id": "notext", "date": "2023-05-15", "title": "Headline only"}),
        json.dumps({"id": "listtext", "date": "2023-05-15", "text": ["a", "b"]}),
        json.dumps({"id": "ok2", "date": "2023-05-16", "text": "Talks closed in Vienna."}),
    ]
    path = write(tmp_path, "news.jsonl", "\n".join(lines) + "\n")
    items = read(path)
    assert [i.id for i in items if isinstance(i, Document)] == ["ok1", "ok2"]
    failures = [(f.line, f.reason) for f in items if isinstance(f, Failure)]
    assert failures == [
        (2, "not valid JSON (Unterminated string starting at column 48)"),
        (3, "expected a JSON object, found a list"),
        (4, "no date; give the record a date or pass --date"),
        (5, 'no usable date ("yesterday-ish"); give the record a date or pass --date'),
        (6, "no text field"),
        (7, "the text field is a list, not a string"),
    ]
    assert format_failure(items[4]) == (
        f'{path}:5: no usable date ("yesterday-ish"); give the record a date or pass --date')


def test_default_date_rescues_a_vague_date_and_keeps_it(tmp_path):
    path = write(tmp_path, "news.jsonl", json.dumps({"date": "yesterday-ish", "text": "Talks in Vienna."}))
    (doc,) = read(path, default_date=dt.date(2023, 5, 15))
    assert doc.date == dt.date(2023, 5, 15) and doc.metadata["unparsed_date"] == "yesterday-ish"


def test_csv_row_without_date_names_its_line(tmp_path):
    content = ("id,date,text\n"
               "r1,2023-05-15,Talks opened in Vienna.\n"
               "r2,,A row without a date.\n"
               "\n"
               "r3,2023-05-16,\"A quoted\nmulti-line row.\"\n"
               "r4,someday,A row with a bad date.\n")
    items = read(write(tmp_path, "news.csv", content))
    assert [(type(i).__name__, i.metadata["line"] if isinstance(i, Document) else i.line) for i in items] == [
        ("Document", 2), ("Failure", 3), ("Document", 5), ("Failure", 7)]
    assert items[1].reason == "no date; give the record a date or pass --date"
    assert items[3].reason.startswith('no usable date ("someday")')


def _big_story(size: int) -> str:
    paragraph = ("Negotiators from the two countries met again in Geneva on Tuesday, officials said, "
                 "and agreed to continue the talks next week. ") * 8 + "\n\n"
    return paragraph * (size // len(paragraph) + 1)


@pytest.mark.parametrize("name", ["big.txt", "big.jsonl", "big.csv"])
def test_twenty_megabyte_document(tmp_path, name):
    story = _big_story(20_000_000)
    if name.endswith(".txt"):
        content = "date 2023-05-15\n" + story
    elif name.endswith(".jsonl"):
        content = json.dumps({"id": "big", "date": "2023-05-15", "text": story}) + "\n"
    else:
        content = 'id,date,text\nbig,2023-05-15,"' + story + '"\n'
    path = write(tmp_path, name, content)
    start = time.perf_counter()
    (doc,) = read(path)
    elapsed = time.perf_counter() - start
    assert isinstance(doc, Document), doc
    assert len(doc.text) == len(story.strip())
    assert elapsed < 60  # a guard against quadratic work, not a benchmark (~1 s on one core)
