"""The rule of the house: the core and storage know no platform SDK; adapters
know no vector store or LLM client. Checked on the source, every import form."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "bot": {"telegram", "discord", "adapters"},
    "memory": {"telegram", "discord", "adapters"},
    "adapters": {
        "chromadb",
        "langchain",
        "langchain_core",
        "langchain_openai",
        "openai",
        "anthropic",
        "langchain_anthropic",
        "langchain_ollama",
        "ollama",
    },
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant):
                roots.add(str(node.args[0].value).split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_imports(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no sources found for {package}"
    offenders = {
        str(f.relative_to(ROOT)): sorted(imported_roots(f) & FORBIDDEN[package]) for f in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_checker_sees_forbidden_imports(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text(
        "import telegram.ext\nfrom discord import ui\n"
        "def f():\n    import chromadb\n    importlib.import_module('langchain_openai')\n"
    )
    assert imported_roots(sample) >= {"telegram", "discord", "chromadb", "langchain_openai"}
