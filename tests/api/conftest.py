"""A real DuckDB file and a real uvicorn server on 127.0.0.1 for the API and browser tests.

The database holds the project's examples/ run through the real pipeline (the session `pipeline` fixture),
plus one hand-written wire story whose records are written out by hand, so filter tests know exactly which
events must come back whatever the extractors find today.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from tacitus.api.app import create_app
from tacitus.pipeline import text_hash
from tacitus.readers import read_paths
from tacitus.schema import (
    Actor,
    Document,
    Entity,
    Event,
    EventActor,
    Extraction,
    Mention,
    Place,
    Plover,
    Quote,
    SentenceSpan,
    Span,
    Speaker,
)
from tacitus.store import Store

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token-7f3a"
MAX_BYTES = 64 * 1024
AUTH_HEADER = {"Authorization": f"Bearer {TOKEN}"}
FIXTURE_ID = "fixture-kharkiv"

FIXTURE_TEXT = (
    "Russian forces shelled the Ukrainian city of Kharkiv on Tuesday, regional officials said. "
    "Ukraine's foreign minister Dmytro Kuleba condemned the attack. "
    '"This is a war crime," Kuleba told reporters in Kyiv. '
    "China and Brazil agreed on Wednesday to expand trade in farm goods. "
    "Britain could impose new sanctions on Moscow, a government spokesman said."
)
SMALL_ARTICLE = (
    "Kenya and Tanzania signed a border trade agreement in Nairobi on Thursday, officials from both "
    "governments said, ending a dispute over customs fees that had slowed lorry traffic for months."
)


def _span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def _sentence(text: str, offset: int) -> SentenceSpan:
    start = text.rfind(". ", 0, offset)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", offset)
    return SentenceSpan(start=start, end=len(text) if end < 0 else end + 1)


def _actor(text: str, part: str, code: str | None, entity: str | None = None, after: int = 0) -> EventActor:
    start, end = _span(text, part, after)
    return EventActor(text=part, start=start, end=end, entity=entity, actor_code=code)


def _event(
    text: str,
    event_id: str,
    trigger: str,
    cameo: str,
    name: str,
    quad: int,
    goldstein: float,
    plover: str,
    source: EventActor,
    target: EventActor | None,
    date: str,
    **extra,
) -> Event:
    start, end = _span(text, trigger)
    return Event(
        id=event_id,
        cameo=cameo,
        cameo_name=name,
        base_code=cameo[:3],
        root_code=cameo[:2],
        quad_class=quad,
        goldstein=goldstein,
        plover=Plover(type=plover),
        source=source,
        target=target,
        date=dt.date.fromisoformat(date),
        date_precision="day",
        trigger=Span(text=trigger, start=start, end=end),
        sentence=_sentence(text, start),
        confidence=0.8,
        **extra,
    )


def fixture_extraction() -> Extraction:
    """The hand-written story with its entities, one quote and four events (one hypothetical)."""
    t = FIXTURE_TEXT
    kuleba = [
        Mention(start=s, end=e, text=t[s:e]) for s, e in (_span(t, "Dmytro Kuleba"), _span(t, "Kuleba told"))
    ]
    kuleba[1] = Mention(start=kuleba[1].start, end=kuleba[1].start + 6, text="Kuleba")
    entities = [
        Entity(
            id="E1",
            name="Dmytro Kuleba",
            type="PERSON",
            mentions=kuleba,
            titles=["foreign minister"],
            actor=Actor(code="UKRGOV", country="UKR", sectors=["GOV"]),
        ),
        Entity(
            id="E2",
            name="Kharkiv",
            type="GPE",
            mentions=[Mention(start=_span(t, "Kharkiv")[0], end=_span(t, "Kharkiv")[1], text="Kharkiv")],
        ),
        Entity(
            id="E3",
            name="China",
            type="GPE",
            mentions=[Mention(start=_span(t, "China")[0], end=_span(t, "China")[1], text="China")],
            actor=Actor(code="CHN", country="CHN"),
        ),
    ]
    q_start, q_end = _span(t, "This is a war crime,")
    cue = _span(t, "told")
    quote = Quote(
        id="Q1",
        text="This is a war crime,",
        start=q_start,
        end=q_end,
        kind="direct",
        cue=Span(text="told", start=cue[0], end=cue[1]),
        speaker=Speaker(
            text="Kuleba",
            start=cue[0] - 7,
            end=cue[0] - 1,
            entity="E1",
            name="Dmytro Kuleba",
            actor_code="UKRGOV",
        ),
        sentence=_sentence(t, q_start),
    )
    kharkiv = Place(
        text="Kharkiv",
        start=_span(t, "Kharkiv")[0],
        end=_span(t, "Kharkiv")[1],
        name="Kharkiv",
        lat=49.99,
        lon=36.23,
        country="UKR",
        precision="city",
    )
    events = [
        _event(
            t,
            "V1",
            "shelled",
            "194",
            "Fight with artillery and tanks",
            4,
            -10.0,
            "ASSAULT",
            _actor(t, "Russian forces", "RUSMIL"),
            _actor(t, "the Ukrainian city of Kharkiv", "UKR"),
            "2022-05-10",
            location=kharkiv,
            date_text="on Tuesday",
        ),
        _event(
            t,
            "V2",
            "condemned",
            "111",
            "Criticize or denounce",
            3,
            -2.0,
            "ACCUSE",
            _actor(t, "Dmytro Kuleba", "UKRGOV", "E1"),
            _actor(t, "the attack", None),
            "2022-05-10",
        ),
        _event(
            t,
            "V3",
            "agreed",
            "061",
            "Cooperate economically",
            2,
            6.4,
            "COOPERATE",
            _actor(t, "China", "CHN", "E3"),
            _actor(t, "Brazil", "BRA"),
            "2022-05-11",
            date_text="on Wednesday",
        ),
        _event(
            t,
            "V4",
            "impose",
            "163",
            "Impose embargo, boycott, or sanctions",
            3,
            -8.0,
            "SANCTION",
            _actor(t, "Britain", "GBR"),
            _actor(t, "Moscow", "RUS"),
            "2022-05-10",
            modality="hypothetical",
        ),
    ]
    document = Document(
        id=FIXTURE_ID,
        date=dt.date(2022, 5, 10),
        title="Kharkiv shelled; Kuleba condemns attack",
        source="Test Wire",
        text=t,
    )
    return Extraction(document=document, entities=entities, quotes=[quote], events=events, places=[kharkiv])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def api_db(tmp_path_factory, pipeline) -> Path:
    """A DuckDB file with examples/ through the real pipeline plus the hand-written fixture story."""
    path = tmp_path_factory.mktemp("api") / "api.duckdb"
    examples = ROOT / "examples"
    documents = [d for d in read_paths([examples]) if isinstance(d, Document)] if examples.is_dir() else []
    if not documents:  # examples/ not written yet: one small dated article of our own
        documents = [Document(id="small-article", date=dt.date(2024, 2, 1), text=SMALL_ARTICLE)]
    results = [r for r in pipeline.run(documents) if isinstance(r, Extraction)]
    results.append(fixture_extraction())
    with Store(path) as store:
        store.write(
            results, hashes={r.document.id: text_hash(r.document.text) for r in results}, run_id="test"
        )
    return path


class LiveServer:
    """A uvicorn server in a thread, serving one app on a free port."""

    def __init__(self, app) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        port = int(self.url.rsplit(":", 1)[1])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:  # noqa: PYI034
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def api_store(api_db) -> Iterator[Store]:
    store = Store(api_db)
    yield store
    store.close()


@pytest.fixture(scope="session")
def server(api_store) -> Iterator[str]:
    """URL of a live server with writes enabled (token TOKEN, body limit MAX_BYTES)."""
    with LiveServer(create_app(api_store, token=TOKEN, max_bytes=MAX_BYTES)) as live:
        yield live.url


@pytest.fixture(scope="session")
def readonly_server(api_store) -> Iterator[str]:
    """URL of a live server on the same store with no token: writes refused."""
    with LiveServer(create_app(api_store, token=None)) as live:
        yield live.url


@pytest.fixture(scope="session")
def client(server) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=server, timeout=300
    ) as http:  # a POST loads the pipeline (slow on a busy machine)
        yield http
