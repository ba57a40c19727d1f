"""The shape of the house (STYLE.md): imports run one way, and every package is shipped."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "kkr_desktop"

# What each layer may import of ours. ui and cli sit on top; nothing imports ui.
ALLOWED = {
    "core": {"core"},
    "store": {"core", "store", "paths", "__init__"},
    "formats": {"core", "formats"},
    "documents": {"core", "documents", "paths", "__init__"},
    "services": {"core", "store", "formats", "documents", "services", "paths", "__init__"},
    "commands": {"core", "services", "commands", "cli_text", "__init__"},
    "cli": {"core", "services", "commands", "cli_text", "__init__", "ui"},
    "cli_text": {"core", "services"},
    # The window goes through services; the store only for the Store type (TYPE_CHECKING).
    "ui": {"core", "services", "ui", "paths", "__init__"},
}
QT = ("PySide6", "shiboken6")


def layer_of(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the nodes under `if TYPE_CHECKING:` (imports for type hints, never run)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    return skip


def our_imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
    return found


def test_imports_run_one_way():
    problems = []
    for path in PKG.rglob("*.py"):
        layer = layer_of(path)
        for module, line in our_imports(path):
            where = f"{path.relative_to(ROOT)}:{line} imports {module}"
            if module.startswith(QT) and layer != "ui" and path.name != "cli.py":
                problems.append(f"{where} (Qt outside ui/)")
            if not module.startswith("kkr_desktop"):
                continue
            parts = module.split(".")
            target = parts[1] if len(parts) > 1 else "__init__"
            if target == "ui" and layer != "ui" and path.name != "cli.py":
                problems.append(f"{where} (nothing imports ui)")
            if layer in ALLOWED and target not in ALLOWED[layer]:
                problems.append(f"{where} ({layer} may not import {target})")
    assert problems == []


def test_cli_reaches_ui_only_lazily():
    tree = ast.parse((PKG / "cli.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, ast.ImportFrom | ast.Import)]
    names = [n.module if isinstance(n, ast.ImportFrom) else n.names[0].name for n in top]
    assert not any(str(n).startswith(("kkr_desktop.ui", "PySide6")) for n in names)


def test_every_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    packages = {".".join(p.parent.relative_to(ROOT).parts) for p in PKG.rglob("__init__.py")}
    assert packages - listed == set()
