"""Parse each article once and run every extractor over the same spaCy Doc.

Order matters and is decided here: entities -> times, places -> actors (coreference, codes) ->
quotes -> events -> themes, amounts, tone. Each extractor is a pure function in `tacitus.extract`;
each module's `load(config)` reads its lexicons once per process.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from tacitus import __version__
from tacitus.config import Config, ConfigError
from tacitus.extract import actors, amounts, entities, events, places, quotes, themes, times, tone
from tacitus.readers.common import text_hash
from tacitus.schema import Document, Extraction, Failure

EXTRACTORS = (entities, times, places, actors, quotes, events, themes, amounts, tone)

if not Doc.has_extension("document"):
    Doc.set_extension("document", default=None)


def load_model(name: str) -> Language:
    """Load an English spaCy pipeline by package name or path, with a clear error when it is missing."""
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ConfigError(f"spaCy pipeline '{name}' is not installed (pip install it, or pass --model)") from exc


@dataclass
class Timings:
    parse: float = 0.0
    extract: dict[str, float] = field(default_factory=dict)
    documents: int = 0

    def add(self, name: str, seconds: float) -> None:
        self.extract[name] = self.extract.get(name, 0.0) + seconds


class Pipeline:
    """The spaCy pipeline plus every extractor's loaded resources; one per process."""

    def __init__(self, config: Config):
        self.config = config
        self.nlp = load_model(config.model)
        self.nlp.max_length = max(self.nlp.max_length, config.max_chars + 1)
        self.resources = {module.__name__.rsplit(".", 1)[-1]: module.load(config) for module in EXTRACTORS}
        self.timings = Timings()

    @property
    def versions(self) -> dict[str, str]:
        """Version of the tool, the model and every extractor with its lexicons, stored with each run."""
        meta = self.nlp.meta
        found = {"tacitus": __version__, "model": f"{meta.get('name')}-{meta.get('version')}"}
        for module in EXTRACTORS:
            name = module.__name__.rsplit(".", 1)[-1]
            found[name] = module.version(self.resources[name])
        return found

    def check(self, document: Document) -> str | None:
        """Why a document cannot be processed, or None."""
        if not document.text.strip():
            return "empty text"
        if len(document.text) > self.config.max_chars:
            return (f"text has {len(document.text):,} characters, over the limit of {self.config.max_chars:,}"
                    " (raise it with --max-chars)")
        return None

    def extract_doc(self, doc: Doc) -> Extraction:
        """Run every extractor over one parsed Doc (document metadata in `doc._.document`)."""
        document: Document = doc._.document
        res = self.resources
        clock = time.perf_counter
        t = clock()
        index = entities.entities(doc)
        self.timings.add("entities", clock() - t)
        t = clock()
        found_times = times.times(doc, anchor=document.date, lexicon=res["times"])
        self.timings.add("times", clock() - t)
        t = clock()
        found_places = places.places(doc, entities=index, lexicon=res["places"])
        self.timings.add("places", clock() - t)
        t = clock()
        index = actors.actors(doc, entities=index, lexicon=res["actors"], date=document.date)
        self.timings.add("actors", clock() - t)
        t = clock()
        found_quotes = quotes.quotes(doc, entities=index, lexicon=res["quotes"])
        self.timings.add("quotes", clock() - t)
        t = clock()
        found_events = events.events(doc, entities=index, times=found_times, places=found_places,
                                     quotes=found_quotes, lexicon=res["events"],
                                     code_statements=self.config.code_statements)
        self.timings.add("events", clock() - t)
        t = clock()
        found_themes = themes.themes(doc, lexicon=res["themes"])
        found_amounts = amounts.amounts(doc, lexicon=res["amounts"])
        doc_tone = tone.tone(doc, lexicon=res["tone"])
        self.timings.add("gkg", clock() - t)
        return Extraction(document=document, entities=index.entities, quotes=found_quotes, events=found_events,
                          places=found_places, times=found_times, themes=found_themes, amounts=found_amounts,
                          tone=doc_tone)

    def run(self, documents: Iterable[Document]) -> Iterator[Extraction | Failure]:
        """Parse documents in batches with `nlp.pipe` and extract; a failing document yields a Failure."""
        ok: list[Document] = []
        for document in documents:
            problem = self.check(document)
            if problem:
                yield Failure(doc_id=document.id, text_hash=text_hash(document.text), stage="extract",
                              reason=problem, path=document.metadata.get("path"), line=document.metadata.get("line"))
            else:
                ok.append(document)
        t = time.perf_counter()
        parsed = self.nlp.pipe(((d.text, d) for d in ok), as_tuples=True, batch_size=self.config.batch_size)
        for doc, document in parsed:
            self.timings.parse += time.perf_counter() - t
            doc._.document = document
            try:
                yield self.extract_doc(doc)
            except Exception as exc:  # noqa: BLE001 -- one bad document never stops a batch
                yield Failure(doc_id=document.id, text_hash=text_hash(document.text), stage="extract",
                              reason=f"extractor error: {type(exc).__name__}: {exc}",
                              path=document.metadata.get("path"), line=document.metadata.get("line"))
            self.timings.documents += 1
            t = time.perf_counter()
