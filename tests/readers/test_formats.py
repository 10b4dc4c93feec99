"""Each input format read into Documents: fields, dates, ids, metadata path and line."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from tacitus.readers import parse_date, read_paths, text_hash
from tacitus.schema import Document, Failure

D = dt.date
STORY = ("Ministers from Chile and Peru met in Lima on Tuesday to discuss fishing rights, officials said.\n\n"
         '"We made progress," the Chilean minister told reporters.')


def read(path, **options) -> list[Document | Failure]:
    return list(read_paths([path], **options))


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.mark.parametrize("content, date, text_start", [
    ("date 2023-05-15\n" + STORY, D(2023, 5, 15), "Ministers from Chile"),
    (" date 2023-05-15 " + STORY, D(2023, 5, 15), "Ministers from Chile"),  # same line, leading space
    ("\n  date 2023-05-15\n\n" + STORY, D(2023, 5, 15), "Ministers from Chile"),
    ("Date: 2023-5-7\n" + STORY, D(2023, 5, 7), "Ministers from Chile"),
    ("date 15 May 2023\n" + STORY, D(2023, 5, 15), "Ministers from Chile"),  # any clear date alone on its line
    ("\ufeffdate 2023-05-15\r\n" + STORY.replace("\n", "\r\n"), D(2023, 5, 15), "Ministers from Chile"),
])
def test_dated_text(tmp_path, content, date, text_start):
    (doc,) = read(write(tmp_path, "a.txt", content))
    assert isinstance(doc, Document), doc
    assert doc.date == date
    assert doc.text.startswith(text_start)
    assert "date" not in doc.text[:5].lower() and "\r" not in doc.text
    assert doc.text.endswith("told reporters.")
    assert doc.metadata == {"path": str(tmp_path / "a.txt")}
    assert doc.id == text_hash(doc.text)


@pytest.mark.parametrize("content, default, expected, text_start", [
    (STORY, D(2024, 1, 2), D(2024, 1, 2), "Ministers from Chile"),  # plain text takes --date
    ("Date palms line the road to Basra. " + STORY, D(2024, 1, 2), D(2024, 1, 2), "Date palms"),
    ("date 2023-05-15\n" + STORY, D(2024, 1, 2), D(2023, 5, 15), "Ministers from Chile"),  # own date wins
])
def test_plain_text_uses_default_date(tmp_path, content, default, expected, text_start):
    (doc,) = read(write(tmp_path, "a.txt", content), default_date=default)
    assert isinstance(doc, Document)
    assert doc.date == expected
    assert doc.text.startswith(text_start)


def test_jsonl_fields_metadata_and_lines(tmp_path):
    records = [
        {"id": "a1", "date": "2023-05-15T09:30:00Z", "text": STORY, "title": "Fishing talks", "url": "https://x.test/1",
         "source": "Example Wire", "section": "world", "tags": ["chile", "peru"]},
        {"id": 7, "published": "Mon, 15 May 2023 10:00:00 GMT", "body": STORY + " Again.", "headline": "H",
         "link": "https://x.test/2", "publisher": {"name": "Daily Example"}},
    ]
    path = write(tmp_path, "news.jsonl", json.dumps(records[0]) + "\n\n" + json.dumps(records[1]) + "\n")
    first, second = read(path)
    assert (first.id, first.date, first.title, first.url, first.source) == (
        "a1", D(2023, 5, 15), "Fishing talks", "https://x.test/1", "Example Wire")
    assert first.metadata == {"section": "world", "tags": ["chile", "peru"], "path": str(path), "line": 1}
    assert (second.id, second.date, second.title, second.url, second.source) == (
        "7", D(2023, 5, 15), "H", "https://x.test/2", "Daily Example")
    assert second.metadata["line"] == 3


def test_json_list_and_single_object(tmp_path):
    one = {"date": "2023-05-15", "text": STORY}
    (doc,) = read(write(tmp_path, "one.json", json.dumps(one)))
    assert doc.date == D(2023, 5, 15) and doc.id == text_hash(STORY)
    docs = read(write(tmp_path, "many.json", json.dumps([one, {"text": STORY}, 3])))
    assert isinstance(docs[0], Document) and docs[0].metadata["index"] == 0
    assert isinstance(docs[1], Failure) and docs[1].reason.startswith("record 1: no date")
    assert isinstance(docs[2], Failure) and "found a number" in docs[2].reason


def test_csv_rows_with_quoted_newlines_and_extra_fields(tmp_path):
    content = ('id,date,title,text,source,section\n'
               'c1,2023-05-15,First,"Line one of the story.\n\nLine two, with a comma.",Wire,world\n'
               'c2,15/05/2023,Second,Short story about talks in Lima.,Wire,world,surplus\n')
    path = write(tmp_path, "news.csv", content)
    first, second = read(path)
    assert first.text == "Line one of the story.\n\nLine two, with a comma."
    assert (first.id, first.date, first.title, first.source) == ("c1", D(2023, 5, 15), "First", "Wire")
    assert first.metadata == {"section": "world", "path": str(path), "line": 2}
    assert second.metadata["line"] == 5  # the quoted field above spans lines 2-4
    assert second.metadata["_extra"] == ["surplus"]


def test_tsv(tmp_path):
    path = write(tmp_path, "news.tsv", "date\tcontent\n2023-05-15\tTalks resumed in Geneva on Friday.\n")
    (doc,) = read(path)
    assert doc.text == "Talks resumed in Geneva on Friday." and doc.date == D(2023, 5, 15)


HTML = """<html><head><title>Ministers meet in Oslo | Example News</title>
<meta property="article:published_time" content="2023-05-15T08:00:00Z">
<meta property="og:title" content="Ministers meet in Oslo">
<meta property="og:site_name" content="Example News"></head>
<body><nav>Home | World | Sport</nav><article><h1>Ministers meet in Oslo</h1>
<p>Foreign ministers from Norway and Sweden met in Oslo on Monday to discuss energy security and the
protection of undersea cables, officials from both governments said after the meeting.</p>
<p>"We agreed on a common approach to the protection of our infrastructure," the Norwegian minister told
reporters after the talks, which lasted four hours and ended with a joint statement.</p></article>
<footer>Copyright 2020 Example News. All rights reserved.</footer></body></html>"""


def test_html_main_text_title_and_date(tmp_path):
    (doc,) = read(write(tmp_path, "page.html", HTML))
    assert isinstance(doc, Document), doc
    assert doc.date == D(2023, 5, 15)
    assert doc.title == "Ministers meet in Oslo"
    assert doc.source == "Example News"
    assert doc.text.startswith("Foreign ministers from Norway")
    assert "Copyright" not in doc.text and "Sport" not in doc.text


def test_html_without_date_needs_default(tmp_path):
    undated = HTML.replace('<meta property="article:published_time" content="2023-05-15T08:00:00Z">', "")
    path = write(tmp_path, "page.htm", undated)
    (problem,) = read(path)
    assert isinstance(problem, Failure) and "--date" in problem.reason
    (doc,) = read(path, default_date=D(2024, 2, 1))
    assert doc.date == D(2024, 2, 1)


@pytest.mark.parametrize("name, content", [
    ("a.txt.gz", "date 2023-05-15\n" + STORY),
    ("a.jsonl.gz", json.dumps({"date": "2023-05-15", "text": STORY}) + "\n"),
    ("a.csv.gz", 'date,text\n2023-05-15,"' + STORY.replace('"', '""') + '"\n'),
    ("a.html.gz", HTML),
])
def test_gzip_of_each_format(tmp_path, name, content):
    (doc,) = read(write(tmp_path, name, gzip.compress(content.encode("utf-8"))))
    assert isinstance(doc, Document), doc
    assert doc.date == D(2023, 5, 15)


def test_same_text_same_id_in_every_format(tmp_path):
    txt = read(write(tmp_path, "a.txt", "date 2023-05-15\n" + STORY))[0]
    jsonl = read(write(tmp_path, "a.jsonl", json.dumps({"date": "2023-05-15", "text": STORY + "\n"})))[0]
    assert txt.id == jsonl.id


def test_id_hash_matches_pipeline():
    from tacitus import pipeline

    for text in [STORY, "  Spaced \n\n text\t", "Caf\u00e9 vs Cafe\u0301"]:
        assert text_hash(text) == pipeline.text_hash(text)


def test_duplicate_ids_both_flow(tmp_path):
    lines = [{"id": "dup", "date": "2023-05-15", "text": "First version of the story."},
             {"id": "dup", "date": "2023-05-16", "text": "Second version of the story."}]
    path = write(tmp_path, "dup.jsonl", "\n".join(json.dumps(r) for r in lines))
    docs = read(path)
    assert [(d.id, d.metadata["line"]) for d in docs] == [("dup", 1), ("dup", 2)]


def test_directory_walk_sorted_recursive_hidden_skipped(tmp_path):
    write(tmp_path, "b.txt", "date 2023-05-02\nSecond story from Rome.")
    write(tmp_path, "a.txt", "date 2023-05-01\nFirst story from Paris.")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "c.jsonl", json.dumps({"date": "2023-05-03", "text": "Third story from Bonn."}))
    write(tmp_path, ".hidden.txt", "date 2023-05-04\nHidden story.")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git", "d.txt", "date 2023-05-05\nStory in a hidden folder.")
    write(tmp_path, "notes.pdf", b"%PDF-1.4")
    write(tmp_path, "z.txt", "date 2023-05-06\nLast story from Oslo.")
    docs = read(tmp_path)
    assert [d.date.day for d in docs] == [1, 2, 3, 6]
    # explicit paths keep their order and an unsupported file is reported, not skipped
    items = list(read_paths([tmp_path / "z.txt", tmp_path / "notes.pdf", tmp_path / "a.txt"]))
    assert isinstance(items[1], Failure) and "unsupported file type .pdf" in items[1].reason
    assert [i.date.day for i in items if isinstance(i, Document)] == [6, 1]


TEXT_1252 = "date 2023-05-15\nThe minister\u2019s aide said the caf\u00e9 talks in S\u00e3o Paulo were \u201cconstructive\u201d \u2013 and would go on."


@pytest.mark.parametrize("name, data", [
    ("utf8.txt", TEXT_1252.encode("utf-8")),
    ("utf8sig.txt", TEXT_1252.encode("utf-8-sig")),
    ("cp1252.txt", TEXT_1252.encode("cp1252")),
    ("utf16.txt", TEXT_1252.encode("utf-16")),
])
def test_encodings(tmp_path, name, data):
    (doc,) = read(write(tmp_path, name, data))
    assert doc.text == TEXT_1252.split("\n", 1)[1]


def test_mixed_encodings_in_one_directory(tmp_path):
    latin = "date 2023-05-15\nEl ministro de Econom\u00eda dijo que la reuni\u00f3n en Bogot\u00e1 fue \u00fatil."
    write(tmp_path, "1.txt", TEXT_1252.encode("utf-8"))
    write(tmp_path, "2.txt", TEXT_1252.encode("utf-8-sig"))
    write(tmp_path, "3.txt", TEXT_1252.encode("cp1252"))
    write(tmp_path, "4.txt", latin.encode("latin-1"))
    docs = read(tmp_path)
    assert [d.text for d in docs] == [TEXT_1252.split("\n", 1)[1]] * 3 + [latin.split("\n", 1)[1]]


def test_mixed_encodings_in_one_file(tmp_path):
    utf8 = json.dumps({"date": "2023-05-15", "text": "Talks in S\u00e3o Paulo \u201cwent well\u201d."}, ensure_ascii=False)
    cp1252 = json.dumps({"date": "2023-05-15", "text": "Se\u00f1or M\u00fcller said \u201cno\u201d."}, ensure_ascii=False)
    path = write(tmp_path, "mixed.jsonl", utf8.encode("utf-8") + b"\n" + cp1252.encode("cp1252") + b"\n")
    assert [d.text for d in read(path)] == [
        "Talks in S\u00e3o Paulo \u201cwent well\u201d.", "Se\u00f1or M\u00fcller said \u201cno\u201d."]


@pytest.mark.parametrize("value, expected", [
    ("2023-05-15", D(2023, 5, 15)),
    ("2023-05-15T23:30:00-05:00", D(2023, 5, 15)),  # the publication's local date
    ("2023-05-15 12:00:00 +0200 (CEST)", D(2023, 5, 15)),
    ("Mon, 15 May 2023 10:00:00 GMT", D(2023, 5, 15)),
    ("May 15, 2023", D(2023, 5, 15)),
    ("15 May 2023", D(2023, 5, 15)),
    ("2023/05/15", D(2023, 5, 15)),
    ("15/05/2023", D(2023, 5, 15)),
    ("26-FEB-1987 15:01:01.79", D(1987, 2, 26)),
    (1684108800, D(2023, 5, 15)),
    (1684108800000, D(2023, 5, 15)),
    ("yesterday-ish", None),
    ("yesterday", None),
    ("last Monday", None),
    ("May 2023", None),
    ("May 15", None),
    ("2023", None),
    ("2023-02-30", None),
    ("12345", None),
    ("", None),
    (None, None),
    (True, None),
    ("0001-01-01", None),
])
def test_parse_date_is_strict(value, expected):
    assert parse_date(value) == expected
