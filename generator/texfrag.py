"""LaTeX fragments in listing text: plain text, safe HTML, and a folded comparison key.

Dumps carry TeX pasted from listing pages, often half-stripped: `$A^2$Nav`, `M^{3}`,
`Rayleigh--B\\'enard`, `GUI-360^circ`, `10^{73}`. These functions never execute anything:
they read characters and produce text; the HTML form escapes every character of dump text
and adds only `<sup>`/`<sub>` tags of its own.
"""

from __future__ import annotations

import re
import unicodedata

# \'e, \"u, \`a, \^o, \~n, \c c: accent commands, braces optional (\'{e}).
_ACCENTS = {"'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303", "c": "\u0327"}
_ACCENT_RE = re.compile(r"""\\(['"`^~]|c\s)\{?([A-Za-z])\}?""")
_ESCAPED_SYMBOL_RE = re.compile(r"\\([%&#_$])")
# `^` takes a braced group, `circ` or one character; `_` only a braced group or a digit, so
# identifiers and URLs such as `my_repo` in an abstract stay as written.
_SCRIPT_RE = re.compile(r"(\^)(\{([^{}]{0,40})\}|circ\b|[A-Za-z0-9+\-*])|(_)(\{([^{}]{0,40})\}|[0-9])")
_COMMAND_RE = re.compile(r"\\([A-Za-z]+)(\{\}|\s)?")
"""A control word and what ends it: one space or `{}` (what the math stripper leaves after a
control word that closes a formula, so the space after `$` survives). A symbol eats the space, as
TeX does (`\times 2` -> `×2`); a command shown as its name keeps it (`\alpha \beta` -> `alpha beta`)."""
_SUPERSCRIPTS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_DASHES = (("---", "\u2014"), ("--", "\u2013"))
# Commands that stand for a symbol a reader knows; any other command keeps its name.
_SYMBOLS = {"circ": "°", "times": "×", "cdot": "·", "infty": "∞", "pm": "±", "leq": "≤", "geq": "≥"}


def _apply_accents(text: str) -> str:
    if "\\" not in text:  # every command starts with a backslash: nothing to scan for
        return text

    def repl(m: re.Match[str]) -> str:
        return unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1).strip()])

    return _ACCENT_RE.sub(repl, text)


def _unescape_symbols(text: str) -> str:
    if "\\" in text:
        text = _ESCAPED_SYMBOL_RE.sub(r"\1", text)
    if "--" in text:
        for tex, char in _DASHES:
            text = text.replace(tex, char)
    return text


def _script_parts(m: re.Match[str]) -> tuple[str, str]:
    """('^' or '_', the body as text) for a match of _SCRIPT_RE."""
    if m.group(1):
        body = m.group(3) if m.group(3) is not None else m.group(2)
        return "^", _SYMBOLS.get(body, body)
    return "_", m.group(6) if m.group(6) is not None else m.group(5)


def _commands_to_text(text: str) -> str:
    if "\\" not in text:
        return text

    def word(m: re.Match[str]) -> str:
        name, end = m.group(1), m.group(2) or ""
        return _SYMBOLS[name] if name in _SYMBOLS else name + (" " if end.isspace() else "")

    return _COMMAND_RE.sub(word, text)


def _strip_math_delimiters(text: str) -> str:
    # `$A^2$Nav` -> `A^2Nav`; a lone `$` (currency, a cut fragment) is kept. `$\alpha$ Otter`
    # keeps its space: the control word ends at the formula's end, marked `{}`.
    if "$" not in text:
        return text
    return _MATH_RE.sub(lambda m: m.group(1) + ("{}" if _ENDS_IN_COMMAND_RE.search(m.group(1)) else ""), text)


_ENDS_IN_COMMAND_RE = re.compile(r"\\[A-Za-z]+$")


_MATH_RE = re.compile(r"\$([^$]{1,80})\$")


