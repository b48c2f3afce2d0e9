"""Collection summary: what a NAT collection holds, counted — so a provider sees at a glance whether it *looks
right* (a year's outcomes, funding, programs, hours) before NCVER does.

``summarise(frames)`` is pure and vectorised (one ``value_counts``/``groupby`` pass per table, linear in rows);
:func:`render_text` and :meth:`Summary.to_dict` render it; the HTML view is in :mod:`avetmiss_finalise.html`.
No table holds personal data: every figure is a count or a sum over codes, program ids and dates of activity.
"""

from avetmiss_finalise.summary._compute import Summary, Table, summarise, summarise_path
from avetmiss_finalise.summary._render import render_json, render_text

__all__ = ["Summary", "Table", "render_json", "render_text", "summarise", "summarise_path"]
