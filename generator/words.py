"""Counted nouns in reader words: one helper for every page, report line and console message."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """`1 paper`, `2 papers`, `0 papers`; `many` for a noun whose plural is not noun + s."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"


def was_were(n: int) -> str:
    """The verb that agrees with a count: `1 record was`, `2 records were`."""
    return "was" if n == 1 else "were"
