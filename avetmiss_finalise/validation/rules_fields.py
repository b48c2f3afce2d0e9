"""File-level (F-…) and field-level (V-010 … V-100, V-120-F…) rules: presence, formats and code lists."""

from __future__ import annotations
