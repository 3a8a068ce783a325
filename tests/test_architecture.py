"""The folder listing is the pipeline: no import cycles, each module says its job, no platform-only imports."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import grimp

SRC = Path(__file__).resolve().parent.parent / "src" / "digibrief"


@functools.cache
def _nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of a module's syntax tree, the module first: parsed once for all the tests here."""
    return tuple(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), i.e. import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if not w.startswith("digibrief"):
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(m for m in graph.modules if m.startswith("digibrief")):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("digibrief", include_external_packages=False)
    assert _cycles(graph) == []


def test_writers_and_charts_never_reach_the_project_layer_pydantic_or_yaml() -> None:
    graph = grimp.build_graph("digibrief", include_external_packages=True)
    for source in ("digibrief.writers", "digibrief.charts"):
        for forbidden in ("digibrief.project", "pydantic", "yaml"):
            chains = graph.find_shortest_chains(importer=source, imported=forbidden, as_packages=True)
            assert not chains, f"{source} reaches {forbidden}: {sorted(chains)[:3]}"


def test_every_module_opens_with_a_one_sentence_statement_of_its_job() -> None:
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "__main__.py":
            continue
        module = _nodes(path)[0]
        assert isinstance(module, ast.Module)
        doc = ast.get_docstring(module)
        assert doc, f"{path.relative_to(SRC)} has no docstring"
        first = " ".join(doc.strip().split("\n\n")[0].split())
        assert first.endswith((".", ":", ")")), f"{path.relative_to(SRC)}: {first!r}"


def test_no_platform_only_module_is_imported() -> None:
    for path in sorted(SRC.rglob("*.py")):
        names = {a.name for n in _nodes(path) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in _nodes(path) if isinstance(n, ast.ImportFrom)}
        assert not names & {"fcntl", "msvcrt", "termios"}, path


def _imported_names(path: Path) -> set[str]:
    """'module.name' for every `from module import name` in a file, and 'module' for `import module`."""
    out: set[str] = set()
    for node in _nodes(path):
        if isinstance(node, ast.ImportFrom) and node.module:
            out |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
    return out


def test_writers_and_charts_take_the_language_as_an_argument_never_from_a_context() -> None:
    """From words.py they take the Speech type (and ENGLISH), never a function that speaks for them."""
    allowed = {"digibrief.document.words.Speech", "digibrief.document.words.ENGLISH"}
    for folder in ("writers", "charts"):
        for path in sorted((SRC / folder).rglob("*.py")):
            found = {
                name
                for name in _imported_names(path)
                if name in ("digibrief.document.numbers", "digibrief.document.words")
                or name.startswith("digibrief.document.numbers.")
                or (name.startswith("digibrief.document.words.") and name not in allowed)
            }
            assert not found, f"{path.relative_to(SRC)} reads the language from a context: {sorted(found)}"


def _called_name(func: ast.expr) -> str | None:
    """The last name of what a call calls: `ContextVar` for ContextVar(...) and contextvars.ContextVar(...)."""
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def test_no_module_creates_a_context_variable() -> None:
    """The language, like every setting, travels as an argument: no ContextVar carries it."""
    for path in sorted(SRC.rglob("*.py")):
        found = sorted(
            name for name in _imported_names(path) if name == "contextvars" or name.startswith("contextvars.")
        ) + sorted(
            ast.unparse(node.func)
            for node in _nodes(path)
            if isinstance(node, ast.Call) and _called_name(node.func) == "ContextVar"
        )
        assert not found, f"{path.relative_to(SRC)} creates a context variable: {found}"


def test_no_writer_computes_ticks_label_text_or_notes() -> None:
    """The chart layout (document/chartlayout) decides every tick, label and note; writers draw it."""
    import re

    # python-pptx's chart.value_axis is a drawing call; a function of that name would be a layout
    banned = re.compile(r"MaxNLocator|hollow_note|(?<!\.)\b(nice_step|value_axis|tick_texts?|chart_notes)\b")
    for path in sorted((SRC / "writers").rglob("*.py")):
        found = banned.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(SRC)} lays out a chart of its own: {found}"
