"""HTML pages: the main article text extracted with trafilatura (menus, footers and comments left out).

Title, date, canonical URL and site name come from the page's metadata when present. The date is only
taken from the page's metadata and URL (no search through the body text, which is full of other
dates); without one the page gets `default_date`, else it is a Failure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from tacitus.readers.common import DATE_HINT, failure, make_document
from tacitus.schema import Document, Failure

DATE_OPTIONS = {"extensive_search": False, "original_date": True}


def read_html(content: str, *, path: str | Path, default_date: dt.date | None) -> Iterator[Document | Failure]:
    """One Document from an HTML page."""
    import trafilatura  # heavy import, only when a page is read

    try:
        found = trafilatura.bare_extraction(content, with_metadata=True, include_comments=False,
                                            date_extraction_params=DATE_OPTIONS)
    except Exception as exc:  # noqa: BLE001 (trafilatura raises assorted lxml errors on broken markup)
        yield failure(path, f"could not parse the HTML ({type(exc).__name__}: {exc})")
        return
    if found is None or not (found.text or "").strip():
        yield failure(path, "no article text found in the HTML page")
        return
    text = found.text.strip()
    title = (found.title or "").strip() or None
    first_line, _, rest = text.partition("\n")
    if title and first_line.strip() == title and rest.strip():
        text = rest  # the headline is kept as the title, not as a sentence run into the first paragraph
    if not found.date and default_date is None:
        yield failure(path, f"no publication date in the page metadata; {DATE_HINT}")
        return
    metadata = {"author": found.author} if found.author else {}
    yield make_document(text=text, date=found.date, default_date=default_date, title=title,
                        url=found.url, source=found.sitename or found.hostname, path=path, metadata=metadata)
