"""Lazy package façades (PEP 562): a name is imported from its module the first time it is used.

Why: pandas and pyarrow cost about a second to import, and most callers need only part of the package. An SMS that
calls ``finalise`` per request, or a user asking ``--help``, must not pay for the columnar machinery. A package
``__init__`` lists what it re-exports (name → defining module) and hands that table to :func:`attach`; the
``TYPE_CHECKING`` imports beside it give type checkers the same names (tests/test_lazy_imports.py holds the two
equal, and ``__all__`` equal to both).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping

__all__ = ["attach"]


def attach(package: str, exports: Mapping[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: re-exported names, then sub-modules, imported on first use."""

    def __getattr__(name: str) -> object:
        module_name = exports.get(name)
        if module_name is None:
            submodule = f"{package}.{name}"
            try:
                return importlib.import_module(submodule)
            except ModuleNotFoundError as exc:
                if exc.name != submodule:
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module_name), name)
        setattr(sys.modules[package], name, value)  # later look-ups are plain attribute reads
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__
