"""Defaults shared by the commands."""

from __future__ import annotations

# Where every command looks for the store unless --store says otherwise (ignored by git).
DEFAULT_STORE = "./var/store"
