"""Validation engines beyond the in-process one: streaming on one machine, Dask for a cluster of machines.

Every engine runs the rules of the one registry (:data:`~avetmiss_finalise.validation.registry.REGISTRY`) through
the same engine functions (``validation.engine.run_rules``); they differ only in how a collection is split and
how the parts' findings are merged, and give the report the in-process ``validate`` gives (docs/scale.md).
``validate(path, engine="stream", chunk_rows=…)`` and ``validate(path, engine="dask", client=…)`` reach them; the
Dask engine is an optional extra (``avetmiss-finalise[dask]``), imported only when asked for.
"""

from __future__ import annotations

__all__ = ["ENGINES"]

#: Engine names accepted by ``validate(engine=…)`` and ``--engine``: the default first.
ENGINES = ("memory", "stream", "dask")