def to_plain(text: str) -> str:
    """Readable plain text for <title>, previews, search and slugs: `$A^2$Nav` -> `A²Nav`."""
    text = _strip_math_delimiters(_unescape_symbols(_apply_accents(text)))

    def script(m: re.Match[str]) -> str:
        kind, body = _script_parts(m)
        if body in _SYMBOLS.values():
            return body
        mapped = body.translate(_SUPERSCRIPTS if kind == "^" else _SUBSCRIPTS)
        if all(ch in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎" for ch in mapped):
            return mapped
        return kind + body

    if "^" in text or "_" in text:
        text = _SCRIPT_RE.sub(script, text)
    return " ".join(_commands_to_text(text).split())


def to_html(text: str) -> str:
    """Escaped HTML with sub/superscripts rendered: `M^{3}` -> `M<sup>3</sup>`."""
    text = _strip_math_delimiters(_unescape_symbols(_apply_accents(text)))
    out: list[str] = []
    pos = 0
    for m in _SCRIPT_RE.finditer(text):
        out.append(escape_text(_commands_to_text(text[pos : m.start()])))
        kind, body = _script_parts(m)
        if body in _SYMBOLS.values():
            out.append(escape_text(body))
        else:
            tag = "sup" if kind == "^" else "sub"
            out.append(f"<{tag}>{escape_text(_commands_to_text(body))}</{tag}>")
        pos = m.end()
    out.append(escape_text(_commands_to_text(text[pos:])))
    return "".join(out)


# Characters that Markdown, pymdownx extensions or Jinja could read as syntax. Written as
# numeric entities, they display as themselves and are never parsed as markup.
_MARKUP_CHARS = set("&<>\"'\\`*_[](){}#|~!$^=+:")


_MARKUP_RE = re.compile("[" + re.escape("".join(sorted(_MARKUP_CHARS))) + "]")
_ENTITIES = {ch: f"&#{ord(ch)};" for ch in _MARKUP_CHARS}


def escape_text(text: str) -> str:
    """Dump text made inert for both HTML and Markdown: every syntax character becomes an entity."""
    return _MARKUP_RE.sub(lambda m: _ENTITIES[m.group()], text)


def fold(text: str) -> str:
    """Comparison form: TeX rendered to plain, accents and case dropped, punctuation to spaces.

    The result holds only words of `[0-9a-z]` separated by single spaces."""
    if "\\" in text or "$" in text or "^" in text or "_" in text or "--" in text:
        text = to_plain(text)
    if text.isascii():
        folded = text.lower().encode("ascii")
    else:
        # NFKD splits accents off their letters and turns `²`/`ⁿ`/`₃` into `2`/`n`/`3`; what is
        # still not ASCII after case folding becomes `?`, a separator like the punctuation.
        text = unicodedata.normalize("NFKD", text).casefold()
        folded = text.encode("ascii", "replace")
    # One C pass maps every byte but `[0-9a-z]` to a space (a regex costs several times more).
    return " ".join(folded.translate(_WORD_BYTES).decode("ascii").split())


_WORD_BYTES = bytes(b if (0x30 <= b <= 0x39 or 0x61 <= b <= 0x7A) else 0x20 for b in range(256))


def fold_key(text: str) -> str:
    """Title key: folded text with spaces removed, so `A 2 Nav`, `A²Nav` and `$A^2$Nav` agree."""
    return key_of_folded(fold(text))


def key_of_folded(folded: str) -> str:
    """`fold_key` of a text from its `fold` (for a caller that needs both, folding once)."""
    return folded.replace(" ", "")


# Topic match phrases (topics.yml) in the words of folded text


def phrase_pieces(phrase: str) -> list[tuple[str, bool]]:
    """`vision-language action*` -> [(folded piece, ends with `*`), ...]; empty pieces dropped."""
    out = []
    for raw in re.split(r"[\s\-_/]+", phrase.strip()):
        core = fold(raw)
        if core:
            out.append((core, raw.endswith("*")))
    return out


def phrase_words(phrase: str) -> tuple[tuple[str, bool], ...]:
    """The words a phrase matches in folded text, each with whether it is a prefix (`word*`).

    Folded text holds only `[0-9a-z]` words between single spaces, so `compile_phrase(phrase)`
    matches exactly where these words follow each other, a prefix word matching any word it starts."""
    out: list[tuple[str, bool]] = []
    for core, star in phrase_pieces(phrase):
        words = core.split()
        out += [(w, star and i == len(words) - 1) for i, w in enumerate(words)]
    return tuple(out)
