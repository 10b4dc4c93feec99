"""Per-document values that several extractors read, built once per Doc: the text and the token strings.

spaCy rebuilds `Doc.text` from its tokens on every access and makes a new Token and a new string for every
`tok.lower_`; the extractors run one after another over the same Doc, so the values of the last Doc seen
are kept (a strong reference compared by identity, replaced by the next Doc). The Doc is not mutated.
"""

from __future__ import annotations

from spacy.tokens import Doc


class DocValues:
    """Lazily built values of one Doc."""

    __slots__ = ("_lowers", "_text", "_texts", "doc", "length")

    def __init__(self, doc: Doc):
        self.doc = doc
        self.length = len(doc)
        self._text: str | None = None
        self._texts: list[str] | None = None
        self._lowers: list[str] | None = None

    @property
    def text(self) -> str:
        """The document text (the Document's own string when the Doc was made from it)."""
        if self._text is None:
            self._text = _text(self.doc)
        return self._text

    @property
    def texts(self) -> list[str]:
        """`tok.text` of every token."""
        if self._texts is None:
            self._texts = [t.text for t in self.doc]
        return self._texts

    @property
    def lowers(self) -> list[str]:
        """`tok.lower_` of every token."""
        if self._lowers is None:
            self._lowers = [t.lower_ for t in self.doc]
        return self._lowers


_LAST: DocValues | None = None


def doc_values(doc: Doc) -> DocValues:
    """The cached values of a Doc (built on first use)."""
    global _LAST
    last = _LAST  # read once: another thread may replace it meanwhile
    if last is not None and last.doc is doc and last.length == len(doc):  # (a retokenised Doc is built anew)
        return last
    last = DocValues(doc)
    _LAST = last
    return last


def _text(doc: Doc) -> str:
    document = doc._.document if doc.has_extension("document") else None
    text = getattr(document, "text", None)
    if isinstance(text, str) and len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(text):
        return text
    return doc.text
