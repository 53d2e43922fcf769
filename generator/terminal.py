"""Text bound for a terminal: dump text is data, so control characters in it (escape sequences
that move the cursor, retitle the window or hide a line; bidi overrides that reorder what is
shown) are printed as visible escapes, never sent raw."""

from __future__ import annotations

import logging
import unicodedata

_KEEP = {"\n", "\t"}


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def safe(text: str) -> str:
    """`text` with every control and format character but newline and tab shown as `\\xNN` / `\\uNNNN`."""
    if text.isprintable() and "\x1b" not in text:  # the common case: nothing to escape
        return text
    return "".join(
        _escape(ch) if ch not in _KEEP and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") else ch
        for ch in text
    )


class SafeFormatter(logging.Formatter):
    """Log lines name dump files: their control characters are escaped like the report's."""

    def format(self, record: logging.LogRecord) -> str:
        return safe(super().format(record))
