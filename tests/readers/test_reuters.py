"""The Reuters-21578 SGML reader on a snippet written for this test, and on the real corpus when present."""

from __future__ import annotations

import datetime as dt
import time

from tacitus.readers import read_paths
from tacitus.schema import Document, Failure
from tests.conftest import shared_path

# Written in the layout of the corpus files (not copied from them); a cp1252 byte (0xfc) in the middle.
SNIPPET = b"""<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="9001" NEWID="101">
<DATE> 3-MAR-1987 14:22:05.11</DATE>
<TOPICS><D>trade</D><D>grain</D></TOPICS>
<PLACES><D>japan</D><D>usa</D></PLACES>
<PEOPLE></PEOPLE>
<ORGS></ORGS>
<EXCHANGES></EXCHANGES>
<COMPANIES></COMPANIES>
<UNKNOWN>&#5;&#5;&#5;G
&#22;&#22;&#1;f0101&#31;reute
r f BC-JAPAN-RICE-TALKS   03-03 0090</UNKNOWN>
<TEXT>&#2;
<TITLE>JAPAN REJECTS U.S. DEMAND TO OPEN RICE MARKET</TITLE>
<DATELINE>    TOKYO, March 3 - </DATELINE><BODY>Japan rejected a U.S. demand to open its
rice market to imports, Agriculture Minister Kenji Tamura told
reporters after talks with U.S. &lt;Trade Representative&gt; officials.
    "We cannot accept imports of rice," Tamura said, adding that
the talks with &lt;Cargill Inc> and other exporters would go on
next week in M\xfcnchen.
    U.S. officials said Washington would consider sanctions.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TEST" CGISPLIT="TRAINING-SET" OLDID="9002" NEWID="102">
<DATE> 3-MAR-1987 14:25:00.00</DATE>
<TOPICS></TOPICS>
<TEXT TYPE="BRIEF">&#2;
******<TITLE>FRANCE TO EXPEL TWO DIPLOMATS - OFFICIAL
</TITLE>Blah blah blah.
&#3;

</TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TEST" CGISPLIT="TRAINING-SET" OLDID="9003" NEWID="103">
<DATE> 3-MAR-1987 14:26:00.00</DATE>
<TEXT TYPE="UNPROC">&#2;
WEEKLY GRAIN EXPORT INSPECTIONS
 Wheat.........12.1 vs.....11.9
&#3;</TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TEST" CGISPLIT="TRAINING-SET" OLDID="9004" NEWID="104">
<DATE>bad date</DATE>
<TEXT>&#2;
<TITLE>NO DATE STORY</TITLE>
<BODY>A story whose date cannot be read.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
"""


def test_reuters_snippet(tmp_path):
    path = tmp_path / "reut2-999.sgm"
    path.write_bytes(SNIPPET)
    story, brief, table, undated = list(read_paths([path]))
    assert isinstance(story, Document)
    assert story.id == "reuters-101"
    assert story.date == dt.date(1987, 3, 3)
    assert story.title == "JAPAN REJECTS U.S. DEMAND TO OPEN RICE MARKET"
    assert story.source == "Reuters"
    assert story.text == (
        "Japan rejected a U.S. demand to open its rice market to imports, Agriculture Minister Kenji Tamura "
        "told reporters after talks with U.S. Trade Representative officials.\n\n"
        '"We cannot accept imports of rice," Tamura said, adding that the talks with Cargill Inc and other '
        "exporters would go on next week in M\u00fcnchen.\n\n"
        "U.S. officials said Washington would consider sanctions.")
    assert story.metadata == {"dateline": "TOKYO, March 3", "topics": ["trade", "grain"], "places": ["japan", "usa"],
                              "lewissplit": "TRAIN", "oldid": "9001", "path": str(path), "line": 2}
    assert isinstance(brief, Failure) and brief.line == 25 and brief.doc_id == "reuters-102"
    assert brief.reason == "reuters-102 has no <BODY>: a headline-only brief"
    assert isinstance(table, Failure) and "unprocessed story" in table.reason
    assert isinstance(undated, Failure) and undated.reason.startswith('no usable date ("bad date")')
    (dated,) = [d for d in read_paths([path], default_date=dt.date(1987, 3, 4)) if isinstance(d, Document)][1:]
    assert dated.id == "reuters-104" and dated.text == "A story whose date cannot be read."


def test_reuters_corpus_every_story_seen():
    folder = shared_path("corpus", "reuters21578")
    start = time.perf_counter()
    documents = failures = 0
    reasons: set[str] = set()
    for item in read_paths([folder]):
        if isinstance(item, Document):
            documents += 1
        else:
            failures += 1
            reasons.add(item.reason.split(": ", 1)[-1])
    assert documents + failures == 21_578
    assert documents > 19_000
    assert reasons == {"a headline-only brief", "an unprocessed story (usually a table)"}
    assert time.perf_counter() - start < 120  # ~3 s on one core; a guard, not a benchmark
