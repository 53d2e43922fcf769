"""Listing dump text in the two real layouts, for tests that write dumps."""

from __future__ import annotations

from collections.abc import Iterable

LAYOUT_A_HEAD = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nApr 3\n\n"
)
"""Layout A: the listing header and its date, then title and abstract each followed by a blank line."""
LAYOUT_B_HEAD = (
    "Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\nSubscribe"
)
"""Layout B: the first title is glued to `Subscribe`; then one line each, no blank lines."""


def layout_a(lines: Iterable[str]) -> str:
    return LAYOUT_A_HEAD + "\n\n".join(lines) + "\n"


def layout_b(lines: Iterable[str]) -> str:
    return LAYOUT_B_HEAD + "\n".join(lines) + "\n"


def pairs(records: Iterable[tuple[str, str]]) -> list[str]:
    """(title, abstract) records as the lines of a dump."""
    return [line for record in records for line in record]


# A week's dump: new papers close to bundled ones (their related lists and topics change too).
WEEKLY_PAPERS = [
    (
        "Conservative Offline Q-Learning for Dexterous Robot Manipulation",
        "We study offline reinforcement learning for dexterous robot manipulation from logged "
        "demonstrations, with a conservative Q-function that avoids actions outside the data.",
    ),
    (
        "Temporal Action Localization with Sparse Video Transformers",
        "We localize actions in untrimmed videos with a sparse video transformer that predicts "
        "action boundaries and classes in one pass, on standard temporal action localization benchmarks.",
    ),
    (
        "Policy Gradient Methods for Multi-Agent Games with Partial Observability",
        "We analyse policy gradient methods for multi-agent reinforcement learning in partially "
        "observable games and give convergence guarantees for independent learners.",
    ),
]
