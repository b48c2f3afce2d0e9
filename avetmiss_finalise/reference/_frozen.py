"""A read-only dict: the reference tables are shared by every chunk and worker, so nothing may change them.

``types.MappingProxyType`` would do, but it cannot be pickled, and a streaming or Dask engine ships the reference
object to its workers.
"""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

__all__ = ["FrozenDict"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A dict whose mutating methods raise ``TypeError``; hashable by identity only."""

    def _readonly(self, *_: Any, **__: Any) -> NoReturn:
        raise TypeError("reference tables are read-only")

    __setitem__ = __delitem__ = _readonly
    clear = pop = popitem = setdefault = update = _readonly
    __ior__ = _readonly

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return id(self)
