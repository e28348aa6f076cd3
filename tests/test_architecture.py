"""The kind contract holds: no module outside a kind's own app names a kind
(docs/architecture.md). Channels ask `sharing.kinds` instead.

Checked on the syntax tree of every module of the project's apps (not
migrations, which are history, nor tests, bench and scripts, which drive
the demo's kinds on purpose): no string literal and no identifier that is
a kind's name, model, relation or column ("product", "vac_id",
"related_products", Product, VACOverride…), and the generic layer
(`sharing`) imports neither kind app."""

import ast
import re
from pathlib import Path

import pytest

from sharing.kinds import kinds

ROOT = Path(__file__).resolve().parent.parent
KIND_APPS = {"pdc", "kennis"}
NOT_APPS = {"tests", "bench", "scripts", "node_modules", "docs", "media", "static"}


def kind_word_patterns():
    names = "|".join(re.escape(kind.name) for kind in kinds())
    models = "|".join(re.escape(kind.model.__name__) for kind in kinds())
    return (
        re.compile(rf"^(from_|to_|related_)?({names})s?(_[a-z_]+)?$", re.IGNORECASE),
        re.compile(rf"^({models})[A-Za-z]*$"),
        re.compile(rf"^({'|'.join(re.escape(kind.model_label) for kind in kinds())})$", re.IGNORECASE),
    )


def project_modules():
    for path in sorted(ROOT.glob("*/**/*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or parts[0] in KIND_APPS | NOT_APPS or "migrations" in parts:
            continue
        yield path


def words(tree):
    """(line, word) of every string literal and identifier in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.Name):
            yield node.lineno, node.id
        elif isinstance(node, ast.Attribute):
            yield node.lineno, node.attr
        elif isinstance(node, ast.keyword) and node.arg:
            yield node.value.lineno, node.arg
        elif isinstance(node, ast.arg):
            yield node.lineno, node.arg
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            yield node.lineno, node.name
        elif isinstance(node, ast.alias):
            yield getattr(node, "lineno", 0), node.asname or node.name


def test_there_are_modules_to_check():
    modules = list(project_modules())
    assert len(modules) > 50
    assert any(path.parts[-2] == "sharing" for path in modules)


@pytest.mark.parametrize("path", list(project_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_outside_a_kind_app_names_a_kind(path):
    patterns = kind_word_patterns()
    found = sorted(
        {f"{path.relative_to(ROOT)}:{line}: {word!r}" for line, word in words(ast.parse(path.read_text())) if any(p.match(word) for p in patterns)}
    )
    assert not found, "names a kind:\n" + "\n".join(found)


def test_the_generic_layer_imports_no_kind_app():
    for path in (ROOT / "sharing").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for module in modules:
                assert module.split(".")[0] not in KIND_APPS, f"{path.relative_to(ROOT)} imports {module}"
