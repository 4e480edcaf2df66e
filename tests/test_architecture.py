"""The stages stay stages: no import cycle, derive stays pure, the CLI stays thin."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "docgen"


def _imports() -> dict[str, set[str]]:
    """Every docgen module and the docgen modules it imports (anywhere in its body)."""
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        pkg = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                       and getattr(block.test, "id", "") == "TYPE_CHECKING"
                       for stmt in block.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level and id(node) not in typing_only:
                base = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in mods:
                        graph[mod].add(sub)
                    elif target in mods and target != mod:
                        graph[mod].add(target)
    return graph


def test_no_import_cycle() -> None:
    graph = _imports()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            assert state.get(nxt) != 1, " → ".join(trail + [nxt])
            if nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod, [mod])


def test_derive_and_resolve_are_pure() -> None:
    graph = _imports()
    for mod in ("docgen.derive", "docgen.resolve"):
        allowed = {m for m in graph[mod] if m.startswith(("docgen.model", "docgen.messages"))}
        assert graph[mod] == allowed, (mod, graph[mod] - allowed)
        source = (PACKAGE / f"{mod.split('.')[-1]}.py").read_text(encoding="utf-8")
        for forbidden in ("open(", "import os", "pathlib", "date.today", "datetime.now"):
            assert forbidden not in source, (mod, forbidden)


def test_no_sentence_is_built_outside_templates_and_messages() -> None:
    """Documents' wording lives in templates: the contexts hand over data only."""
    for path in sorted((PACKAGE / "context").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in docstrings:
                    continue
                text = node.value
            else:
                continue
            assert len(text.split()) < 3, f"{path.name}:{node.lineno}: {text!r}"
