"""The direction of imports: a module imports only from its own layer or the layers below it.

foundation (models, texfrag, urls, forking, words)  values, text, paths, counted nouns
inputs/     files a curator keeps -> values + problems
stages/     pure: values -> values
render/     values -> (path, text)
output/     the only code that writes files
site/       MkDocs, search, sitemaps over the written docs
pipeline    the conductor: load inputs -> assemble -> publish
cli, terminal, __main__   arguments in, text out
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
FOUNDATION = {"models", "texfrag", "urls", "forking", "words"}
RANKS = {"foundation": 0, "inputs": 1, "stages": 2, "render": 3, "output": 4, "site": 5, "pipeline": 6, "shell": 7}


def _layer(module: str) -> str:
    """`generator.stages.dedupe` -> `stages`; `generator.models` -> `foundation`."""
    parts = module.split(".")[1:]
    if not parts or parts[0] in FOUNDATION:
        return "foundation"
    if parts[0] in RANKS:
        return parts[0]
    return "pipeline" if parts[0] == "pipeline" else "shell"


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        out.append((name, path))
    return out


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            assert node.level == 0, f"{path}: relative import (use absolute `generator.` imports)"
            if node.module == "generator":
                found += [(node.lineno, f"generator.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator")]
    return found


def test_every_module_has_a_layer() -> None:
    assert {_layer(name) for name, _ in _modules()} <= set(RANKS)
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("_")} <= set(RANKS)


@pytest.mark.parametrize(("name", "path"), _modules(), ids=[name for name, _ in _modules()])
def test_no_module_imports_from_a_layer_above_it(name: str, path: Path) -> None:
    mine = RANKS[_layer(name)]
    upward = [
        f"line {line}: {target} ({_layer(target)})" for line, target in _imports(path) if RANKS[_layer(target)] > mine
    ]
    assert not upward, f"{name} ({_layer(name)}) imports from a layer above it: {upward}"


def test_stages_do_no_io() -> None:
    """Stages take values and return values: no files, no environment, no processes (a pass that
    may run on two cores takes the `SplitWork` the pipeline gives it)."""
    banned = {"os", "pathlib", "subprocess", "shutil", "tempfile", "io", "open", "multiprocessing", "concurrent"}
    for name, path in _modules():
        if _layer(name) != "stages":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert not (imported | calls) & banned, f"{name}: {(imported | calls) & banned}"
        assert "generator.forking" not in {t for _, t in _imports(path)}, f"{name} forks by itself"
