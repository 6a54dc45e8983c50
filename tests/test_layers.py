"""Every import runs down the package order (foundation.packages.LAYERS, bottom to top): a module imports
only from its own package and the packages below it, also inside functions (lazy imports) and through
importlib.import_module."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from foundation.packages import LAYERS
from foundation.settings import PROJECT_ROOT

IMPORT_CALLS = {"import_module", "__import__"}


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in `tree`, nested ones included; relative imports
    stay in their own package and are left out."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and getattr(node.func, "attr", getattr(node.func, "id", None)) in IMPORT_CALLS):
            found.append((node.lineno, node.args[0].value))
    return found


def upward_imports(root: Path, layers: tuple[str, ...]) -> list[str]:
    """One line per import under `root` that runs against `layers` (bottom to top): file, line, arrow."""
    rank = {package: index for index, package in enumerate(layers)}
    problems = []
    for package in layers:
        for path in sorted((root / package).rglob("*.py")):
            for line, module in imported_modules(ast.parse(path.read_bytes(), filename=str(path))):
                target = module.split(".")[0]
                if rank.get(target, -1) > rank[package]:
                    problems.append(f"{path.relative_to(root).as_posix()}:{line}: {package} -> {target} "
                                    f"(imports {module}; {target} sits above {package})")
    return problems


def test_every_import_runs_down_the_layers():
    problems = upward_imports(PROJECT_ROOT, LAYERS)
    assert not problems, ("imports against the layer order " + " < ".join(LAYERS) + ":\n  "
                          + "\n  ".join(problems))


def test_the_layers_are_every_package_pyproject_installs():
    declared = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    installed = [pattern.rstrip("*") for pattern in declared["tool"]["setuptools"]["packages"]["find"]["include"]]
    on_disk = {p.parent.name for p in PROJECT_ROOT.glob("*/__init__.py")} - {"tests"}
    assert installed == list(LAYERS) and on_disk == set(LAYERS)


def test_an_import_up_the_layers_is_named_with_file_line_and_arrow(tmp_path: Path):
    files = {
        "low/__init__.py": "",
        "low/good.py": "import os\nfrom low import good\n",
        "low/lazy.py": "import os\n\n\ndef later():\n    from high.app import main\n    return main\n",
        "low/by_name.py": "import importlib\n\nplugin = importlib.import_module('high.app')\n",
        "high/__init__.py": "",
        "high/app.py": "from low.good import os\nimport low.lazy\n\n\ndef main():\n    pass\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    assert upward_imports(tmp_path, ("low", "high")) == [
        "low/by_name.py:3: low -> high (imports high.app; high sits above low)",
        "low/lazy.py:5: low -> high (imports high.app; high sits above low)",
    ]
    assert upward_imports(tmp_path, ("high", "low")) == [
        "high/app.py:1: high -> low (imports low.good; low sits above high)",
        "high/app.py:2: high -> low (imports low.lazy; low sits above high)",
    ]
