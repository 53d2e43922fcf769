"""The CSS of Material's search box, for the Zensical build.

The Pagefind search box (templates/theme/partials/pagefind-search.html) is Material's markup, so
that it sits and looks as Material's own. Zensical's themes draw their search differently and
ship none of these rules, so under Zensical the box was unstyled. `extract` takes, from
Material's stylesheet, every rule (inside its media query, if any) whose selector names a
`md-search` class, and the custom properties they use. `docs/stylesheets/search-box.css` is
what it gives for the pinned Material, plus one rule Zensical needs (ADDENDUM); the theme loads
that file only under Zensical, and a test checks that it is still what the pinned Material
gives. Regenerate it with `.venv/bin/python -m generator.site.search_box_css`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

HEADER = (
    "/* Material for MkDocs' search box rules (MIT licence, (c) Martin Donath), taken by\n"
    "   generator/site/search_box_css.py from the pinned Material's stylesheet; loaded only under\n"
    "   Zensical, whose themes ship none of them. Do not edit: regenerate. */\n"
)


ADDENDUM = (
    "/* Zensical hides .md-search below 60em (its search is a dialog of its own); the Pagefind box\n"
    "   is shown there as Material shows it: a full-screen dialog opened by the magnifier. */\n"
    "@media screen and (max-width:59.984375em){html:not(.no-js) .md-search[data-catalogue-search]{display:block}}\n"
)


def _outside_strings(text: str) -> Iterator[tuple[int, str]]:
    """(index, character) of `text` outside quoted strings (the quotes themselves left out)."""
    in_string: str | None = None
    for i, ch in enumerate(text):
        if in_string:
            if ch == in_string and text[i - 1] != "\\":
                in_string = None
        elif ch in "\"'":
            in_string = ch
        else:
            yield i, ch


def _blocks(css: str) -> list[tuple[str, str]]:
    """Top-level (prelude, body) pairs of a stylesheet, body without its braces."""
    out, depth, start, prelude_start = [], 0, 0, 0
    for i, ch in _outside_strings(css):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                out.append((css[prelude_start:start].strip(), css[start + 1 : i]))
                prelude_start = i + 1
    return out


def _declarations(body: str) -> list[str]:
    """The declarations of a rule's body, split at semicolons outside strings and brackets (a
    data URL holds semicolons)."""
    out, depth, start = [], 0, 0
    for i, ch in _outside_strings(body):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == ";" and depth == 0:
            out.append(body[start:i].strip())
            start = i + 1
    out.append(body[start:].strip())
    return [d for d in out if d]


def _wanted(prelude: str) -> bool:
    return "md-search" in prelude and not prelude.startswith("@")


def extract(material_css: str) -> str:
    """The search box's rules of `material_css` (Material's main stylesheet), in their order."""
    css = re.sub(r"/\*.*?\*/", "", material_css, flags=re.S)
    rules: list[str] = []
    properties: list[str] = []
    for prelude, body in _blocks(css):
        if prelude.startswith("@media") or prelude.startswith("@supports"):
            inner = [f"{p}{{{b}}}" for p, b in _blocks(body) if _wanted(p)]
            if inner:
                rules.append(f"{prelude}{{{''.join(inner)}}}")
        elif _wanted(prelude):
            rules.append(f"{prelude}{{{body}}}")
        elif not prelude.startswith("@"):
            found = [d for d in _declarations(body) if d.startswith("--md-search")]
            properties += [d for d in found if d not in properties]
    head = [f":root{{{';'.join(properties)}}}"] if properties else []
    return HEADER + "\n".join(head + rules) + "\n" + ADDENDUM


def main() -> None:
    """Regenerate docs/stylesheets/search-box.css from the installed Material:
    `.venv/bin/python -m generator.site.search_box_css`."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("material")
    if spec is None or spec.origin is None:
        raise SystemExit("mkdocs-material is not installed")
    (main_css,) = (Path(spec.origin).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css")
    target = Path(__file__).resolve().parents[2] / "docs" / "stylesheets" / "search-box.css"
    target.write_text(extract(main_css.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
