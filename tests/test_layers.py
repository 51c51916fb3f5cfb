"""The layering holds: each app imports only itself, the apps below it and config's
infrastructure, and imports sit at the top of modules (views and commands excepted).

Read from the source with ast, so a violation fails here before it becomes an import cycle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. An app may import the apps before it in this list, never those after it.
LAYERS = [
    "accounts",
    "groups",
    "notifications",
    "bookmarks",
    "annotations",
    "search",
    "library",
    "transfer",
]
# config's infrastructure (settings, Celery, queueing, API plumbing, domain errors) sits below
# every app; its URL maps and home view compose every app and sit above them all.
CONFIG_TOP = {"config.urls", "config.api_urls", "config.views"}
# Where an import inside a function is fine: views (request-time composition), management
# commands, Django's AppConfig.ready() and migrations.
LATE_IMPORTS_ALLOWED = ("views.py", "reader.py", "apps.py")


def app_modules():
    for app in [*LAYERS, "config"]:
        folder = ROOT / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path


def module_name(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def rank(module):
    """The layer of a first-party module (None: not one of ours)."""
    top = module.split(".")[0]
    if top == "config":
        return len(LAYERS) if module in CONFIG_TOP else -1
    return LAYERS.index(top) if top in LAYERS else None


def imported_modules(tree, module):
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom):
            if not node.level:
                yield node, node.module
                continue
            base = package.split(".")
            base = ".".join(base[: len(base) - node.level + 1])
            if node.module:
                yield node, f"{base}.{node.module}"
            else:  # from . import models, selectors
                for alias in node.names:
                    yield node, f"{base}.{alias.name}"


def late_imports(tree):
    """Import statements inside a function or method body."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    yield inner


def test_the_layer_list_names_every_app_on_disk():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} - {"config"}  # below every layer
    assert apps <= set(LAYERS), f"add {sorted(apps - set(LAYERS))} to LAYERS"


@pytest.mark.parametrize("path", list(app_modules()), ids=lambda p: module_name(p))
def test_no_module_imports_a_higher_layer(path):
    module = module_name(path)
    own = rank(module)
    tree = ast.parse(path.read_text(), filename=str(path))
    upward = [
        f"line {node.lineno}: {target}"
        for node, target in imported_modules(tree, module)
        if (theirs := rank(target)) is not None and theirs > own
    ]
    assert not upward, f"{module} imports from a higher layer: {upward}"


@pytest.mark.parametrize("path", list(app_modules()), ids=lambda p: module_name(p))
def test_imports_sit_at_the_top_outside_views_and_commands(path):
    if path.name in LATE_IMPORTS_ALLOWED or "commands" in path.parts:
        return
    tree = ast.parse(path.read_text(), filename=str(path))
    late = [f"line {node.lineno}" for node in late_imports(tree)]
    assert not late, f"{module_name(path)} imports inside functions: {late}"


def test_the_checker_sees_an_upward_import():
    """The rule itself: bookmarks importing annotations would be caught."""
    tree = ast.parse("from annotations.models import Highlight\nfrom . import models\n")
    found = [t for _node, t in imported_modules(tree, "bookmarks.services")]
    assert found == ["annotations.models", "bookmarks.models"]
    assert rank("annotations.models") > rank("bookmarks.services")
    assert rank("config.queue") < rank("accounts.models") < rank("config.urls")


def test_the_checker_sees_an_import_inside_a_function():
    tree = ast.parse("def f():\n    from annotations import services\n")
    assert len(list(late_imports(tree))) == 1


def service_and_selector_modules():
    for pattern in ("*/services.py", "*/selectors.py", "*/*_selectors.py"):
        yield from sorted(ROOT.glob(pattern))


def _is_sql_expression(cls):
    """Django expression classes (Func...) keep Django's own as_sql signatures."""
    names = {getattr(base, "id", getattr(base, "attr", "")) for base in cls.bases}
    return bool(names & {"Func", "Expression", "Transform", "Lookup", "Aggregate", "SearchQuery"})


@pytest.mark.parametrize("path", list(service_and_selector_modules()), ids=module_name)
def test_every_service_and_selector_signature_is_annotated(path):
    """The writes and reads other apps call say what they take (HackSoft's and linkding's
    habit): every parameter of a public function, and of its classes' public methods."""
    tree = ast.parse(path.read_text(), filename=str(path))
    missing = []
    for node in tree.body:
        functions = [node] if isinstance(node, ast.FunctionDef) else []
        if isinstance(node, ast.ClassDef) and not _is_sql_expression(node):
            functions = [n for n in node.body if isinstance(n, ast.FunctionDef)]
        for function in functions:
            if function.name.startswith("_") and function.name != "__init__":
                continue
            arguments = function.args
            for argument in arguments.posonlyargs + arguments.args + arguments.kwonlyargs:
                if argument.annotation is None and argument.arg not in ("self", "cls"):
                    missing.append(f"{function.name}({argument.arg})")
    assert not missing, f"{module_name(path)}: parameters without a type: {missing}"
