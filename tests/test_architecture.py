"""The stages stay stages: no import cycle, derive stays pure, the CLI stays thin."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "docgen"


def _imports() -> dict[str, set[str]]:
    """Every docgen module and the docgen modules it imports (anywhere in its body)."""
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        pkg = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):  # type-only imports (under TYPE_CHECKING) count too
            if isinstance(node, ast.ImportFrom) and node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in mods:
                        graph[mod].add(sub)
                    elif target in mods and target != mod:
                        graph[mod].add(target)
    return graph


def test_no_import_cycle() -> None:
    graph = _imports()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            assert state.get(nxt) != 1, " → ".join(trail + [nxt])
            if nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod, [mod])


def test_derive_and_resolve_are_pure() -> None:
    graph = _imports()
    for mod in ("docgen.derive", "docgen.resolve"):
        allowed = {m for m in graph[mod] if m.startswith(("docgen.model", "docgen.messages"))}
        assert graph[mod] == allowed, (mod, graph[mod] - allowed)
        source = (PACKAGE / f"{mod.split('.')[-1]}.py").read_text(encoding="utf-8")
        for forbidden in ("open(", "import os", "pathlib", "date.today", "datetime.now"):
            assert forbidden not in source, (mod, forbidden)


def test_no_sentence_is_built_outside_templates_and_messages() -> None:
    """Documents' wording lives in templates: the contexts hand over data only."""
    for path in sorted((PACKAGE / "context").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in docstrings:
                    continue
                text = node.value
            else:
                continue
            assert len(text.split()) < 3, f"{path.name}:{node.lineno}: {text!r}"


# A literal « reads as a French sentence » when it has three words (two in lower case) and a French mark: an
# accented letter or guillemet, an elision (d', l', qu'…), or a French function word or a word the
# messages use all the time. Placeholders of f-strings count as no word.
_FRENCH_MARK = re.compile(
    r"[àâçéèêëîïôûùüÿœæ«»]|\b(?:[dlnjcsm]|qu)['’]\w|\b(?:le|la|les|un|une|des|du|de|est|sont|"
    r"pas|dans|pour|avec|sur|ou|et|au|aux|ce|cette|ces|ne|par|en|à|que|qui|se|son|sa|ses|leur|"
    r"plus|vers|sans|entre|manquante?|inconnue?|attendue?|invalide|introuvable|illisible|"
    r"refusée?|trop|fichier|dossier|valeur|champ|erreur|avertissement|vouliez)\b", re.IGNORECASE)
# Code docgen writes in other languages: XML/SVG/HTML tags, Typst rules, a CSS font list.
_CODE = re.compile(r"<[A-Za-z/!?]|(?:^|\s)#?set \w+\(|sans-serif")
# Keyword arguments whose text is schema documentation, not a message (pydantic fields, models).
_DOC_KEYWORDS = {"description", "__doc__"}
# The French filters the templates use (amounts in words, elision, agreement): grammar the issue
# keeps in Python, beside num2words and Babel; they word no message.
_FRENCH_FILTERS = {"formatting.py"}
# Methods whose string argument is wording *recognised* in a rendered document (the template's
# own words, such as « IL EST CONVENU »), not wording docgen prints.
_RECOGNISERS = {"startswith", "endswith"}


def reads_as_french_sentence(text: str) -> bool:
    words = [w for w in text.split() if re.search(r"[^\W\d_]{2,}", w)]
    # two words are enough for a fragment in lower case (« partie manquante », « {x} introuvable »);
    # two capitalised words are a name (« La Réunion », « Liberation Sans »)
    long_enough = len(words) >= 3 or (len(words) == 2 and not words[0][0].isupper())
    return long_enough and bool(_FRENCH_MARK.search(text)) and not _CODE.search(text)


def inline_sentences(source: str) -> list[tuple[int, str]]:
    """Every string literal of a module that reads as a French sentence and is neither a
    docstring, nor schema documentation, nor wording recognised in a document."""
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant):
            allowed.add(id(node.body[0].value))
        elif isinstance(node, ast.keyword) and node.arg in _DOC_KEYWORDS:
            allowed.update(id(n) for n in ast.walk(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in _RECOGNISERS:
            allowed.update(id(a) for a in node.args if isinstance(a, ast.Constant))
        elif isinstance(node, ast.JoinedStr):  # judged as a whole, below
            allowed.update(id(v) for v in node.values)
    found = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if reads_as_french_sentence(text):
            found.append((node.lineno, text))
    return sorted(found)


def test_every_message_lives_in_the_messages_package() -> None:
    """Wording is in templates (documents) or in docgen/messages/ (everything docgen says)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in ("messages", "templates") or str(rel) in _FRENCH_FILTERS:
            continue
        offenders += [f"{rel}:{line}: {text!r}"
                      for line, text in inline_sentences(path.read_text(encoding="utf-8"))]
    assert not offenders, "French sentences outside docgen/messages/:\n" + "\n".join(offenders)


def test_the_sentence_detector_catches_what_it_must_and_nothing_else() -> None:
    caught = inline_sentences(
        'raise DocgenError(f"{path} : fichier introuvable.")\n'
        'report.add(f, here, "une clé doit être un simple mot.")\n'
        'x = ("option obligatoire "\n     "manquante")\n')
    assert [line for line, _ in caught] == [1, 2, 3]
    assert inline_sentences(
        'def f():\n    """Une docstring reste ici."""\n'
        'x: str = Field(description="Nom officiel de la commune.")\n'
        'if t.startswith("IL EST CONVENU"):\n    pass\n'
        'svg = f\'<svg width="{w}"><title>{t}</title>\'\n'
        'typst = "#set par(spacing: 0pt)"\n'
        'FONT = "Liberation Sans, Arial, Helvetica, sans-serif"\n'
        'key = "fiches_actions"\n') == []


def test_each_messages_module_stays_readable() -> None:
    for path in sorted((PACKAGE / "messages").glob("*.py")):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name


def test_typesetting_a_reviewed_docx_loads_no_case_machinery() -> None:
    """`docgen pdf` starts in a fraction of a second: the command line and the DOCX → PDF path
    import neither the case model (pydantic, YAML, perimeters) nor the template engine nor
    WeasyPrint."""
    import subprocess
    import sys

    heavy = ("pydantic", "ruamel", "shapely", "numpy", "jinja2", "babel", "docxtpl", "weasyprint")
    probe = ("import sys, docgen.cli, docgen.reviewed, docgen.finish.pdf, docgen.finish.parity, "
             f"docgen.finish.fields; print([m for m in {heavy!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_no_private_name_is_imported_across_packages() -> None:
    """A name with a leading underscore stays in its package (docgen.finish, docgen.load…)."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        mod = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        pkg = mod.removesuffix(".__init__") if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.level):
                continue
            base = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            target_pkg = target if (PACKAGE.parent / target.replace(".", "/")).is_dir() \
                else target.rsplit(".", 1)[0]
            for alias in node.names:
                if alias.name.startswith("_") and target_pkg != pkg and \
                        not alias.name.startswith("__"):
                    found.append(f"{mod}: {alias.name} from {target}")
    assert not found, "\n".join(found)
