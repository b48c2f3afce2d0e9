"""Standard streams that never fail on the terminal's encoding.

Reports are text with typographic punctuation (``—``, ``…``) and, with ``--show-personal-data``, names in any
script. Under ``PYTHONIOENCODING=ascii`` or a Latin-1 locale a plain ``print`` of them raises UnicodeEncodeError
half-way through a report. While a command runs, stdout and stderr keep their encoding but use the ``avetmiss``
error handler for what it cannot hold: typographic punctuation becomes its ASCII form (``—`` → ``-``, ``…`` →
``...``) and any other character a ``\\uXXXX`` escape (inside a JSON string, the same character; in text, still
readable and unambiguous). Files written with ``--output`` are UTF-8 whatever the terminal.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import sys
from collections.abc import Iterator
from typing import TextIO

__all__ = ["ERRORS", "ClosedStream", "safe_streams"]

#: Name of the codec error handler (registered on import).
ERRORS = "avetmiss"

_ASCII = {
    "\u2014": "-",  # em dash
    "\u2013": "-",  # en dash
    "\u2012": "-",
    "\u2212": "-",  # minus sign
    "\u2026": "...",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00a0": " ",  # no-break space
    "\u2192": "->",
    "\u2190": "<-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u00d7": "x",
    "\u2022": "*",
    "\u2713": "v",
    "\u2717": "x",
}


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON writes characters beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _handler(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_ASCII.get(ch) or _escape(ch) for ch in text), error.end


codecs.register_error(ERRORS, _handler)


def _reconfigure(stream: TextIO | None, errors: str) -> str | None:
    """Set ``stream``'s error handler; the previous one (``None`` when the stream cannot be reconfigured)."""
    reconfigure = getattr(stream, "reconfigure", None)
    before = getattr(stream, "errors", None)
    if reconfigure is None or not isinstance(before, str):
        return None
    try:
        reconfigure(errors=errors)
    except (ValueError, OSError):  # a closed or detached stream: leave it alone
        return None
    return before


class ClosedStream(io.TextIOBase):
    """Standard output when the process was started without one (``cmd >&-``: Python then sets ``sys.stdout`` to
    ``None``): writing to it is an :class:`OSError` (``EBADF``), which the CLI reports in one line and exit 2,
    like any other output that cannot be written — not an ``AttributeError`` on ``None``, which would read as
    a bug of ours."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


@contextlib.contextmanager
def safe_streams() -> Iterator[None]:
    """stdout and stderr with the ``avetmiss`` error handler for the duration (restored after); a closed stdout
    is a :class:`ClosedStream` for the duration."""
    closed = sys.stdout is None
    if closed:
        sys.stdout = ClosedStream()
    out = _reconfigure(sys.stdout, ERRORS)
    err = _reconfigure(sys.stderr, ERRORS)
    try:
        yield
    finally:
        if out is not None:
            _reconfigure(sys.stdout, out)
        if err is not None:
            _reconfigure(sys.stderr, err)
        if closed:
            sys.stdout = None
