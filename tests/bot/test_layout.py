"""The edge's shape: no import cycles among the bot's modules, no cog looked up by name, and
services that know nothing of Discord."""

from __future__ import annotations

import ast
from pathlib import Path

import bot

ROOT = Path(bot.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> set[str]:
    """Modules of ``bot`` imported when ``path`` runs (``TYPE_CHECKING`` blocks excluded)."""
    tree = ast.parse(path.read_text())
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)
            for child in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, child, None)
                if (
                    isinstance(inner, list)
                    and inner
                    and isinstance(inner[0], ast.stmt | ast.excepthandler)
                ):
                    visit([n for n in inner if isinstance(n, ast.stmt)])

    visit(tree.body)
    return found


def test_no_import_cycles() -> None:
    modules = {module_name(p): p for p in ROOT.rglob("*.py")}
    graph = {
        name: {m for m in runtime_imports(path) if m in modules and m != name}
        for name, path in modules.items()
    }
    done: set[str] = set()

    def walk(name: str, stack: list[str]) -> None:
        if name in stack:
            cycle = [*stack[stack.index(name) :], name]
            raise AssertionError(" -> ".join(cycle))
        if name in done:
            return
        for imported in sorted(graph[name]):
            # importing bot.x.y first runs the package bot.x: that is not a cycle of ours
            if not name.startswith(imported + "."):
                walk(imported, [*stack, name])
        done.add(name)

    for name in sorted(graph):
        walk(name, [])


def test_no_cog_is_looked_up_by_name_and_services_know_no_discord() -> None:
    for path in ROOT.rglob("*.py"):
        assert "get_cog(" not in path.read_text(), path
    for path in (ROOT / "services").glob("*.py"):
        assert not {m for m in runtime_imports(path) if m.split(".")[0] == "discord"}, path
