"""YAML reading that keeps the line and column of every value, refuses duplicate keys and bombs."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .. import messages as msg
from ..errors import Issue

try:  # the C composer is ~10x faster; fall back to pure Python where libyaml is absent
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024  # a real case file is ~30 kB; 2 MB leaves ample room
MAX_NODES = 200_000  # expanded values; stops alias bombs long before memory suffers
MAX_DEPTH = 40  # nesting of lists and groups; a real case file goes 8 deep at most

Path_ = tuple[str | int, ...]


@dataclass
class Positions:
    """Where each value (and each mapping key) of one YAML document sits."""

    file: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Closest known position for a path: the key itself, else the value, else a parent."""
        probe = tuple(path)
        while True:
            if key and probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            if probe in self.keys:
                return self.keys[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]


class YamlProblem(Exception):
    """Reading failed; carries the issues found."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(i.format() for i in issues))
        self.issues = issues


_SCALAR = yaml.constructor.SafeConstructor()


def read_yaml(path: Path, shown: str, root: Path | None = None) -> tuple[Any, Positions]:
    """Read one YAML file into plain data (Decimal for decimals) and its positions. With a
    root (the case folder), a file whose real path leaves it (a symbolic link, or a linked
    folder) is refused before a byte of it is read."""
    pos = Positions(shown)

    def fail(message: str, line: int = 1, col: int = 1, at: str = "") -> YamlProblem:
        return YamlProblem([Issue(shown, line, col, at, message)])

    raw = _read_regular(path, fail, root)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(
            msg.FICHIER_PAS_ENCODE_UTF,
            line,
            col,
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise fail(msg.FICHIER_VIDE_DOIT_CONTENIR)
    try:
        _prescan(text, shown)  # depth and size first: the composers recurse (a deep file crashed)
        try:
            docs = list(yaml.compose_all(text, Loader=_Loader))
        except yaml.MarkedYAMLError:
            # libyaml refuses some escapes ("\ud800") outright, without saying in which field;
            # the pure-Python reader accepts them and our own checks then name the field.
            docs = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        lines = text.splitlines()
        if 0 < line <= len(lines) and "\t" in lines[line - 1][: max(col, 1)]:
            raise fail(
                msg.ERREUR_SYNTAXE_YAML_TABULATION,
                line,
                col,
            ) from None
        raise fail(_syntax_message(exc), line, col) from None
    except yaml.reader.ReaderError as exc:  # a forbidden character typed in the file itself
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise fail(msg.CARACTERE_CONTROLE_INTERDIT_U.format(code=code), line, col) from None
    except yaml.YAMLError:  # pragma: no cover - every PyYAML error above has a mark
        raise fail(msg.ERREUR_SYNTAXE_YAML_FICHIER) from None
    except RecursionError:  # pragma: no cover - the prescan bounds the depth first
        raise fail(msg.YAML_TOO_DEEP.format(limit=MAX_DEPTH)) from None
    docs = [d for d in docs if d is not None]
    if not docs:
        raise fail(msg.FICHIER_VIDE_DOIT_CONTENIR)
    if len(docs) > 1:
        m = docs[1].start_mark
        raise fail(
            msg.FICHIER_CONTIENT_PLUSIEURS_DOCUMENTS,
            m.line + 1,
            m.column + 1,
        )
    builder = _Builder(pos, text)
    data = builder.build(docs[0], ())
    if builder.issues:
        raise YamlProblem(builder.issues)
    return data, pos


def _read_regular(path: Path, fail: Any, root: Path | None = None) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; a FIFO or a device is refused
    without blocking on it (see reading.read_regular), a path leaving root without being
    opened (see reading.confined)."""
    import os

    from .reading import NotRegular, Outside, confined, read_regular

    follow = True
    if root is not None:
        try:
            path, follow = confined(path, root), False  # the checked file is the one opened
        except Outside as exc:
            raise fail(msg.CASE_FILE_OUTSIDE.format(target=exc.target)) from None
        except (OSError, RuntimeError):  # a loop of links
            raise fail(msg.CHEMIN_PAS_FICHIER) from None
    try:
        raw = read_regular(path, MAX_FILE_BYTES, follow=follow)
    except FileNotFoundError:
        raise fail(msg.FICHIER_INTROUVABLE) from None
    except (IsADirectoryError, NotRegular):
        raise fail(msg.CHEMIN_PAS_FICHIER) from None
    except PermissionError:
        raise fail(msg.FICHIER_ILLISIBLE_DROITS_LECTURE) from None
    except OSError as exc:
        raise fail(msg.FICHIER_ILLISIBLE_ERREUR_SYSTEME.format(errno=exc.errno)) from None
    if len(raw) > MAX_FILE_BYTES:
        try:
            size = os.stat(path).st_size
        except OSError:  # gone since: what was read says enough
            size = len(raw)
        raise fail(msg.FILE_TOO_BIG.format(size=size // 1024,
                                           limit=MAX_FILE_BYTES // 1024 // 1024))
    return raw


def _prescan(text: str, shown: str) -> None:
    """Walk the YAML event stream (an iterative parser: no recursion) and refuse a file nested
    deeper than MAX_DEPTH or holding more than MAX_NODES values, before anything is composed."""
    for loader in dict.fromkeys((_Loader, yaml.SafeLoader)):
        depth = nodes = 0
        try:
            for event in yaml.parse(text, Loader=loader):
                if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    depth += 1
                    nodes += 1
                    if depth > MAX_DEPTH:
                        m = event.start_mark
                        assert m is not None  # the parser marks every event it emits
                        raise YamlProblem([Issue(shown, m.line + 1, m.column + 1, "",
                                                 msg.YAML_TOO_DEEP.format(limit=MAX_DEPTH))])
                elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    depth -= 1
                elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                    nodes += 1
                if nodes > MAX_NODES:
                    m = event.start_mark
                    assert m is not None  # as above
                    raise YamlProblem([Issue(shown, m.line + 1, m.column + 1, "",
                                             msg.YAML_TOO_MANY_NODES.format(limit=MAX_NODES))])
            return
        except yaml.YAMLError:
            # libyaml refuses some escapes the pure-Python parser reads: try it; a real syntax
            # error is reported by the full reader below, with its translation
            continue


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    translations = msg.YAML_SYNTAX
    for en, fr in translations.items():
        if problem.startswith(en):
            return msg.ERREUR_SYNTAXE_YAML.format(fr=fr)
    return (msg.ERREUR_SYNTAXE_YAML_STRUCTURE)


class _Builder:
    """Turns composed nodes into data, recording positions and refusing what would hurt later."""

    def __init__(self, pos: Positions, text: str = "") -> None:
        self.pos = pos
        self.lines = text.split("\n")
        self.count = 0
        self.issues: list[Issue] = []
        self.bomb = False

    def _issue(self, node: yaml.Node, path: Path_, message: str) -> None:
        m = node.start_mark
        self.issues.append(
            Issue(self.pos.file, m.line + 1, m.column + 1, dotted(path), message)
        )

    def _refuse_invisible(self, node: yaml.Node, path: Path_, value: str) -> bool:
        """A control, invisible or direction character: refused at its own line and column
        when it is typed as such in the file, else at the value, with its rank in the text."""
        found = _forbidden_character(value)
        if found is None:
            return False
        index, name = found
        line, col = node.start_mark.line, node.start_mark.column
        where = msg.CHARACTER_RANK.format(index=index + 1)
        ch = value[index]
        for n in range(line, min(node.end_mark.line, len(self.lines) - 1) + 1):
            start = col if n == line else 0
            stop = node.end_mark.column if n == node.end_mark.line else None
            hit = self.lines[n].find(ch, start, stop) if n < len(self.lines) else -1
            if hit >= 0:
                line, col = n, hit
                break
        self.issues.append(Issue(self.pos.file, line + 1, col + 1, dotted(path),
                                 msg.INVISIBLE_CHARACTER.format(name=name, where=where)))
        return True

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if len(path) > MAX_DEPTH:  # aliases can stack nesting the event scan could not see
            if not self.bomb:
                self.bomb = True
                self._issue(node, path, msg.YAML_TOO_DEEP.format(limit=MAX_DEPTH))
            return None
        if self.count > MAX_NODES:
            if not self.bomb:
                self.bomb = True
                self._issue(
                    node,
                    path,
                    msg.TROP_VALEURS_FOIS_ALIAS,
                )
            return None
        self.pos.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # the composer's third and last kind of node
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if self.bomb:
                break
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._issue(key_node, path, msg.FUSION_PAS_PRISE_CHARGE)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._issue(key_node, path, msg.CLE_DOIT_ETRE_SIMPLE)
                continue
            key = str(key_node.value)
            child = path + (key,)
            if self._refuse_invisible(key_node, child, key):
                continue
            if key in out:
                first = self.pos.keys[child]
                self._issue(
                    key_node,
                    child,
                    msg.CLE_DOUBLE_DEJA_DEFINIE.format(key=key, first=first[0]),
                )
                continue
            self.pos.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, child)
        return out

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        tag = node.tag
        if tag == "tag:yaml.org,2002:float":
            try:
                return Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                return node.value  # .inf / .nan: let the model refuse them with a position
        if tag == "tag:yaml.org,2002:int" and ":" in node.value:
            return str(node.value)  # YAML 1.1 reads 14:30 as 870 (base 60): keep the text
        if tag in (
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:null",
            "tag:yaml.org,2002:timestamp",
        ):
            try:
                return _SCALAR.construct_object(node)
            except (ValueError, yaml.YAMLError):
                what = msg.DATE_IMPOSSIBLE if tag.endswith("timestamp") else msg.VALEUR_ILLISIBLE
                self._issue(node, path, msg.FORMAT_ATTENDU_AAAA_MM.format(
                    what=what, value=node.value))
                return None
        value = str(node.value)
        if not self._refuse_invisible(node, path, value):
            missing = _undrawable_character(value)
            if missing is not None:
                self._issue(
                    node,
                    path,
                    msg.CARACTERE_AUCUNE_POLICE_DOCUMENTS.format(missing=missing),
                )
            else:
                stray = _stray_accent(value)
                if stray is not None:
                    self._issue(node, path, stray)
        return value


# Fonts the PDF can draw with: Liberation Sans, then DejaVu Sans for what it lacks.
_FONT_FILES = (  # exactly the fonts the documents use (shipped with docgen, no machine font)
    *sorted((Path(__file__).resolve().parent.parent / "templates" / "fonts").glob("*.ttf")),
)


@lru_cache(maxsize=1)
def _drawable() -> frozenset[int] | None:
    """Code points some document font can draw; None when fontTools is absent (no check)."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:  # pragma: no cover - installed with the PDF dependencies
        return None
    points: set[int] = set()
    for path in _FONT_FILES:
        if path.exists():
            font = TTFont(str(path), lazy=True)
            # glyphs named by number: the cmap's code points without parsing the `post` table's
            # thousands of glyph names (half the time of this check)
            font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
            points.update(font["cmap"].getBestCmap())
    return frozenset(points)


def _undrawable_character(text: str) -> str | None:
    if text.isascii():
        return None
    drawable = _drawable()
    if drawable is None:
        return None
    for ch in text:
        cp = ord(ch)
        if cp in drawable or ch in "\t\n" or unicodedata.category(ch) == "Cf":
            continue
        if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:  # variation selectors
            continue
        return msg.CHARACTER_SHOWN.format(ch=ch, cp=cp)
    return None


# Latin, Greek and Cyrillic combining accents (and their supplements): French text needs them
# only inside letters that exist precomposed (e + ◌́ is é); one left over once composed (é + ◌́)
# is stacked by the layout and read back from the PDF twice in bold text.
_ACCENTS = (range(0x0300, 0x0370), range(0x1AB0, 0x1B00), range(0x1DC0, 0x1E00),
            range(0x20D0, 0x2100))


def _stray_accent(text: str) -> str | None:
    if text.isascii():
        return None
    composed = unicodedata.normalize("NFC", text)
    for index, ch in enumerate(composed):
        if any(ord(ch) in block for block in _ACCENTS):
            base = composed[index - 1] if index else ""
            return msg.ACCENT_SANS_LETTRE.format(
                mark=msg.CHARACTER_SHOWN.format(ch="◌" + ch, cp=ord(ch)), base=base)
    return None


# Characters that change what a reader sees without showing themselves: direction overrides and
# isolates (a « Trojan Source » reordering), zero-width spaces and joiners, marks, a BOM inside text.
_INVISIBLE = {
    **{cp: msg.CONTROLE_DIRECTION for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                              0x200E, 0x200F, 0x061C)},
    **{cp: msg.CARACTERE_INVISIBLE for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E,
                                            0x2028, 0x2029)},
}


def _forbidden_character(text: str) -> tuple[int, str] | None:
    """Index and description of the first character refused in a text, or None."""
    for index, ch in enumerate(text):
        if ch in "\t\n":
            continue
        cp = ord(ch)
        if cp in _INVISIBLE:
            return index, f"{_INVISIBLE[cp]} U+{cp:04X}"
        cat = unicodedata.category(ch)
        if cat == "Cc":
            return index, msg.CARACTERE_CONTROLE_U.format(cp=cp)
        if cat == "Cs":
            return index, msg.U_MOITIE_PAIRE_SUBSTITUTION.format(cp=cp)
    return None


def dotted(path: Path_) -> str:
    """`fiches_actions[2].plan_de_financement[0].montant` from a path tuple."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out
