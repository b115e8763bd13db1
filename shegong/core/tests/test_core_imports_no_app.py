"""Core depends on nothing above it (DESIGN §3): apps plug into core through its registries, so
no module of core names a domain app, by import or by dotted path in a string.

Core's own tests are exempt: they exercise core's mechanisms on real domain models.
"""

import ast
import re
from pathlib import Path

import shegong.core

CORE = Path(shegong.core.__file__).parent
# The project package's modules core may use: itself, and the API plumbing (NinjaAPI instance,
# error format, filter binding), which holds no domain code of its own.
ALLOWED = {"core", "api", "settings"}
DOTTED = re.compile(r"^shegong\.(\w+)(\.\w+)*$")


def _named_app(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "shegong" or len(parts) < 2:
        return None
    return None if parts[1] in ALLOWED else parts[1]


def foreign_references(root: Path) -> list[str]:
    """ "path:line: name" for every import of, or dotted string naming, a module outside ALLOWED."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in ("tests", "migrations"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = [node.value] if DOTTED.match(node.value) else []
            for name in names:
                app = _named_app(name)
                if app:
                    found.append(f"{relative}:{node.lineno}: {name}")
                    break
    return found


def test_core_names_no_domain_app():
    assert foreign_references(CORE) == []


def test_the_check_finds_an_import_and_a_dotted_path(tmp_path):
    (tmp_path / "leaky.py").write_text(
        "def f():\n"
        "    from shegong.cases.selectors import case_figures\n"
        "CHECK = 'shegong.people.permissions.may_list_people'\n"
        "from shegong.core import scope\n",
        encoding="utf-8",
    )
    assert foreign_references(tmp_path) == [
        "leaky.py:2: shegong.cases.selectors",
        "leaky.py:3: shegong.people.permissions.may_list_people",
    ]
