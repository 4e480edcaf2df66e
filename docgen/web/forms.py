"""Forms generated from the pydantic models: widgets from `model_fields`, posted values back into
the data tree (a ruamel round-trip tree or plain data), typed as the model expects.

Every input is named by its field path (`fiches_actions[11].cout.montant`), the same path the
loader gives in its issues, so each message of `docgen check` lands beside its field.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ..model.base import date_saisie, montant_saisi

Path_ = tuple[str | int, ...]
_PART = re.compile(r"([a-z_][a-z0-9_]*)|\[(\d{1,5})\]")


def parse_path(text: str) -> Path_ | None:
    """`a[1].b` → ("a", 1, "b"); None when the text is not a field path."""
    out: list[str | int] = []
    pos = 0
    while pos < len(text):
        if text[pos] == "." and out:
            pos += 1
        m = _PART.match(text, pos)
        if not m:
            return None
        out.append(m.group(1) if m.group(1) else int(m.group(2)))
        pos = m.end()
    return tuple(out) if out else None


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out


def unwrap(tp: Any) -> tuple[Any, bool]:
    """The bare type of an annotation, and whether it may be empty (Optional)."""
    optional = False
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(tp))
            tp = args[0]
        else:
            return tp, optional


def ambiguous(tp: Any) -> bool:
    """A union of several models (the avenant operations): no form says which one is meant."""
    while typing.get_origin(tp) is typing.Annotated or typing.get_origin(tp) is list:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return len([a for a in typing.get_args(tp) if a is not type(None)]) > 1
    return False


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def kind_of(tp: Any) -> str:
    """The widget of a leaf type."""
    if typing.get_origin(tp) is typing.Literal:
        return "select"
    if tp is bool:
        return "checkbox"
    if tp is dt.date:
        return "date"
    if tp in (int, Decimal):
        return "number"
    if typing.get_origin(tp) is list:
        return "lines"
    return "text"


def type_at(model: type[BaseModel], path: Path_) -> tuple[Any, bool] | None:
    """The bare annotation at a path of a model and whether it may be left empty; None when
    the path is not in the model."""
    tp: Any = model
    optional = False
    for part in path:
        if isinstance(part, int):
            if typing.get_origin(tp) is not list:
                return None
            tp, optional = unwrap(typing.get_args(tp)[0])
        else:
            if not is_model(tp) or part not in tp.model_fields:
                return None
            info = tp.model_fields[part]
            if ambiguous(info.annotation):
                return None
            tp, optional = unwrap(info.annotation)
            optional = optional or not info.is_required()
    return tp, optional


def default_at(model: type[BaseModel], path: Path_) -> Any:
    """The model's default for the field at path (PydanticUndefined-like sentinel if none)."""
    parent: Any = model
    if len(path) > 1:
        found = type_at(model, path[:-1])
        assert found is not None  # path is a field of the model (apply_form), so is its parent
        parent = found[0]
    if not is_model(parent) or not isinstance(path[-1], str) or path[-1] not in parent.model_fields:
        return _NO_DEFAULT
    info = parent.model_fields[path[-1]]
    if info.is_required():
        return _NO_DEFAULT
    return info.get_default(call_default_factory=True)


_NO_DEFAULT = object()


@dataclass
class Widget:
    path: str
    name: str  # the key, for the label
    kind: str  # text, textarea, number, date, select, checkbox, lines, group, rows, readonly
    value: Any = ""
    help: str = ""
    choices: list[str] = field(default_factory=list)
    required: bool = False
    children: list[Widget] = field(default_factory=list)  # group: fields; rows: one group a row
    columns: list[Widget] = field(default_factory=list)  # rows: the header (name, help)
    labels: dict[str, str] = field(default_factory=dict)  # select: an id's name, shown for it


class Choices(dict[str, list[str]]):
    """The ids a field may take (by the field's name), and the name of each id (`noms`): a
    drop-down shows « Communauté de communes du Pays des Écrins », posts its id."""

    def __init__(self, ids: dict[str, list[str]], noms: dict[str, str]) -> None:
        super().__init__(ids)
        self.noms = noms


LONG_TEXT = {"description", "texte"}
MAX_NEW_ROWS = 20


