"""Dependencies point one way: cli -> api -> render -> analysis -> store / evaluation -> extraction -> io
-> records and the shared helpers. A module may import its own package and the layers below it,
never a layer above, and never a sibling package of its own layer (the shared records and helpers
of the lowest layer excepted)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "quotetrack"

# Lowest first. Each entry: the top-level modules or packages of quotetrack in that layer.
LAYERS: list[set[str]] = [
    {"errors", "records", "spans", "lexicon", "dates", "grouping", "given_names"},
    {"io"},
    {"extraction"},
    {"store", "evaluation"},
    {"analysis"},
    {"render"},
    {"api", "cluster", "__init__"},
    {"cli"},
]
# Modules that belong to a package they sit beside: `python -m quotetrack` is the CLI, the Alembic
# migrations are the store's schema.
PART_OF = {"__main__": "cli", "migrations": "store"}


def unit_of(module: str) -> str:
    """quotetrack.store.db -> "store"; quotetrack -> "__init__"."""
    parts = module.split(".")
    unit = parts[1] if len(parts) > 1 else "__init__"
    return PART_OF.get(unit, unit)


def layer_of(unit: str) -> int:
    for rank, units in enumerate(LAYERS):
        if unit in units:
            return rank
    raise AssertionError(f"quotetrack.{unit} is in no layer: add it to LAYERS in {__file__}")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, module: str) -> set[str]:
    """Every quotetrack module the file imports, at the top or inside a function."""
    found = set()
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "quotetrack"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "quotetrack":  # from quotetrack import lexicon: the module, not the package
                found |= {f"quotetrack.{alias.name}" for alias in node.names}
            elif target.split(".")[0] == "quotetrack":
                found.add(target)
    return found


def test_every_import_points_down():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        unit = unit_of(module)
        rank = layer_of(unit)
        for target in imported_modules(path, module):
            target_unit = unit_of(target)
            if target_unit == unit:
                continue
            target_rank = layer_of(target_unit)
            # the shared records and helpers may use each other; other siblings stay apart
            if target_rank > rank or (target_rank == rank and rank > 0 and unit != "__init__"):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_the_checker_sees_a_wrong_import(tmp_path):
    bad = tmp_path / "quotetrack" / "store" / "x.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("from ..analysis import compare\nimport quotetrack.cli\n", encoding="utf-8")
    assert imported_modules(bad, "quotetrack.store.x") == {"quotetrack.analysis", "quotetrack.cli"}
    assert layer_of("cli") > layer_of("analysis") > layer_of("store")
