"""The core package ``src/microcred`` never imports Django, django-ninja or the web layer.

Three independent checks, so that none can rot unnoticed:

1. import-linter with the contract in ``pyproject.toml`` (``[tool.importlinter]``);
2. an AST scan of every ``.py`` file under ``src/microcred`` (which also catches
   ``importlib.import_module("django")``), itself tested on a file that breaks the rule;
3. importing every core module in a fresh interpreter and checking ``sys.modules``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORE = REPO / "src" / "microcred"
FORBIDDEN = ("django", "ninja", "microcred_web")


def _forbidden(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FORBIDDEN)


def forbidden_imports(path: Path) -> list[str]:
    """``file:line: module`` for each forbidden import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if _forbidden(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and _forbidden(node.module):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if (
                name in {"import_module", "__import__"}
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and _forbidden(first.value)
            ):
                found.append((node.lineno, first.value))
    return [f"{path}:{line}: {module}" for line, module in sorted(found)]


def test_import_linter_contract_holds() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_no_core_module_imports_django_ninja_or_the_web_layer() -> None:
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 1

    problems = [problem for path in files for problem in forbidden_imports(path)]

    assert problems == []


def test_the_scanner_reports_every_form_of_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import os\n"
        "import django\n"
        "from django.db import models\n"
        "import ninja.errors as errors\n"
        "from microcred_web import api\n"
        "import importlib\n"
        "importlib.import_module('django.conf')\n"
        "def later():\n"
        "    from ninja import Router\n"
        "from . import djangoish\n"
        "import djangorestframework\n",
        encoding="utf-8",
    )

    assert forbidden_imports(bad) == [
        f"{bad}:2: django",
        f"{bad}:3: django.db",
        f"{bad}:4: ninja.errors",
        f"{bad}:5: microcred_web",
        f"{bad}:7: django.conf",
        f"{bad}:9: ninja",
    ]


def test_importing_the_whole_core_loads_no_django() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import microcred\n"
        "for info in pkgutil.walk_packages(microcred.__path__, 'microcred.'):\n"
        "    importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{FORBIDDEN!r})\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
