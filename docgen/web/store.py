"""The case files as the workspace reads and writes them: ruamel.yaml round trip (comments, key
order and flow style kept) under the loader's own YAML 1.1 rules, validation by the loader itself
on a scratch copy of the folder, atomic save with a backup, and refusal to overwrite a file
changed on disk since it was read."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import tempfile
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Self

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.events import DocumentStartEvent
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarint import BinaryInt, HexCapsInt, HexInt, OctalInt
from ruamel.yaml.serializer import Serializer

from ..errors import CaseInvalid, Issue
from ..load import load_case
from ..load.reading import NotRegular, read_regular
from ..load.yamlpos import MAX_FILE_BYTES
from ..model.case import Case
from ..output import write_file

BACKUPS = ".sauvegardes"  # hidden: neither read by the loader nor part of a build's fingerprint
MAX_COPIED = 64 * 1024 * 1024  # more than any file the loader accepts (it refuses it unread)
_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


# One YAML for the loader and the editor. The loader reads case files with PyYAML, that is YAML
# 1.1 (`off` is false, `010` is 8, `12:30` is a number in base 60); ruamel.yaml reads and writes
# YAML 1.2 unless told otherwise, so a text typed `off` was saved unquoted and read back as false.
# The editor therefore reads and writes by the loader's rules: the very table PyYAML resolves plain
# scalars with (so a text that 1.1 would read as something else is quoted on save), ruamel's 1.1
# syntax and spellings (octal `010`, `?` and `:` in flow mappings), and the loader's types for the
# values 1.1 turns into something a case cannot hold (see yamlpos._Builder._scalar).
_TAG = "tag:yaml.org,2002:"
_RULES: dict[Any, list[tuple[str, Any]]] = {
    first: list(pairs) for first, pairs in pyyaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
assert None not in _RULES  # ruamel appends the None entry to the list it is given: keep it out


class _Resolver(VersionedResolver):
    """PyYAML's resolution of plain scalars, and YAML 1.1 for ruamel's scanner and parser."""

    @property
    def processing_version(self) -> Any:
        return (1, 1)

    @property
    def versioned_resolver(self) -> Any:
        return _RULES


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip values (comments, quotes and number spellings kept), typed as the
    loader types them."""

    def construct_yaml_int(self, node: Any) -> Any:
        if ":" in node.value:
            return str(node.value)  # 14:30 is 870 in YAML 1.1: the loader keeps the text
        value = super().construct_yaml_int(node)
        if isinstance(value, (BinaryInt, OctalInt, HexInt, HexCapsInt)) and value < 0:
            return int(value)  # ruamel would write -8 as `0-10`, a text to YAML 1.1
        return value

    def construct_yaml_float(self, node: Any) -> Any:
        try:
            return _Spelled(str(node.value))
        except InvalidOperation:
            return str(node.value)  # .inf, .nan, 1:30.5: the loader keeps the text, the model says

    def construct_text(self, node: Any) -> Any:
        return str(node.value)  # `=`, `<<`, `!!binary`: tags the loader reads as text

    def construct_unknown(self, node: Any) -> Any:
        if isinstance(node, ScalarNode):  # an explicit tag (`!!str off`, `!!int "10"`)
            tag = str(node.tag)
            if tag in _TYPED:
                return self.yaml_constructors[tag](self, node)
            return str(node.value)  # any other tag: the loader reads the text
        return super().construct_unknown(node)


_TYPED = {_TAG + t for t in ("int", "float", "bool", "null", "timestamp")}  # as in yamlpos
_Constructor.add_constructor(_TAG + "int", _Constructor.construct_yaml_int)
_Constructor.add_constructor(_TAG + "float", _Constructor.construct_yaml_float)
_Constructor.add_constructor(_TAG + "value", _Constructor.construct_text)
_Constructor.add_constructor(_TAG + "merge", _Constructor.construct_text)
_Constructor.add_constructor(_TAG + "binary", _Constructor.construct_text)
_Constructor.add_constructor(None, _Constructor.construct_unknown)
for _tag in ("omap", "pairs"):  # lists and mappings to the loader, whatever their tag
    _Constructor.add_constructor(_TAG + _tag, RoundTripConstructor.construct_yaml_seq)
_Constructor.add_constructor(_TAG + "set", RoundTripConstructor.construct_yaml_map)


class _Spelled(Decimal):
    """A decimal read from a case file, written back as it was spelled (`1_000.50`, `1.0e+3`)."""

    __slots__ = ("text",)
    text: str  # the spelling as read (declared for the type checker; the slot holds it)

    def __new__(cls, text: str) -> Self:
        self = super().__new__(cls, text.replace("_", ""))
        self.text = text
        return self


_BREAKS = "\x85\u2028\u2029"  # line ends to YAML 1.1, which ruamel would leave raw in quotes


class _Representer(RoundTripRepresenter):
    def represent_str(self, data: str) -> Any:
        if any(ch in data for ch in _BREAKS):  # escaped (`\N`): the loader then names them
            return self.represent_scalar(_TAG + "str", data, style='"')
        return super().represent_str(data)


def _decimal(rep: RoundTripRepresenter, value: Decimal) -> Any:
    if isinstance(value, _Spelled):
        return rep.represent_scalar(_TAG + "float", value.text)
    text = format(value, "f")  # a decimal stays one: `1.0` (an int to the loader without the dot)
    return rep.represent_scalar(_TAG + "float", text if "." in text else text + ".0")


_Representer.add_representer(str, _Representer.represent_str)
_Representer.add_representer(Decimal, _decimal)
_Representer.add_representer(_Spelled, _decimal)


