"""Cross-document event deduplication: rules, determinism, incremental updates, and a small gold test set."""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import json
from pathlib import Path

import pytest

from tacitus.dedup import Cluster, Mention, assign, mention_id, rebuild_clusters, update_clusters
from tacitus.pipeline import text_hash
from tacitus.schema import Document, Failure
from tacitus.store import Store
from tests.export.factory import story, write

STORIES = Path(__file__).parent / "data" / "dedup" / "stories.jsonl"


def mention(doc: str, *, source: str = "CHN", target: str = "USA", base: str = "163", date: str = "2021-03-27",
            country: str | None = None, modality: str = "asserted", outlet: str | None = None,
            source_name: str = "", target_name: str = "", exact: bool = False) -> Mention:
    return Mention(doc_id=doc, event_id="V1", modality=modality, base_code=base, source_key=source,
                   target_key=target, source_name=source_name, target_name=target_name,
                   date=dt.date.fromisoformat(date), location_country=country, outlet=outlet or doc, date_exact=exact)


@pytest.mark.parametrize("second, merged", [
    (mention("b"), True),
    (mention("b", date="2021-03-29"), True),                         # 2 days: inside the 3-day window
                                                                     # (one date is the publication date)
    (mention("b", date="2021-04-02"), False),                        # 6 days: another event
    (mention("b", base="172"), False),                               # another kind of event
    (mention("b", target="CAN"), False),                             # another target
    (mention("b", source="USA", target="CHN"), False),               # direction matters
    (mention("b", country="CHN"), True),                             # first has no location: compatible
    (mention("b", modality="negated"), False),                       # "did not impose" is not "imposed"
    (mention("b", target="CANLEG", target_name="michael chong"), True),  # same named target, codes differ
    (mention("b", source="CHNGOV"), True),                           # China / the Chinese government
    (mention("b", source="CHNMIL", target="USAGOV"), True),
    (mention("b", source="CHL"), False),                             # another country
    (mention("b", source="~chinese officials"), False),              # words are not a code
    (mention("b", date="2021-03-29", exact=True), False),            # both dates stated: 2 days is too far
    (mention("b", date="2021-03-28", exact=True), True),
])
def test_merge_rules(second, merged):
    first = mention("a", target="USA", target_name="michael chong", exact=True)
    created, members = assign([first, second], [])
    assert (members[0]["cluster_id"] == members[1]["cluster_id"]) is merged
    assert len(created) == (1 if merged else 2)
    if merged:
        assert "same source" in members[1]["reason"] and "(window " in members[1]["reason"]
    assert members[0]["reason"].startswith("founded")


def test_locations_in_different_countries_are_not_merged():
    created, _ = assign([mention("a", country="CHN"), mention("b", country="USA")], [])
    assert len(created) == 2


def test_mentions_without_actors_stay_alone():
    created, _ = assign([mention("a", source="", target=""), mention("b", source="", target="")], [])
    assert len(created) == 2


def test_cluster_id_is_the_founding_mention_id_and_deterministic():
    batch = [mention("a"), mention("b"), mention("c", date="2021-04-20")]
    first = assign(batch, [])
    again = assign(batch, [])
    assert [c.cluster_id for c in first[0]] == [c.cluster_id for c in again[0]]
    assert first[0][0].cluster_id == mention_id("a", "V1")


def test_new_mention_joins_existing_cluster_closest_date():
    old = [Cluster(cluster_id=1, modality="asserted", base_code="163", source_key="CHN", target_key="USA",
                   source_name="", target_name="", date=dt.date(2021, 3, 25), location_country=None,
                   first_doc_id="x", first_event_id="V1", mentions=3),
           Cluster(cluster_id=2, modality="asserted", base_code="163", source_key="CHN", target_key="USA",
                   source_name="", target_name="", date=dt.date(2021, 3, 28), location_country=None,
                   first_doc_id="y", first_event_id="V1", mentions=1)]
    created, members = assign([mention("n", date="2021-03-27")], old)
    assert created == [] and members[0]["cluster_id"] == 2


SANCTIONS = 'China imposed sanctions on the United States on Monday, "a firm answer", a spokesman said.'


def test_store_clusters_are_incremental_and_counted(tmp_path):
    events = [("China", "163", "imposed", "United States", "CHN>USA")]
    with Store(tmp_path / "d.duckdb") as store:
        write(store, [story("a", "2021-03-22", SANCTIONS, events, source="Wire One"),
                      story("b", "2021-03-22", SANCTIONS, events, source="Wire One")])
        update_clusters(store, ["a", "b"])
        (row,) = store.cluster_page({}, limit=5)
        assert (row["num_mentions"], row["num_sources"], row["num_articles"]) == (2, 1, 2)
        # a later batch: a third article from another outlet joins the same cluster
        write(store, [story("c", "2021-03-23", SANCTIONS, events, source="Wire Two", event_date="2021-03-23")])
        update_clusters(store, ["c"])
        (row,) = store.cluster_page({}, limit=5)
        assert (row["num_mentions"], row["num_sources"], row["num_articles"]) == (3, 2, 3)
        members = store.cluster_mentions(row["cluster_id"])
        assert [m["doc_id"] for m in members] == ["a", "b", "c"]
        assert "1 day(s) from cluster date 2021-03-22" in members[2]["reason"]
        # re-ingesting a document replaces its membership instead of counting it twice
        update_clusters(store, ["c"])
        (row,) = store.cluster_page({}, limit=5)
        assert row["num_mentions"] == 3
        summary = rebuild_clusters(store)
        assert summary == {"mentions": 3, "clusters": 1, "merged": 1}
        assert store.cluster_page({}, limit=5)[0]["cluster_id"] == row["cluster_id"]


def _pairs(groups: dict[object, set[str]]) -> set[tuple[str, str]]:
    return {pair for docs in groups.values() for pair in itertools.combinations(sorted(docs), 2)}


@pytest.mark.slow
def test_dedup_test_set_precision_recall(pipeline, tmp_path):
    """18 wire stories about 7 events from different outlets; two pairs of events share their actors (expulsions
    ten weeks apart, arrests of protesters on two nights two days apart)."""
    rows = [json.loads(line) for line in STORIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = [Document(id=r["id"], date=dt.date.fromisoformat(r["date"]), title=r["title"], source=r["source"],
                     url=r["url"], text=r["text"]) for r in rows]
    results = list(pipeline.run(docs))
    extractions = [r for r in results if not isinstance(r, Failure)]
    assert len(extractions) == len(docs)
    with Store(tmp_path / "gold.duckdb") as store:
        for half in (extractions[:9], extractions[9:]):  # two batches: the second joins clusters of the first
            store.write(half, hashes={e.document.id: text_hash(e.document.text) for e in half})
            update_clusters(store, [e.document.id for e in half])
        predicted = {c["cluster_id"]: {m["doc_id"] for m in store.cluster_mentions(c["cluster_id"])}
                     for c in store.cluster_page({}, limit=10_000)}
    gold: dict[object, set[str]] = collections.defaultdict(set)
    for r in rows:
        gold[r["event"]].add(r["id"])
    found, expected = _pairs(dict(predicted)), _pairs(gold)
    precision = len(found & expected) / max(1, len(found))
    recall = len(found & expected) / len(expected)
    print(f"\ndedup test set: {len(expected)} gold pairs, {len(found)} merged, precision {precision:.2f}, "
          f"recall {recall:.2f}")
    assert precision >= 0.9 and recall >= 0.7
