"""One wording for the three ways an input holds no collection: a missing path, an empty directory (or zip), and
a directory of files none of which is a NAT file.

Every command (validate, inspect, convert, summary) and ``validate(path)`` say it the same way, with the same
exception (:class:`~avetmiss_finalise.errors.UnreadableInputError`, so exit code 2): a CI job pointed at the wrong
folder must fail loudly, never pass as "no findings".
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from avetmiss_finalise.errors import UnreadableInputError

if TYPE_CHECKING:
    from avetmiss_finalise.nat.collection import Collection

__all__ = ["missing_path", "no_nat_files", "require_nat_files"]

#: How many ignored file names a message lists before "…".
_SHOWN = 5


def missing_path(path: str | os.PathLike[str]) -> UnreadableInputError:
    """The error for a path that does not exist."""
    return UnreadableInputError(f"{os.fspath(path)}: no such file or directory")


def no_nat_files(source: str | os.PathLike[str], ignored: Iterable[str] = ()) -> UnreadableInputError:
    """The error for a directory or zip holding no NAT file; ``ignored`` names the other files found in it."""
    names = list(dict.fromkeys(ignored))
    text = (
        f"{os.fspath(source)}: no NAT files found (expected names such as NAT00120.txt, any case; a directory's "
        "sub-directories are not searched, a zip's are)"
    )
    if names:
        shown = ", ".join(names[:_SHOWN]) + (", …" if len(names) > _SHOWN else "")
        text += f"; {len(names)} other file(s) ignored: {shown}"
    return UnreadableInputError(text)


#: Reader rules that mean "a NAT file was there but was not read" (over a limit, not a regular file).
_REFUSED = ("NAT-TOO-LARGE", "NAT-SPECIAL-FILE")


def require_nat_files(collection: Collection) -> Collection:
    """``collection`` if it holds at least one NAT file, else :func:`no_nat_files` raised — or, when NAT files were
    there but refused (a zip bomb, a FIFO), an error that says which and why rather than "no NAT files found"."""
    if collection.frames:
        return collection
    refused = [i.message for i in collection.issues if i.rule_id in _REFUSED]
    if refused:
        shown = "; ".join(refused[:_SHOWN]) + ("; …" if len(refused) > _SHOWN else "")
        raise UnreadableInputError(f"{collection.source or 'input'}: no NAT file could be read: {shown}")
    ignored = (i.file for i in collection.issues if i.rule_id == "NAT-UNKNOWN-FILE" and i.file)
    raise no_nat_files(collection.source or "input", ignored)
