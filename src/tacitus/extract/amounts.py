"""Counts and money amounts (GKG Amounts): "four Chinese officials" -> 4 officials, "$1.2 billion" -> 1.2e9 USD.

Counts come from the parse: a number attached to a noun (`nummod`, or "two of the victims"). Money is a
number with a currency symbol before it or a currency name after it, from data/currencies.tsv (names and
symbols -> ISO 4217); the tokens are read directly because the NER often misses "£3m".
Dates, times, percentages and ordinals are not amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from spacy.tokens import Doc, Token

from tacitus.config import Config
from tacitus.extract.doccache import doc_values
from tacitus.lexicon import LexiconError, data_path, file_version, read_tsv
from tacitus.schema import Amount

VERSION = "tacitus.amounts.v1"
CURRENCIES_FILE = "currencies.tsv"

_UNIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
               "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_UNITS = {w: i for i, w in enumerate(_UNIT_WORDS)}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6, "billion": 1e9,
           "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12}
_DIGITS = re.compile(r"^(\d[\d,]*(?:\.\d+)?|\.\d+)(k|m|mn|mln|bn|b|tn|trn|million|billion|trillion)?$", re.IGNORECASE)
_NOT_AMOUNT = {"DATE", "TIME", "PERCENT", "ORDINAL", "MONEY"}
_SKIP_WORDS = {"and", "-", "about", "around", "nearly", "almost", "some", "over", "more", "than", "at",
               "least", "up", "to", "roughly", "approximately", "just", "under", "fewer", "less"}


@dataclass
class Currencies:
    path: Path
    names: dict[str, str] = field(default_factory=dict)  # lower-case name or symbol -> ISO code
    longest: int = 1  # words in the longest name
    symbols: list[str] = field(default_factory=list)  # "$", "£", "us$" ... longest first
    glued: re.Pattern[str] | None = None  # a symbol and a number in one token: "$1.2bn"
    may_start: dict[str, bool] = field(default_factory=dict)  # word -> whether money can start at it

    def starts_money(self, token: Token) -> bool:
        """Whether a money amount can start at this word (a symbol, "$1.2bn" or a number): a test of the word
        alone, cached, so that the scan skips most words at once."""
        found = self.may_start.get(token.text)
        if found is None:
            low = token.lower_
            glued = self.glued.match(low) if self.glued and not low.isalnum() else None
            found = bool((low in self.names and low in self.symbols)
                         or (glued and _DIGITS.match(glued.group(2)))
                         or (_is_number(token) and (token.like_num or _DIGITS.match(low))))
            if len(self.may_start) > 500_000:
                self.may_start.clear()
            self.may_start[token.text] = found
        return found


def load_currencies(path: Path) -> Currencies:
    """Read currency names (file:line errors; unknown ISO codes rejected)."""
    table = Currencies(path=path)
    for row in read_tsv(path, columns=2):
        code, names = row.values
        if pycountry.currencies.get(alpha_3=code) is None:
            raise LexiconError(f"{row.where()}: '{code}' is not an ISO 4217 currency code")
        for name in names.split("|"):
            name = name.strip().lower()
            if name:
                table.names[name] = code
                table.longest = max(table.longest, len(name.split()))
    table.symbols = sorted((n for n in table.names if not n.replace(".", "").replace(" ", "").isalpha()),
                           key=len, reverse=True)
    if table.symbols:
        table.glued = re.compile("^(" + "|".join(map(re.escape, table.symbols)) + r")(\d[\d,.]*[a-z]*)$")
    return table


def load(config: Config) -> Currencies:
    """Read the currency table once per process."""
    return load_currencies(data_path(CURRENCIES_FILE))


def version(resources: Currencies) -> str:
    """Version of the extractor and a content hash of its currency table."""
    return f"{VERSION}+{file_version(resources.path)}"


def number_value(words: list[str]) -> float | None:
    """Value of a written number: "1,200", "1.2 billion", "four", "twenty-five", "a dozen", "3bn"."""
    total = current = 0.0
    seen = False
    for raw in words:
        word = raw.lower()
        match = _DIGITS.match(word)
        if match:
            current += float(match.group(1).replace(",", ""))
            seen = True
            if match.group(2):
                total += current * _SCALES[match.group(2).lower()]
                current = 0.0
        elif word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word in ("a", "an") and not seen:
            current = 1.0
        elif word == "dozen":
            current = (current or 1.0) * 12
            seen = True
        elif word == "hundred":
            current = (current or 1.0) * 100
            seen = True
        elif word in _SCALES and len(word) > 2 and (seen or current):
            total += (current or 1.0) * _SCALES[word]
            current = 0.0
            seen = True
        elif word in _SCALES and seen:
            total += current * _SCALES[word]
            current = 0.0
        elif word in _SKIP_WORDS:
            continue
        else:
            return None
    return total + current if seen else None


_IS_NUMBER: dict[str, bool] = {}  # word -> whether it is a number (a property of the word alone)


def _is_number(token: Token) -> bool:
    found = _IS_NUMBER.get(token.text)
    if found is None:
        low = token.lower_
        found = bool(token.like_num or _DIGITS.match(low) or low in _UNITS or low in _TENS
                     or low in ("hundred", "dozen") or (low in _SCALES and len(low) > 2))
        if len(_IS_NUMBER) > 500_000:
            _IS_NUMBER.clear()
        _IS_NUMBER[token.text] = found
    return found


def _number_run(tokens: list[Token], k: int) -> int:
    """End (exclusive) of the number starting at token k: "1.2 billion", "3 m.", "twenty - five"."""
    j = k
    while j < len(tokens) and tokens[j].ent_type_ not in ("DATE", "TIME", "PERCENT", "ORDINAL"):
        low = tokens[j].lower_.rstrip(".") if j > k else tokens[j].lower_
        if not (_is_number(tokens[j]) or (j > k and (low in _SCALES or low == "-"))):
            break
        j += 1
    return j


def _currency_after(tokens: list[Token], j: int, currencies: Currencies) -> tuple[str, str, int] | None:
    """(code, name, end) of a currency name starting at token j ("Canadian dollars", "yuan")."""
    for n in range(min(currencies.longest, len(tokens) - j), 0, -1):
        name = " ".join(t.lower_ for t in tokens[j:j + n])
        if name in currencies.names and name.replace(" ", "").replace(".", "").isalpha():
            return currencies.names[name], name, j + n
    return None


def _money(doc: Doc, currencies: Currencies) -> tuple[list[Amount], set[int]]:
    """Money amounts: a currency symbol before a number ($1.2 billion, £3m) or a name after it (500m yuan)."""
    found: list[Amount] = []
    used: set[int] = set()
    tokens = list(doc)  # indexing a list is much cheaper than indexing a Doc
    texts = doc_values(doc).texts
    i = 0
    while i < len(tokens):
        # most words are known not to start an amount: skip them on their text, before building anything
        if currencies.may_start.get(texts[i]) is False or not currencies.starts_money(tokens[i]):
            i += 1
            continue
        low = tokens[i].lower_
        code = unit = None
        start = i
        words: list[str] = []
        glued = currencies.glued.match(low) if currencies.glued and not low.isalnum() else None
        if low in currencies.names and low in currencies.symbols and i + 1 < len(tokens) and _is_number(tokens[i + 1]):
            code, unit, first = currencies.names[low], low, i + 1  # "$ 1.2 billion"
        else:
            if glued and _DIGITS.match(glued.group(2)):  # "$1.2bn" as one token
                code, unit, first = currencies.names[glued.group(1)], glued.group(1), i + 1
                words.append(glued.group(2))
            elif _is_number(tokens[i]) and (tokens[i].like_num or _DIGITS.match(low)):
                first = i
            else:
                i += 1
                continue
        end = _number_run(tokens, first)
        words += [t.lower_.rstrip(".") if n > first else t.lower_ for n, t in enumerate(tokens[first:end], start=first)]
        after = _currency_after(tokens, end, currencies)
        if code is None and after is None:
            i = max(end, i + 1)
            continue
        if after is not None and code is None:
            code, unit, end = after
        value = number_value([w for w in words if w not in ("-", ",")])
        if value is None or end <= start:
            i = max(end, i + 1)
            continue
        span = doc[start:end]
        obj = unit if unit and unit.replace(" ", "").isalpha() else code
        found.append(Amount(amount=value, object=obj, currency=code, text=span.text, start=span.start_char,
                            end=span.end_char))
        used.update(range(start, end))
        i = end
    return found, used


def _count(token: Token) -> Amount | None:
    """A count whose head noun is what is counted: "four Chinese officials", "two of the victims"."""
    if token.ent_type_ in _NOT_AMOUNT or not _is_number(token):
        return None
    noun: Token | None = None
    if token.dep_ == "nummod" and token.head.pos_ in ("NOUN", "PROPN") and token.head.i > token.i:
        noun = token.head
    elif token.dep_ in ("nsubj", "dobj", "pobj", "nsubjpass", "appos"):
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is not None and pobj.pos_ in ("NOUN", "PROPN") and pobj.tag_ in ("NNS", "NNPS"):
            noun = pobj
    if noun is None:
        return None
    words = [t for t in token.subtree if t.i <= token.i or _is_number(t)]
    words = [t for t in words if t.i < noun.i]
    first = min(t.i for t in words)
    value = number_value([t.text for t in token.doc[first:token.i + 1]])
    if value is None:
        return None
    span = token.doc[first:noun.i + 1]
    return Amount(amount=value, object=noun.lower_, text=span.text, start=span.start_char, end=span.end_char)


def amounts(doc: Doc, *, lexicon: Currencies) -> list[Amount]:
    """Counts of things and money amounts in the document, in document order."""
    found, used = _money(doc, lexicon)
    for i, text in enumerate(doc_values(doc).texts):
        # only a number can start a count; testing that first (on the text when the word was seen before)
        # skips the parse lookups for other words
        if _IS_NUMBER.get(text) is False or i in used:
            continue
        token = doc[i]
        if not _is_number(token):
            continue
        # a number inside a multi-word number ("1.2 million") is read once, at its last word
        if token.head.i != token.i and _is_number(token.head) and token.dep_ in ("compound", "quantmod"):
            continue
        amount = _count(token)
        if amount is not None:
            found.append(amount)
    found.sort(key=lambda a: (a.start, a.end))
    return found
