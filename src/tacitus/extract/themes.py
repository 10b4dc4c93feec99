"""GKG themes: words and phrases of the document mapped to GDELT GKG theme names, with offsets.

The lexicon (data/themes.tsv, one line per theme: `THEME<TAB>phrase|phrase`) is matched on lower-cased
tokens. At each token every matching phrase counts, each theme on its longest phrase, so "human rights
abuses" gives HUMAN_RIGHTS_ABUSES and WB_2203_HUMAN_RIGHTS; a phrase lying inside one that started earlier
is not counted again ("general" in "Secretary General"). A phrase may end in /N or /V when its last word
must be a noun or a verb ("press/N": the press, not "press ahead"); a one-word phrase never matches a
pronoun, a number or a date ("mine", "March").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.tokens import Doc

from tacitus.config import Config
from tacitus.extract.doccache import doc_values
from tacitus.lexicon import LexiconError, data_path, file_version, read_tsv
from tacitus.schema import Theme

VERSION = "tacitus.themes.v1"
THEMES_FILE = "themes.tsv"
_THEME_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
# "press/N": the phrase's last word must be used as a noun (press conference, not "press ahead")
_TAGS = {"N": frozenset({"NOUN", "PROPN"}), "V": frozenset({"VERB"})}


@dataclass
class ThemeLexicon:
    """Phrases as token tuples, indexed by their first token; each phrase carries its themes."""

    paths: list[Path]
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[tuple[str, frozenset[str] | None], ...]]]] = \
        field(default_factory=dict)

    @property
    def themes(self) -> set[str]:
        """Every theme name in the lexicon."""
        return {t for entries in self.by_first.values() for _, themes in entries for t, _ in themes}


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
    phrases: dict[tuple[str, ...], dict[str, frozenset[str] | None]] = {}
    for path in paths:
        for row in read_tsv(path, columns=2):
            theme, variants = row.values
            if not _THEME_NAME.match(theme):
                raise LexiconError(f"{row.where()}: '{theme}' is not a GKG theme name (A-Z, 0-9, _)")
            if not variants.strip():
                raise LexiconError(f"{row.where()}: theme {theme} has no phrases")
            for phrase in variants.split("|"):
                phrase = phrase.strip()
                tag = phrase[-1] if phrase[-2:] in ("/N", "/V") else ""  # "hiv/aids" is a phrase, not a tag
                words = (phrase[:-2] if tag else phrase).lower().split()
                if not words:
                    continue
                for form in {" ".join(words), " ".join([*words[:-1], plural(words[-1])])}:
                    key = tuple(t.text for t in tokenizer(form))
                    phrases.setdefault(key, {})[theme] = _TAGS[tag] if tag else None
    lexicon = ThemeLexicon(paths=paths)
    for key, themes in phrases.items():
        lexicon.by_first.setdefault(key[0], []).append((key, tuple(sorted(themes.items()))))
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


# a one-word phrase is not a theme when the word is used as one of these ("mine" the pronoun, "March" the month)
_NOT_THEME_POS = {"PRON", "ADP", "DET", "AUX", "CCONJ", "SCONJ", "PART", "NUM"}
_NOT_THEME_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}


def themes(doc: Doc, *, lexicon: ThemeLexicon) -> list[Theme]:
    """Every theme phrase in the document, in document order (each theme on its longest phrase at a token)."""
    lowers = doc_values(doc).lowers
    found: list[Theme] = []
    covered_until = 0  # end token of the matches that started earlier: "general" in "Secretary General" is inside
    for i, low in enumerate(lowers):
        entries = lexicon.by_first.get(low)
        if not entries:
            continue
        if i and doc[i - 1].text == "-" and not doc[i - 2].whitespace_:
            continue  # the tail of a hyphenated word: "treatment" in "ill-treatment"
        seen: set[str] = set()
        longest = 0
        for key, names in entries:  # longest first: a theme is reported once per token, on its longest phrase
            n = len(key)
            if i + n <= covered_until or tuple(lowers[i:i + n]) != key:
                continue
            if n == 1 and (doc[i].pos_ in _NOT_THEME_POS or doc[i].ent_type_ in _NOT_THEME_ENTS):
                continue
            span = doc[i:i + n]
            longest = max(longest, i + n)
            for name, tags in names:
                if name not in seen and (tags is None or doc[i + n - 1].pos_ in tags):
                    seen.add(name)
                    found.append(Theme(theme=name, text=span.text, start=span.start_char, end=span.end_char))
        covered_until = max(covered_until, longest)
    return found