def widgets(model: type[BaseModel], data: Any, prefix: Path_, *, only: tuple[str, ...] = (),
            readonly: tuple[str, ...] = (), choices: dict[str, list[str]] | None = None
            ) -> list[Widget]:
    """One widget per field of `model`, filled from `data` (a mapping or None)."""
    choices = choices or {}
    out: list[Widget] = []
    data = data if isinstance(data, dict) else {}
    for name, info in model.model_fields.items():
        if only and name not in only or ambiguous(info.annotation):
            continue
        tp, optional = unwrap(info.annotation)
        path = prefix + (name,)
        value = data.get(name)
        w = Widget(dotted(path), name, "text", help=info.description or "",
                   required=info.is_required())
        if name in readonly:
            w.kind, w.value = "readonly", "" if value is None else str(value)
        elif is_model(tp):
            w.kind = "group"
            w.children = widgets(tp, value, path, choices=choices)
        elif typing.get_origin(tp) is list and is_model(unwrap(typing.get_args(tp)[0])[0]):
            row_model = unwrap(typing.get_args(tp)[0])[0]
            w.kind = "rows"
            w.columns = widgets(row_model, None, path + (0,), choices=choices)
            rows = value if isinstance(value, list) else []
            w.children = [Widget(dotted(path + (i,)), str(i), "group",
                                 children=widgets(row_model, row, path + (i,), choices=choices))
                          for i, row in enumerate(rows)]
        else:
            w.kind = kind_of(tp)
            if w.kind == "select":
                w.choices = [str(c) for c in typing.get_args(tp)]
            if tp is bool and optional:  # yes, no, or left to docgen: three choices, no box
                w.kind, w.choices = "select", ["oui", "non"]
            if name in choices:
                w.kind, w.choices = "select", list(choices[name])
                noms = getattr(choices, "noms", {})
                w.labels = {c: noms[c] for c in w.choices if c in noms}
                if w.help.startswith("Identifiant court"):
                    w.help = ""  # the list says what may be chosen
            if w.kind == "select" and optional:
                w.choices = [""] + w.choices
            if w.kind == "text" and name in LONG_TEXT:
                w.kind = "textarea"
            w.value = show(value, w.kind)
        out.append(w)
    return out


def show(value: Any, kind: str) -> Any:
    if value is None:
        return "" if kind != "lines" else ""
    if kind == "lines":
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind == "checkbox":
        return bool(value)
    if isinstance(value, bool):  # a yes/no that may be left empty (select)
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


MAX_EXPONENT = 100  # far beyond any amount; the loader words what lies past it


def convert(text: str, tp: Any) -> Any:
    """A posted string as the model's type; left as text when it does not parse, so that the
    loader words the problem as it does for a case file."""
    text = text.strip()
    if tp is int:
        try:
            return int(text.replace(" ", "").replace("\u202f", "").replace("\xa0", ""))
        except ValueError:
            return text
    if tp is Decimal:  # « 240 550 € », « 4525,85 »: the loader's own reading, written back plain
        number = montant_saisi(text)
        if not isinstance(number, Decimal):
            return text
        if not number.is_finite() or abs(number.adjusted()) > MAX_EXPONENT:
            return text  # 1e100000 would be written with 100 001 digits (or not at all)
        return int(number) if number == number.to_integral_value() else number
    if tp is dt.date:  # « 12/06/2026 » as typed, or the date picker's 2026-06-12
        day = date_saisie(text)
        if isinstance(day, dt.date):
            return day
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if tp is bool:
        return text in ("on", "true", "1", "oui")
    return text


def new_mapping(like: Any) -> Any:
    """An empty mapping of the tree's own kind (ruamel CommentedMap keeps the flow style of its
    siblings), or a dict."""
    if like is not None and type(like) is not dict:
        m = type(like)()
        try:
            if like.fa.flow_style():
                m.fa.set_flow_style()
        except AttributeError:
            pass
        return m
    return {}


