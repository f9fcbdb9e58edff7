"""The Python code is ruff-clean with the project's settings."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean() -> None:
    """`ruff check scripts tests` reports nothing."""
    ruff = Path(sys.executable).with_name("ruff")
    proc = subprocess.run([str(ruff), "check", "scripts", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


LAYERS = {"model": set(), "build": {"model"}, "engines": {"build", "model"}, "checks": {"model", "build", "checks"},
          "outputs": {"model", "build", "outputs", "checks"}}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_imports_go_down_the_layers_and_only_the_adapter_knows_the_engine() -> None:
    """Imports go down the layers (model/ nothing of ours, build/ only model/…); model/ never imports an engine."""
    problems = []
    for layer, allowed in LAYERS.items():
        for path in sorted((ROOT / "scripts" / layer).glob("*.py")):
            for module in _imports(path):
                parts = module.split(".")
                if parts[0] == "scripts" and len(parts) > 1 and parts[1] not in allowed | {layer}:
                    problems.append(f"{path.relative_to(ROOT)} imports {module}")
                if layer == "model" and parts[0] in ("mkdocs", "material", "mkdocs_quiz"):
                    problems.append(f"{path.relative_to(ROOT)} imports {module}: the model knows no engine")
    assert not problems, problems


def test_every_module_says_what_it_is_for() -> None:
    """Each Python module under scripts/ opens with a docstring."""
    silent = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "scripts").rglob("*.py"))
              if ".venv" not in p.parts and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert not silent, silent
