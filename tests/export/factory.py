"""Hand-built extractions for export and dedup tests: real records and a real DuckDB store, no model needed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tacitus.pipeline import text_hash
from tacitus.schema import (
    Actor,
    Amount,
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
    Theme,
    TimeRef,
    Tone,
)
from tacitus.store import Store


def _at(text: str, phrase: str, after: int = 0) -> tuple[int, int]:
    start = text.index(phrase, after)
    return start, start + len(phrase)


def story(doc_id: str, date: str, text: str, events: list[tuple[str, str, str, str, str]], *,
          source: str | None = None, url: str | None = None, title: str | None = None,
          place: tuple[str, str] | None = None, event_date: str | None = None) -> Extraction:
    """An extraction with entities and events given as (source, code, trigger, target, actor codes 'SRC>TGT')."""
    entities: dict[str, Entity] = {}

    def entity(name: str, code: str) -> Entity:
        if name not in entities:
            start, end = _at(text, name)
            entities[name] = Entity(id=f"E{len(entities) + 1}", name=name, type="GPE" if code.isalpha() and
                                    len(code) == 3 else "PERSON" if " " in name else "ORG",
                                    mentions=[Mention(start=start, end=end, text=name)],
                                    actor=Actor(code=code, country=code[:3]))
        return entities[name]

    found_events = []
    places = []
    location = None
    if place:
        start, end = _at(text, place[0])
        location = Place(text=place[0], start=start, end=end, name=place[0], country=place[1],
                         lat=10.5, lon=20.25, geonames_id=123, precision="city")
        places.append(location)
    for n, (src, cameo, trigger, tgt, codes) in enumerate(events, start=1):
        src_code, tgt_code = codes.split(">")
        s_ent, t_ent = entity(src, src_code), entity(tgt, tgt_code)
        ts, te = _at(text, trigger)
        ss, se = _at(text, src)
        gs, ge = _at(text, tgt)
        found_events.append(Event(
            id=f"V{n}", cameo=cameo, cameo_name="test", base_code=cameo[:3], root_code=cameo[:2], quad_class=4,
            goldstein=-4.0, plover=Plover(type="SANCTION", mode="embargo", contexts=["economic"]),
            source=EventActor(text=src, start=ss, end=se, entity=s_ent.id, actor_code=src_code),
            target=EventActor(text=tgt, start=gs, end=ge, entity=t_ent.id, actor_code=tgt_code),
            date=dt.date.fromisoformat(event_date or date), date_precision="day", location=location,
            confidence=0.8, trigger=Span(text=trigger, start=ts, end=te),
            sentence=SentenceSpan(start=0, end=len(text))))
    quotes = []
    if '"' in text:
        start = text.index('"') + 1
        end = text.index('"', start)
        quotes.append(Quote(id="Q1", text=text[start:end], start=start, end=end, kind="direct",
                            cue=Span(text="said", start=0, end=4) if "said" in text else None,
                            speaker=Speaker(text="he", start=0, end=2), sentence=SentenceSpan(start=0, end=len(text))))
    themes = [Theme(theme="SANCTIONS", text="sanctions", start=s, end=s + 9)
              for s in [i for i in range(len(text)) if text.startswith("sanctions", i)]]
    amounts = []
    if "four" in text:
        s, e = _at(text, "four")
        amounts.append(Amount(amount=4, object="officials", text="four", start=s, end=e))
    times = [TimeRef(text="Monday", start=s, end=s + 6, type="DATE", value=date, precision="day")
             for s in ([text.index("Monday")] if "Monday" in text else [])]
    document = Document(id=doc_id, date=dt.date.fromisoformat(date), text=text, source=source, url=url, title=title)
    return Extraction(document=document, entities=list(entities.values()), events=found_events, places=places,
                      quotes=quotes, themes=themes, amounts=amounts, times=times,
                      tone=Tone(tone=-2.5, positive=1.0, negative=3.5, polarity=4.5, activity_density=10.0,
                                self_group_density=1.0, word_count=len(text.split())))


def write(store: Store, extractions: list[Extraction]) -> None:
    """Store extractions the way ingest does (one run, one batch)."""
    run_id = store.start_run(versions={"tacitus": "test"}, inputs=["test"])
    store.write(extractions, hashes={e.document.id: text_hash(e.document.text) for e in extractions}, run_id=run_id)


def new_store(path: Path, extractions: list[Extraction]) -> Store:
    store = Store(path)
    if extractions:
        write(store, extractions)
    return store
