"""Cross-document event deduplication: mentions of one real-world event, from many articles, become one cluster.

Two event mentions report the same event when they have the same modality, the same CAMEO base code, the
same source and the same target (the same actor code, one code refining the other as CHN and CHNGOV, or the
same name when the codes differ: one article may code "Michael Chong" CANLEG and another a wrong country),
dates within `window` days of the cluster's date (1 day when both dates are stated in the text, so a
protest two nights later is another event), and compatible locations (same country, or one unknown). Events with neither actor
are never merged: nothing says they are the same.

Deterministic and incremental: mentions are taken in (date, document, position) order; a mention joins the
best existing cluster (closest date, then most mentions, then smallest id) or founds a new one whose id is
derived from the founding mention, so re-running over the same input gives the same ids. Re-ingesting a
document first removes its memberships. Every membership stores the reason it was merged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from tacitus.store import Store

WINDOW_DAYS = 3  # publication dates: an article may appear days after the event
EXACT_WINDOW_DAYS = 1  # both dates stated in the text ("on Saturday"): a protest two nights later is another event


def mention_id(doc_id: str, event_id: str) -> int:
    """A stable 60-bit integer id for an event mention (GDELT's GLOBALEVENTID is an integer)."""
    digest = hashlib.sha1(f"{doc_id}\x1f{event_id}".encode()).hexdigest()
    return int(digest[:15], 16)


def actor_key(code: str | None, text: str | None) -> str:
    """What an actor is keyed by: its CAMEO code, else its words marked with ~ ("~chinese officials")."""
    if code:
        return code.upper()
    words = normalise(text)
    return "~" + words if words else ""


@dataclass
class Cluster:
    cluster_id: int
    modality: str
    base_code: str
    source_key: str
    target_key: str
    source_name: str
    target_name: str
    date: dt.date
    location_country: str | None
    first_doc_id: str
    first_event_id: str
    date_exact: bool = False
    mentions: int = 1
    new: bool = False


@dataclass(frozen=True)
class Mention:
    """One event mention as dedup sees it."""

    doc_id: str
    event_id: str
    modality: str
    base_code: str
    source_key: str
    target_key: str
    source_name: str  # the named entity (not just any words), so "officials" never matches "officials"
    target_name: str
    date: dt.date
    location_country: str | None
    outlet: str
    date_exact: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Mention:
        return cls(doc_id=row["doc_id"], event_id=row["event_id"], modality=row["modality"] or "asserted",
                   base_code=row["base_code"] or "",
                   source_key=actor_key(row["source_actor_code"], row["source_name"]),
                   target_key=actor_key(row["target_actor_code"], row["target_name"]),
                   source_name=normalise(row["source_entity"]), target_name=normalise(row["target_entity"]),
                   date=row["date"], location_country=row["location_country"], outlet=row["outlet"],
                   date_exact=bool(row.get("date_exact")))


def normalise(name: str | None) -> str:
    """A name as compared across articles: lower-case words without a leading article."""
    words = re.findall(r"\w+", (name or "").lower())
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _same_actor(key: str, name: str, other_key: str, other_name: str) -> str | None:
    """How two actors are the same (same code, one code refining the other, same name); None when not."""
    if not key and not other_key:
        return "-"
    if key and key == other_key:
        return key[1:] + " (as written)" if key.startswith("~") else key
    coded = key and other_key and "~" not in (key[0], other_key[0])
    if coded and key[:3] == other_key[:3] and (key.startswith(other_key) or other_key.startswith(key)):
        return f"{key} ~ {other_key} (one code more specific)"  # China / the Chinese government
    if name and name == other_name:
        return f"{name} (same name; codes {key or '-'} / {other_key or '-'})"
    return None


def match_reason(mention: Mention, cluster: Cluster, window: int) -> str | None:
    """Why this mention belongs to the cluster, or None when it does not."""
    if (mention.modality, mention.base_code) != (cluster.modality, cluster.base_code):
        return None
    if not (mention.source_key or mention.target_key):
        return None
    source = _same_actor(mention.source_key, mention.source_name, cluster.source_key, cluster.source_name)
    target = _same_actor(mention.target_key, mention.target_name, cluster.target_key, cluster.target_name)
    if source is None or target is None:
        return None
    days = abs((mention.date - cluster.date).days)
    window_text = f"window {window}"
    if mention.date_exact and cluster.date_exact:
        window = min(window, EXACT_WINDOW_DAYS)
        window_text = f"window {window}: both dates stated in the text"
    if days > window:
        return None
    country = mention.location_country
    if country and cluster.location_country and country != cluster.location_country:
        return None
    if country and cluster.location_country:
        place = f"same location country {country}"
    else:
        place = "location not contradicted (unknown on one side)"
    return (f"same source {source}, target {target}, base code {mention.base_code} ({mention.modality}); "
            f"date {mention.date} is {days} day(s) from cluster date {cluster.date} ({window_text}); {place}")


class _Index:
    """Clusters reachable by (modality, base code, side, actor code or name, day): a mention only meets the
    clusters dated within the window of its own date."""

    def __init__(self, window: int) -> None:
        self.window = window
        self.entries: dict[tuple[str, str, str, str, int], list[Cluster]] = {}

    @staticmethod
    def _keys(modality: str, base: str, source: tuple[str, str], target: tuple[str, str],
              ) -> set[tuple[str, str, str, str]]:
        keys = {(modality, base, "s", v) for v in source if v}
        keys |= {(modality, base, "t", v) for v in target if v}
        # a code also files under its first three letters, where "CHN" meets "CHNGOV"
        keys |= {(modality, base, side + "3", code[:3]) for side, code in (("s", source[0]), ("t", target[0]))
                 if code and not code.startswith("~")}
        return keys

    def add(self, cluster: Cluster) -> None:
        day = cluster.date.toordinal()
        for key in self._keys(cluster.modality, cluster.base_code, (cluster.source_key, cluster.source_name),
                              (cluster.target_key, cluster.target_name)):
            self.entries.setdefault((*key, day), []).append(cluster)

    def candidates(self, m: Mention) -> list[Cluster]:
        found: dict[int, Cluster] = {}
        day = m.date.toordinal()
        for key in self._keys(m.modality, m.base_code, (m.source_key, m.source_name),
                              (m.target_key, m.target_name)):
            for offset in range(-self.window, self.window + 1):
                for cluster in self.entries.get((*key, day + offset), ()):
                    found[cluster.cluster_id] = cluster
        return list(found.values())


def assign(mentions: list[Mention], candidates: list[Cluster], *, window: int = WINDOW_DAYS,
           ) -> tuple[list[Cluster], list[dict[str, Any]]]:
    """Put each mention (in order) into the best matching cluster or a new one; returns (new clusters, members)."""
    index = _Index(window)
    for cluster in candidates:
        index.add(cluster)
    members: list[dict[str, Any]] = []
    created: list[Cluster] = []
    for mention in mentions:
        best: tuple[tuple[int, int, int], Cluster, str] | None = None
        for cluster in index.candidates(mention):
            reason = match_reason(mention, cluster, window)
            if reason is None:
                continue
            rank = (abs((mention.date - cluster.date).days), -cluster.mentions, cluster.cluster_id)
            if best is None or rank < best[0]:
                best = (rank, cluster, reason)
        if best is not None:
            _, cluster, reason = best
            cluster.mentions += 1
            if cluster.new and not cluster.location_country:
                cluster.location_country = mention.location_country
        else:
            cluster = Cluster(cluster_id=mention_id(mention.doc_id, mention.event_id), modality=mention.modality,
                              base_code=mention.base_code, source_key=mention.source_key,
                              target_key=mention.target_key, source_name=mention.source_name,
                              target_name=mention.target_name, date=mention.date,
                              location_country=mention.location_country, first_doc_id=mention.doc_id,
                              first_event_id=mention.event_id, date_exact=mention.date_exact, new=True)
            created.append(cluster)
            if mention.source_key or mention.target_key:  # a mention without actors stays alone
                index.add(cluster)
            reason = "founded the cluster (first mention)"
        members.append({"cluster_id": cluster.cluster_id, "doc_id": mention.doc_id, "event_id": mention.event_id,
                        "date": mention.date, "outlet": mention.outlet, "reason": reason})
    return created, members


_CLUSTER_SCHEMA = pa.schema([
    ("cluster_id", pa.int64()), ("modality", pa.string()), ("base_code", pa.string()), ("source_key", pa.string()),
    ("target_key", pa.string()), ("source_name", pa.string()), ("target_name", pa.string()), ("date", pa.date32()),
    ("date_exact", pa.bool_()), ("first_date", pa.date32()), ("last_date", pa.date32()),
    ("location_country", pa.string()), ("first_doc_id", pa.string()), ("first_event_id", pa.string()),
    ("num_mentions", pa.int32()), ("num_sources", pa.int32()), ("num_articles", pa.int32()),
    ("avg_tone", pa.float64()),
])
_CLUSTER_FIELDS = ("cluster_id", "modality", "base_code", "source_key", "target_key", "source_name", "target_name",
                   "date", "date_exact", "location_country", "first_doc_id", "first_event_id")
_MEMBER_SCHEMA = pa.schema([
    ("cluster_id", pa.int64()), ("doc_id", pa.string()), ("event_id", pa.string()), ("date", pa.date32()),
    ("outlet", pa.string()), ("reason", pa.string()),
])


def update_clusters(store: Store, doc_ids: list[str], *, window: int = WINDOW_DAYS) -> None:
    """Cluster the event mentions of these (newly written) documents into the store's event clusters."""
    if not doc_ids:
        return
    touched = store.remove_cluster_members(doc_ids)
    mentions = [Mention.from_row(r) for r in store.cluster_inputs(doc_ids)]
    if not mentions and not touched:
        return
    candidates: list[Cluster] = []
    if mentions:
        blocks = sorted({(m.modality, m.base_code) for m in mentions})
        since = min(m.date for m in mentions) - dt.timedelta(days=window)
        until = max(m.date for m in mentions) + dt.timedelta(days=window)
        candidates = [Cluster(**{k: c[k] for k in _CLUSTER_FIELDS}, mentions=c["num_mentions"] or 0)
                      for c in store.cluster_candidates(blocks, since, until)]
    created, members = assign(mentions, candidates, window=window)
    clusters = pa.Table.from_pylist(
        [{k: getattr(c, k) for k in _CLUSTER_FIELDS} | {"first_date": c.date, "last_date": c.date,
                                                       "num_mentions": 0, "num_sources": 0, "num_articles": 0,
                                                       "avg_tone": None} for c in created], schema=_CLUSTER_SCHEMA)
    store.save_clusters(clusters, pa.Table.from_pylist(members, schema=_MEMBER_SCHEMA), touched)


def rebuild_clusters(store: Store, *, window: int = WINDOW_DAYS) -> dict[str, int]:
    """Drop every cluster and cluster the whole store again (after changing the window or the rules)."""
    store.clear_clusters()
    update_clusters(store, sorted(store.known_documents()), window=window)
    return store.cluster_summary()
