"""GKG themes: words and phrases of the document mapped to GDELT GKG theme names, with offsets.

The lexicon (data/themes.tsv, one line per theme: `THEME<TAB>phrase|phrase`) is matched on lower-cased
tokens; at each token every matching phrase counts, a theme on its longest one; a phrase may carry several themes, and overlapping matches
are kept (GDELT lists "human rights abuses" under both HUMAN_RIGHTS_ABUSES and WB_2203_HUMAN_RIGHTS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.tokens import Doc

from tacitus.config import Config
from tacitus.lexicon import LexiconError, data_path, file_version, read_tsv
from tacitus.schema import Theme

VERSION = "tacitus.themes.v1"
THEMES_FILE = "themes.tsv"
_THEME_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass
class ThemeLexicon:
    """Phrases as token tuples, indexed by their first token; each phrase carries its themes."""

    paths: list[Path]
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = field(default_factory=dict)

    @property
    def themes(self) -> set[str]:
        return {t for entries in self.by_first.values() for _, themes in entries for t in themes}


def plural(word: str) -> str:
    """Regular English plural of a word (over-generation is harmless: unseen forms never match)."""
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def load_lexicon(paths: list[Path]) -> ThemeLexicon:
    """Read theme files (file:line errors) into a token-tuple index."""
    tokenizer = spacy.blank("en").tokenizer
    phrases: dict[tuple[str, ...], set[str]] = {}
    for path in paths:
        for row in read_tsv(path, columns=2):
            theme, variants = row.values
            if not _THEME_NAME.match(theme):
                raise LexiconError(f"{row.where()}: '{theme}' is not a GKG theme name (A-Z, 0-9, _)")
            if not variants.strip():
                raise LexiconError(f"{row.where()}: theme {theme} has no phrases")
            for phrase in variants.split("|"):
                words = phrase.strip().lower().split()
                if not words:
                    continue
                for form in {" ".join(words), " ".join([*words[:-1], plural(words[-1])])}:
                    key = tuple(t.text for t in tokenizer(form))
                    phrases.setdefault(key, set()).add(theme)
    lexicon = ThemeLexicon(paths=paths)
    for key, themes in phrases.items():
        lexicon.by_first.setdefault(key[0], []).append((key, tuple(sorted(themes))))
    for entries in lexicon.by_first.values():
        entries.sort(key=lambda e: -len(e[0]))
    return lexicon


def load(config: Config) -> ThemeLexicon:
    """The packaged theme lexicon plus any user theme files named `*themes*.tsv` in the config dictionaries."""
    extra = [p for p in config.dictionaries if p.suffix == ".tsv" and "theme" in p.name.lower()]
    return load_lexicon([data_path(THEMES_FILE), *extra])


def version(resources: ThemeLexicon) -> str:
    """Version of the extractor and a content hash of its theme files."""
    return f"{VERSION}+{file_version(*resources.paths)}"


def themes(doc: Doc, *, lexicon: ThemeLexicon) -> list[Theme]:
    """Every theme phrase in the document, in document order (each theme on its longest phrase at a token)."""
    lowers = [t.lower_ for t in doc]
    found: list[Theme] = []
    covered: dict[str, int] = {}  # theme -> end token of its last match: "rights abuses" inside "human rights abuses"
    for i, low in enumerate(lowers):
        entries = lexicon.by_first.get(low)
        if not entries:
            continue
        if i and doc[i - 1].text == "-" and not doc[i - 2].whitespace_:
            continue  # the tail of a hyphenated word: "treatment" in "ill-treatment"
        seen: set[str] = set()
        for key, names in entries:  # longest first: a theme is reported once per token, on its longest phrase
            n = len(key)
            if tuple(lowers[i:i + n]) != key:
                continue
            span = doc[i:i + n]
            for name in names:
                if name not in seen and covered.get(name, -1) < i + n:
                    seen.add(name)
                    covered[name] = i + n
                    found.append(Theme(theme=name, text=span.text, start=span.start_char, end=span.end_char))
    return found
