"""Generated hostile case files for the loader, and the oracle they must satisfy: either the
case loads, or CaseInvalid says, in French, at file:line:column, what is wrong. Anything else
(another exception, a position out of the file, an English message) is a failure.

Used by tests/test_fuzz.py (a small sample) and benchmarks/fuzz_loader.py (≥ 10,000 inputs).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from docgen.errors import CaseInvalid
from docgen.load import load_case

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "cases" / "minimal"
FILES = ("convention.yaml", "territoire.yaml")
TEXTS = {name: (MINIMAL / name).read_text(encoding="utf-8") for name in FILES}
DATA = {name: yaml.safe_load(text) for name, text in TEXTS.items()}

# Words of untranslated library messages (pydantic, PyYAML, click, Python)
ENGLISH = re.compile(r"\b(Input should|Field required|should be|is not|not allowed|expected|"
                     r"found|could not|while (scanning|parsing)|Value error|Traceback|"
                     r"invalid literal|object has no|unexpected|character|mapping|sequence)\b")


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path of a plain YAML tree (dict keys, list indexes)."""
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, prefix + (i,))
    return out


def replace(tree: Any, path: tuple[Any, ...], new: Any, delete: bool = False) -> Any:
    """A copy of tree with the value at path replaced (or deleted)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(tree, dict):
        out = dict(tree)
        if delete and not rest:
            out.pop(head, None)
        else:
            out[head] = replace(tree[head], rest, new, delete)
        return out
    out_list = list(tree)
    if delete and not rest:
        del out_list[head]
    else:
        out_list[head] = replace(tree[head], rest, new, delete)
    return out_list


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.text(max_size=30),
    st.sampled_from(["", " ", "~", "null", "yes", "no", "on", "2024-02-30", "14:30",
                     "1e400", ".inf", "-.nan", "0x1F", "0o17", "1_000", "12:30:00",
                     "x" * 400, "&a", "*a", "!!python/object:os.system", "<<", "{{ x }}",
                     "\u202e", "\u200b", "\ufeff", "\x85"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12)


def _yaml(tree: Any) -> str:
    def fix(v: Any) -> Any:  # safe_dump does not know Decimal
        if isinstance(v, Decimal):
            return str(v)
        if isinstance(v, dict):
            return {str(k) if not isinstance(k, (int, bool)) else k: fix(x) for k, x in v.items()}
        if isinstance(v, list):
            return [fix(x) for x in v]
        return v

    return yaml.safe_dump(fix(tree), allow_unicode=True, sort_keys=False)


@st.composite
def schema_trees(draw: Any) -> dict[str, bytes]:
    """The minimal case with one to three fields replaced by random values, deleted, or an
    unknown key added: wrong types at every field, shaped by the schema."""
    name = draw(st.sampled_from(FILES))
    tree = DATA[name]
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(paths(tree)))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "delete" and where:
            tree = replace(tree, where, None, delete=True)
        elif action == "add":
            target = where if isinstance(_get(tree, where), dict) else ()
            if isinstance(_get(tree, target), dict):
                extra = draw(st.text(min_size=1, max_size=10))
                tree = replace(tree, target, {**_get(tree, target), extra: draw(VALUES)})
        else:
            tree = replace(tree, where, draw(VALUES))
    return {name: _yaml(tree).encode("utf-8")}


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        tree = tree[p]
    return tree


NASTY = st.sampled_from(["\t", ":", ": ", "-", "- ", "[", "]", "{", "}", "'", '"', "#", "&", "*",
                         "!", "|", ">", "%", "@", "`", "\n", "\n  ", "---\n", "...\n", "\\",
                         "\x00", "\x07", "\x1b", "\u202e", "\ufeff", "\ud800", "é", "<<: *a\n",
                         "&a ", "*a", "!!binary ", "!!int ", "? ", "\r", "\r\n", "\u2028"])


@st.composite
def text_mutations(draw: Any) -> dict[str, bytes]:
    """The valid text with random characters inserted, lines deleted or duplicated."""
    name = draw(st.sampled_from(FILES))
    text = TEXTS[name]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "insert", "drop-line", "dup-line", "indent"]))
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "insert":
            pos = draw(st.integers(0, len(text)))
            text = text[:pos] + draw(st.one_of(NASTY, st.text(max_size=3))) + text[pos:]
        elif kind == "drop-line":
            del lines[i]
            text = "\n".join(lines)
        elif kind == "dup-line":
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        else:
            lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
            text = "\n".join(lines)
    return {name: text.encode("utf-8", "surrogatepass")}


@st.composite
def truncations(draw: Any) -> dict[str, bytes]:
    name = draw(st.sampled_from(FILES))
    raw = TEXTS[name].encode("utf-8")
    return {name: raw[: draw(st.integers(0, len(raw)))]}


@st.composite
def random_bytes(draw: Any) -> dict[str, bytes]:
    name = draw(st.sampled_from(FILES))
    prefix = draw(st.sampled_from([b"", TEXTS[name].encode()[:200], b"\xef\xbb\xbf"]))
    return {name: prefix + draw(st.binary(max_size=200))}


@st.composite
def deep_or_big(draw: Any) -> dict[str, bytes]:
    """Nesting, aliases and repetition: the shapes that crash recursive parsers."""
    n = draw(st.integers(1, 3000))
    shape = draw(st.sampled_from(["[", "{a: ", "- ", "alias", "keys"]))
    if shape == "alias":
        text = "a: &a [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1 if i else ''}, *a]\n"
                                       for i in range(min(n, 40)))
    elif shape == "keys":
        text = "".join(f"k{i}: {i}\n" for i in range(n))
    elif shape == "- ":
        text = "annexe:\n" + "- " * n + "x\n"
    else:
        text = "annexe: " + shape * n + "x" + ("]" if shape == "[" else "}") * n + "\n"
    return {"convention.yaml": text.encode()}


INPUTS = st.one_of(schema_trees(), text_mutations(), truncations(), random_bytes(),
                   deep_or_big())


def check(files: dict[str, bytes], workdir: Path | None = None) -> str | None:
    """None when the loader behaves; else what went wrong (the oracle)."""
    base = Path(tempfile.mkdtemp(dir=workdir))
    try:
        case = base / "essai"
        shutil.copytree(MINIMAL, case)
        for name, data in files.items():
            (case / name).write_bytes(data)
        try:
            load_case(case)
        except CaseInvalid as exc:
            if not exc.errors:
                return "CaseInvalid sans erreur"
            for issue in exc.errors:
                if issue.line < 1 or issue.col < 1:
                    return f"position invalide : {issue.format()}"
                lines = (case / Path(issue.file).name).read_bytes().count(b"\n") + 2 \
                    if (case / Path(issue.file).name).exists() else 2
                if issue.line > lines:
                    return f"ligne hors du fichier : {issue.format()}"
                if ENGLISH.search(issue.message):
                    return f"message non traduit : {issue.format()}"
            return None
        except RecursionError:
            return "RecursionError"
        except Exception as exc:  # noqa: BLE001 - the point: any other exception is a bug
            return f"{type(exc).__name__}: {exc}"
        return None
    finally:
        shutil.rmtree(base, ignore_errors=True)
