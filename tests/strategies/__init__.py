"""Shared Hypothesis strategies, one home for all tests (submodules by concept, re-exported here).

- ``tests.strategies.nat``: field values, NAT records and lines per layout.
- ``tests.strategies.model``: learners, unit/program enrolments, finalisation events.
- ``tests.strategies.collections``: whole NAT collections (frames) built to satisfy or break rules.
"""