class _Serializer(Serializer):
    """Serialises as YAML 1.1: the representer and the emitter then quote and spell by 1.1's
    rules (`?` or a leading `:` in a flow mapping, octal `010`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.use_version = (1, 1)


class _Emitter(Emitter):
    """Without the `%YAML 1.1` line and `---` that would come with it: the user's file keeps its
    first line (the loader reads YAML 1.1 whatever the file says)."""

    def emit(self, event: Any) -> None:
        if isinstance(event, DocumentStartEvent):
            event.version = None
        super().emit(event)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.Resolver = _Resolver
    y.Constructor = _Constructor
    y.Representer = _Representer
    y.Serializer = _Serializer
    y.Emitter = _Emitter
    y.preserve_quotes = True
    # never fold a line: a long one the user wrote stays one, and ruamel folds a plain text
    # before a long word even after two spaces, which YAML then reads back as one
    y.width = MAX_FILE_BYTES + 1
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Stale(Exception):
    """The file changed on disk since the form was opened."""


class TooLarge(Exception):
    pass


@dataclass
class Loaded:
    tree: Any
    version: str


def read(path: Path) -> Loaded:
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise TooLarge(str(path))
    return Loaded(_yaml().load(raw.decode("utf-8")), version(raw))


def dump(tree: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(tree, buf)
    return buf.getvalue()


@dataclass
class Check:
    """What the loader says of the folder with one file replaced: its errors and warnings, with
    file names as the user sees them (relative to the territory folder)."""

    issues: list[Issue]
    case: Case | None

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]


def check_with(folder: Path, replaced: dict[str, str | bytes]) -> Check:
    """load_case on a scratch copy of `folder` where each relative path of `replaced` holds the
    given text (or bytes: an asset): the very messages of `docgen check`, nothing written in
    the folder."""
    with tempfile.TemporaryDirectory(prefix="docgen-web-") as tmp:
        scratch = Path(tmp) / folder.name
        _mirror(folder, scratch)
        inside = scratch.resolve()
        for rel, text in replaced.items():
            target = scratch / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink() or not target.parent.resolve().is_relative_to(inside):
                continue  # never written through a link: the loader refuses the link itself
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")
        try:
            case = load_case(scratch)
            issues, result = list(case.warnings), case
        except CaseInvalid as exc:
            issues, result = list(exc.issues), None
        prefix = str(scratch.resolve())
        fixed = [Issue(_short(i.file, prefix), i.line, i.col, i.path, i.message, i.severity)
                 for i in issues]
    return Check(fixed, result)


def _mirror(folder: Path, scratch: Path) -> None:
    """A copy of `folder` the loader judges as it judges the folder itself: links stay links (a
    link out of the case is refused in the copy too; one into the case by an absolute path is
    pointed into the copy), a FIFO or a device stays something that is not a file (never
    opened), every other file is copied. Hidden entries of the top level (.sauvegardes, .git)
    are left out: the loader reads none of them. Nothing is followed or read but regular
    files, so no entry can make the copy hang or fail."""
    root = folder.resolve()
    copy_root = scratch
    scratch.mkdir()
    stack = [(folder, scratch, True)]
    while stack:
        source, target, top = stack.pop()
        with os.scandir(source) as entries:
            for entry in entries:
                if top and entry.name.startswith("."):
                    continue
                src, dst = Path(entry.path), target / entry.name
                if entry.is_symlink():
                    link = os.readlink(src)
                    if os.path.isabs(link):
                        real = Path(link).resolve()
                        if real.is_relative_to(root):
                            link = str(copy_root.resolve() / real.relative_to(root))
                    os.symlink(link, dst)
                elif entry.is_dir(follow_symlinks=False):
                    dst.mkdir()
                    stack.append((src, dst, False))
                elif entry.is_file(follow_symlinks=False):
                    try:
                        dst.write_bytes(read_regular(src, MAX_COPIED, follow=False))
                    except (OSError, NotRegular):  # swapped, or unreadable: not a file to it
                        os.mkfifo(dst)
                else:
                    os.mkfifo(dst)


def _short(shown: str, prefix: str) -> str:
    p = str(Path(shown).resolve()) if shown else shown
    if p.startswith(prefix + "/"):
        return p[len(prefix) + 1:]
    return shown


def check_folder(folder: Path) -> Check:
    return check_with(folder, {})


def lock_for(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(path.resolve(), threading.Lock())


def save(path: Path, text: str, expected_version: str | None) -> Path | None:
    """Write `text` to `path` atomically, after a backup of the current file; refuse (Stale)
    when the file is not the version the form was made from. Returns the backup's path."""
    with lock_for(path):
        backup = None
        if path.exists():
            current = path.read_bytes()
            if expected_version is not None and version(current) != expected_version:
                raise Stale(str(path))
            root = _case_root(path)
            backup = keep_copy(root, str(path.relative_to(root)), current)
        elif expected_version is not None:
            raise Stale(str(path))
        write_file(path, text.encode("utf-8"))
        return backup


def keep_copy(case_folder: Path, rel: str, data: bytes) -> Path:
    """The bytes a file of the case had, kept in its .sauvegardes/ before it is replaced or
    removed, named after it and the moment (a record for the user, never read by a build:
    the clock cannot reach a document). Returns the copy's path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = case_folder / BACKUPS
    folder.mkdir(exist_ok=True)
    copy = folder / f"{rel.replace('/', '__')}.{stamp}"
    write_file(copy, data)
    return copy


def _case_root(path: Path) -> Path:
    p = path.parent
    while p.name in ("avenants", "copils"):
        p = p.parent
    return p
