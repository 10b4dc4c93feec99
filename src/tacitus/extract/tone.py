"""GDELT V2Tone of a document, scored with the lexicon that ships with vaderSentiment.

GDELT's definitions, each a percentage of the document's words: positive score (words of positive
valence), negative score, tone = positive - negative, polarity = positive + negative, activity density
(content verbs: words that report action), self/group reference density (pronouns); plus the word count.
Words inside names are not scored ("United" in "United Nations"), nor function words ("no", "like" as a
preposition), so tone reflects what is said about the actors rather than what they are called.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from spacy import symbols
from spacy.attrs import ENT_TYPE, IS_ALPHA, IS_PUNCT, IS_SPACE, LIKE_NUM, POS
from spacy.strings import get_string_id
from spacy.tokens import Doc

from tacitus.config import Config
from tacitus.extract.doccache import doc_values
from tacitus.lexicon import LexiconError, file_version
from tacitus.schema import Tone

VERSION = "tacitus.tone.v1"
# words whose mean valence is closer to zero than this are neutral (VADER valences run from -4 to +4)
MIN_VALENCE = 0.5
_SCORED_POS = {"ADJ", "ADV", "NOUN", "VERB", "INTJ"}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
_SCORED_POS_IDS = {getattr(symbols, pos) for pos in _SCORED_POS}
_NAME_LABEL_IDS = {get_string_id(label) for label in _NAME_LABELS}


@dataclass(frozen=True)
class Valences:
    path: Path
    words: dict[str, float]


def vader_path() -> Path:
    """The valence lexicon shipped inside the vaderSentiment package."""
    return Path(str(resources.files("vaderSentiment") / "vader_lexicon.txt"))


def read_valences(path: Path) -> dict[str, float]:
    """Word -> mean valence from a VADER-format file (word TAB mean TAB sd TAB ratings)."""
    words: dict[str, float] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or not parts[0]:
                continue
            try:
                words[parts[0].lower()] = float(parts[1])
            except ValueError as exc:
                raise LexiconError(f"{path}:{n}: valence '{parts[1]}' is not a number") from exc
    return words


def load(config: Config) -> Valences:
    """Read the VADER valence lexicon once per process."""
    path = vader_path()
    return Valences(path=path, words=read_valences(path))


def version(resources: Valences) -> str:
    """Version of the extractor and a content hash of the VADER lexicon it reads."""
    return f"{VERSION}+vader-{file_version(resources.path)}"


def tone(doc: Doc, *, lexicon: Valences) -> Tone:
    """GDELT V2Tone fields for one parsed document."""
    words = positive = negative = active = pronouns = 0
    valences = lexicon.words
    values = doc_values(doc)
    texts, lowers = values.texts, values.lowers
    # the attributes of every token as arrays: spaCy builds a Token and its strings on every access
    rows = doc.to_array([IS_PUNCT, IS_SPACE, IS_ALPHA, LIKE_NUM, POS, ENT_TYPE]).tolist() if len(doc) else []
    for i, (punct, space, alpha, number, pos, ent_type) in enumerate(rows):
        if punct or space or not (alpha or number or "'" in texts[i]):
            continue
        words += 1
        if pos == symbols.PRON:
            pronouns += 1
        elif pos == symbols.VERB:
            active += 1
        if pos not in _SCORED_POS_IDS or ent_type in _NAME_LABEL_IDS:
            continue
        value = valences.get(lowers[i])
        if value is None:
            value = valences.get(doc[i].lemma_.lower())
        if value is None or abs(value) < MIN_VALENCE:
            continue
        if value > 0:
            positive += 1
        else:
            negative += 1
    if not words:
        return Tone()

    def pct(count: int) -> float:
        return round(100.0 * count / words, 4)

    return Tone(tone=round(pct(positive) - pct(negative), 4), positive=pct(positive), negative=pct(negative),
                polarity=round(pct(positive) + pct(negative), 4), activity_density=pct(active),
                self_group_density=pct(pronouns), word_count=words)
