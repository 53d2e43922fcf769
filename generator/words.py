"""Counted nouns and dates in reader words: one helper for every page, report line and console
message."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """`1 paper`, `2 papers`, `0 papers`; `many` for a noun whose plural is not noun + s."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"


def was_were(n: int) -> str:
    """The verb that agrees with a count: `1 record was`, `2 records were`."""
    return "was" if n == 1 else "were"


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def human_date(iso: str) -> str:
    """`2026-11-21` -> `21 Nov 2026`."""
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day} {_MONTHS[month - 1]} {year}"
