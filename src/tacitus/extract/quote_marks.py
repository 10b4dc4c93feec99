"""Quote marks: pairing straight, curly, guillemet, low-high, ``TeX'' and single quotes into quoted spans.

Unbalanced marks stay bounded: an opening mark never closed ends with its paragraph, a paragraph left open
continues only when the next one reopens with a mark (the newswire convention), a digit before `"` is an
inch sign, and no span is longer than MAX_QUOTE_CHARS.
"""

from __future__ import annotations

import bisect
import re

MAX_QUOTE_CHARS = 4000  # a longer "quote" is mismatched marks, not speech
MAX_SINGLE_CHARS = 300  # single-quoted spans stay within one sentence
_DOUBLE_MARKS = re.compile(r"``|''|’’|‘‘|[\"“”„«»″]")
_SINGLE_MARKS = re.compile(r"[‘’'‹›`]")
_OPEN_PREFERRED = {"“", "„", "«", "``", "‘‘", "‹", "‘", "`"}
_CLOSE_PREFERRED = {"”", "»", "''", "’’", "›", "’"}
MARK_CHARS = "\"“”„«»″‘’'‹›`"
_BEFORE_OPEN = " \t\n\r([{—–-/:;,…|" + MARK_CHARS
_AFTER_CLOSE = " \t\n\r.,;:!?)]}—–-…|" + MARK_CHARS


def _mark_roles(text: str, start: int, end: int, mark: str) -> tuple[bool, bool]:
    prev = text[start - 1] if start > 0 else "\n"
    nxt = text[end] if end < len(text) else "\n"
    can_open = (prev in _BEFORE_OPEN) and not nxt.isspace()
    can_close = (not prev.isspace()) and (nxt in _AFTER_CLOSE)
    if mark in _OPEN_PREFERRED and not (can_close and not can_open):
        return True, False
    if mark in _CLOSE_PREFERRED and not (can_open and not can_close):
        return False, True
    return can_open, can_close


def is_hard_wrapped(text: str) -> bool:
    """Lines broken at a fixed width inside sentences (old wire copy), so a single newline is no paragraph."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 5:
        return False
    open_ended = sum(1 for line in lines if not line.rstrip().endswith((".", "!", "?", ":") + tuple(MARK_CHARS)))
    short = sum(1 for line in lines if len(line) <= 90)
    return open_ended > len(lines) / 2 and short > 0.8 * len(lines)


def paragraph_breaks(text: str) -> list[int]:
    """Positions of the newlines that end a paragraph: every one, or in hard-wrapped text only blank lines
    and newlines before an indented line."""
    if not is_hard_wrapped(text):
        return [m.start() for m in re.finditer("\n", text)]
    return [m.start() for m in re.finditer(r"\n(?=[ \t]*\n|[ \t]+\S)|(?<=\n)\n", text)]


def paragraph_end(text: str, pos: int, breaks: list[int] | None = None) -> int:
    """Position of the first paragraph break at or after `pos` (the text length when there is none)."""
    if breaks is None:
        found = text.find("\n", pos)
        return len(text) if found < 0 else found
    k = bisect.bisect_left(breaks, pos)
    return breaks[k] if k < len(breaks) else len(text)


def find_quoted(text: str) -> list[tuple[int, int, bool]]:
    """Top-level quoted spans as (start, end, closed), quote marks included; unbalanced marks stay bounded."""
    spans: list[tuple[int, int, bool]] = []
    breaks = paragraph_breaks(text)
    marks = [(m.start(), m.end(), m.group()) for m in _DOUBLE_MARKS.finditer(text)]
    open_at: int | None = None
    para_from = 0  # where the paragraph the open quote is in now begins
    nested = 0
    i = 0
    while i < len(marks):
        start, end, mark = marks[i]
        can_open, can_close = _mark_roles(text, start, end, mark)
        inch = mark in '"″' and start > 0 and text[start - 1].isdigit()
        if open_at is not None:
            para_end = paragraph_end(text, para_from, breaks)
            if start > para_end:
                # a quote running into a new paragraph continues only if that paragraph opens with a mark
                if not (can_open and text[para_end:start].strip() == ""):
                    _keep_unclosed(spans, text, open_at, para_end)
                    open_at, nested = None, 0
                    continue
                para_from = start
                i += 1
                continue
            if can_close and not (can_open and nested == 0 and mark in _OPEN_PREFERRED):
                if nested:
                    nested -= 1
                else:
                    if end - open_at <= MAX_QUOTE_CHARS:
                        spans.append((open_at, end, True))
                    open_at = None
            elif can_open and mark in _OPEN_PREFERRED and text[open_at] not in _OPEN_PREFERRED | {"`"}:
                nested += 1  # a curly quote inside a straight one
            elif can_open and mark in _OPEN_PREFERRED:
                nested += 1
        elif can_open and not inch:
            open_at, para_from, nested = start, start, 0
        i += 1
    if open_at is not None:
        _keep_unclosed(spans, text, open_at, paragraph_end(text, para_from, breaks))
    return _add_single_quoted(text, spans, breaks)


def _keep_unclosed(spans: list[tuple[int, int, bool]], text: str, start: int, end: int) -> None:
    """An opening mark never closed: the quote runs to the end of its paragraph, if that is short."""
    while end > start and text[end - 1].isspace():
        end -= 1
    if 0 < end - start <= MAX_QUOTE_CHARS // 4 and any(c.isalpha() for c in text[start:end]):
        spans.append((start, end, False))


def _add_single_quoted(text: str, spans: list[tuple[int, int, bool]],
                       breaks: list[int]) -> list[tuple[int, int, bool]]:
    """Single-quoted phrases outside double quotes (headlines: enter China 'without restrictions')."""
    found = list(spans)
    covered = sorted(spans)
    open_at: int | None = None
    for m in _SINGLE_MARKS.finditer(text):
        start, end, mark = m.start(), m.end(), m.group()
        if any(s <= start < e for s, e, _ in covered):
            continue
        prev = text[start - 1] if start > 0 else "\n"
        nxt = text[end] if end < len(text) else "\n"
        if prev.isalnum() and nxt.isalnum():
            continue  # an apostrophe: don't, China's
        can_open = prev in _BEFORE_OPEN and (nxt.isalnum() or nxt in "“\"")
        can_close = (prev.isalnum() or prev in ".,!?…”\"") and nxt in _AFTER_CLOSE
        if open_at is not None and can_close:
            body = text[open_at:end]
            if paragraph_end(text, open_at, breaks) >= end and len(body) <= MAX_SINGLE_CHARS and \
                    len(body.split()) >= 2 and not any(open_at < s < end for s, _e, _c in covered):
                found.append((open_at, end, True))
            open_at = None
        elif can_open and mark != "’":
            open_at = start
        elif open_at is not None and start - open_at > MAX_SINGLE_CHARS:
            open_at = None
    return sorted(found)