def apply_form(model: type[BaseModel], tree: Any, root: Path_, form: dict[str, str],
               checkboxes: tuple[str, ...] = (), add: str = "") -> None:
    """Posted values into `tree` (in place), for fields under `root` only.

    Rows: `path[i].col` for each row; `supprimer` checkboxes (`path[i].__supprimer`) remove a
    row; `add` (a rows path) appends an empty one. Unknown names are ignored.
    """
    posted: dict[Path_, str] = {}
    removed: set[Path_] = set()
    for name, value in form.items():
        if name.endswith(".__supprimer"):
            p = parse_path(name[: -len(".__supprimer")])
            if p and p[: len(root)] == root and isinstance(p[-1], int):
                removed.add(p)
            continue
        p = parse_path(name)
        if p is None or p[: len(root)] != root or type_at(model, p) is None:
            continue
        posted[p] = value
    for name in checkboxes:  # an unticked box is not posted
        p = parse_path(name)
        if p and p[: len(root)] == root and p not in posted and type_at(model, p):
            posted[p] = ""
    # grow lists of rows to the indices posted (a few new rows at a time, never thousands)
    for p in list(posted):
        for i, part in enumerate(p):
            if isinstance(part, int):
                seq = get(tree, p[:i])
                if part > (len(seq) if isinstance(seq, list) else 0) + MAX_NEW_ROWS:
                    del posted[p]
                    break
    for p in sorted(posted, key=len):
        for i, part in enumerate(p):
            if isinstance(part, int):
                seq = ensure_list(tree, p[:i])
                while len(seq) <= part:
                    seq.append(new_mapping(seq[0] if len(seq) else None))
    for p, value in posted.items():
        found = type_at(model, p)
        assert found is not None  # only the model's fields were posted (checked above)
        tp, optional = found
        if is_model(tp):
            continue
        key = p[-1]
        if (value.strip() == "" and (tp is not bool or optional)) \
                or kind_of(tp) == "lines" and not value.strip():
            parent = get(tree, p[:-1]) if len(p) > 1 else tree
            if isinstance(parent, dict) and key in parent:
                del parent[key]
                prune(model, tree, p[:-1], len(root))
            continue
        parent = ensure_parent(tree, p)
        if kind_of(tp) == "lines":
            item_tp = unwrap(typing.get_args(tp)[0])[0]
            items = [convert(line, item_tp) for line in value.splitlines() if line.strip()]
            current = parent.get(key)
            if current is None and not items:
                continue
            if isinstance(current, list):
                # item by item: the comments ruamel keeps on an item (and the blank line after
                # the last) stay where they are
                for i, item in enumerate(items[: len(current)]):
                    if differs(current[i], item):
                        current[i] = item
                del current[len(items):]
                current.extend(items[len(current):])
            elif items:
                parent[key] = items
            continue
        new = convert(value, tp)
        if key not in parent and new == default_at(model, p):
            continue  # a default left as it was: the file stays as written
        if key not in parent or differs(parent[key], new):
            parent[key] = new
    for p in sorted(removed, key=lambda x: x[-1], reverse=True):
        index = p[-1]
        assert isinstance(index, int)  # removed holds row paths only (checked when posted)
        seq = get(tree, p[:-1])
        if isinstance(seq, list) and index < len(seq):
            del seq[index]
    if add:
        p = parse_path(add)
        if p and p[: len(root)] == root and type_at(model, p + (0,)) is not None:
            seq = ensure_list(tree, p)
            seq.append(new_mapping(seq[0] if len(seq) else None))


def differs(old: Any, new: Any) -> bool:
    """A value to write: a different value (a quoted string equal to the posted text is the
    same value, and keeps its quotes)."""
    return old != new or isinstance(old, bool) != isinstance(new, bool)


def prune(model: type[BaseModel], tree: Any, path: Path_, keep: int) -> None:
    """A group of optional fields left empty goes away (`deliberation: {}` would be an error)."""
    while len(path) > keep and isinstance(path[-1], str):
        node = get(tree, path)
        found = type_at(model, path)
        if not isinstance(node, dict) or node or found is None or not found[1]:
            return
        parent = get(tree, path[:-1]) if len(path) > 1 else tree
        del parent[path[-1]]
        path = path[:-1]


def get(tree: Any, path: Path_) -> Any:
    node = tree
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def ensure_parent(tree: Any, path: Path_) -> Any:
    node = tree
    for i, part in enumerate(path[:-1]):
        nxt = node[part] if isinstance(part, int) else node.get(part)
        if nxt is None:
            nxt = [] if isinstance(path[i + 1], int) else new_mapping(node)
            node[part] = nxt
        node = nxt
    return node


def ensure_list(tree: Any, path: Path_) -> Any:
    parent = ensure_parent(tree, path)
    key = path[-1]
    current = parent[key] if isinstance(key, int) else parent.get(key)
    if not isinstance(current, list):
        current = []
        parent[key] = current
    return current


def checkbox_names(ws: list[Widget]) -> list[str]:
    """Every checkbox of a form (posted only when ticked)."""
    out: list[str] = []
    for w in ws:
        if w.kind == "checkbox":
            out.append(w.path)
        out += checkbox_names(w.children)
    return out


def place_issues(ws: list[Widget], issues: list[Any]) -> tuple[dict[str, list[Any]], list[Any]]:
    """Each issue at the deepest widget whose path is a prefix of the issue's path; the others
    (another fiche, another file) apart."""
    paths: list[str] = []

    def walk(items: list[Widget]) -> None:
        for w in items:
            paths.append(w.path)
            walk(w.children)

    walk(ws)
    placed: dict[str, list[Any]] = {}
    rest = []
    for issue in issues:
        best = ""
        for p in paths:
            if (issue.path == p or issue.path.startswith(p + ".") or issue.path.startswith(p + "[")) \
                    and len(p) > len(best):
                best = p
        if best:
            placed.setdefault(best, []).append(issue)
        else:
            rest.append(issue)
    return placed, rest
