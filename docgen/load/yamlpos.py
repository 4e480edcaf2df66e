"""YAML reading that keeps the line and column of every value, refuses duplicate keys and bombs."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..errors import Issue

try:  # the C composer is ~10x faster; fall back to pure Python where libyaml is absent
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024  # a real case file is ~30 kB; 2 MB leaves ample room
MAX_NODES = 200_000  # expanded values; stops alias bombs long before memory suffers

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


def read_yaml(path: Path, shown: str) -> tuple[Any, Positions]:
    """Read one YAML file into plain data (Decimal for decimals) and its positions."""
    pos = Positions(shown)

    def fail(message: str, line: int = 1, col: int = 1, at: str = "") -> YamlProblem:
        return YamlProblem([Issue(shown, line, col, at, message)])

    if not path.exists():
        raise fail("fichier introuvable.")
    if not path.is_file():
        raise fail("ce chemin n'est pas un fichier.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise fail(
            f"fichier trop volumineux ({size // 1024} Kio) : la limite est de "
            f"{MAX_FILE_BYTES // 1024 // 1024} Mio pour un fichier de dossier."
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(
            "le fichier n'est pas encodé en UTF-8 (enregistrez-le en UTF-8 depuis votre éditeur).",
            line,
            col,
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise fail("le fichier est vide : il doit contenir des champs « clé: valeur ».")
    try:
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
                "erreur de syntaxe YAML : tabulation interdite pour l'indentation, "
                "utilisez des espaces.",
                line,
                col,
            ) from None
        raise fail(_syntax_message(exc), line, col) from None
    except yaml.YAMLError as exc:  # reader errors (forbidden characters) have no mark
        raise fail(f"YAML illisible : {exc}") from None
    docs = [d for d in docs if d is not None]
    if not docs:
        raise fail("le fichier est vide : il doit contenir des champs « clé: valeur ».")
    if len(docs) > 1:
        m = docs[1].start_mark
        raise fail(
            "le fichier contient plusieurs documents YAML (« --- ») : un seul est attendu.",
            m.line + 1,
            m.column + 1,
        )
    builder = _Builder(pos)
    data = builder.build(docs[0], ())
    if builder.issues:
        raise YamlProblem(builder.issues)
    return data, pos


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    translations = {
        "mapping values are not allowed": "« : » inattendu (une valeur contenant « : » "
        "doit être entre guillemets, ou l'indentation est décalée)",
        "found character that cannot start any token": "caractère inattendu en début de valeur "
        "(mettez la valeur entre guillemets)",
        "found unexpected ':'": "« : » inattendu (mettez la valeur entre guillemets)",
        "could not find expected": "symbole attendu manquant (guillemet, crochet ou « : » non fermé ?)",
        "could not find expected ':'": "« : » attendu après la clé",
        "found character '\\t' that cannot start any token": "tabulation interdite pour "
        "l'indentation : utilisez des espaces",
        "did not find expected key": "clé attendue : l'indentation est probablement décalée",
        "found undefined alias": "alias inconnu (« * » sans ancre « & » correspondante)",
        "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
        "did not find expected '-' indicator": "élément de liste « - » attendu",
        "found unknown escape character": "séquence d'échappement inconnue entre guillemets",
    }
    for en, fr in translations.items():
        if problem.startswith(en):
            return f"erreur de syntaxe YAML : {fr}."
    return f"erreur de syntaxe YAML : {problem or exc}."


class _Builder:
    """Turns composed nodes into data, recording positions and refusing what would hurt later."""

    def __init__(self, pos: Positions) -> None:
        self.pos = pos
        self.count = 0
        self.issues: list[Issue] = []
        self.bomb = False

    def _issue(self, node: yaml.Node, path: Path_, message: str) -> None:
        m = node.start_mark
        self.issues.append(
            Issue(self.pos.file, m.line + 1, m.column + 1, dotted(path), message)
        )

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if not self.bomb:
                self.bomb = True
                self._issue(
                    node,
                    path,
                    "trop de valeurs une fois les alias (« *nom ») développés : "
                    "fichier refusé (alias en cascade ?).",
                )
            return None
        self.pos.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if self.bomb:
                break
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._issue(key_node, path, "la fusion « << » n'est pas prise en charge.")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._issue(key_node, path, "une clé doit être un simple mot.")
                continue
            key = str(key_node.value)
            child = path + (key,)
            if key in out:
                first = self.pos.keys[child]
                self._issue(
                    key_node,
                    child,
                    f"clé « {key} » en double (déjà définie ligne {first[0]}) : "
                    "supprimez l'une des deux.",
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
                what = "date impossible" if tag.endswith("timestamp") else "valeur illisible"
                self._issue(node, path, f"{what} : « {node.value} » (format attendu AAAA-MM-JJ).")
                return None
        value = str(node.value)
        bad = _forbidden_character(value)
        if bad is not None:
            self._issue(
                node,
                path,
                f"caractère de contrôle interdit ({bad}) : seuls la tabulation et le "
                "retour à la ligne sont admis dans un texte.",
            )
        else:
            missing = _undrawable_character(value)
            if missing is not None:
                self._issue(
                    node,
                    path,
                    f"caractère {missing} qu'aucune police des documents ne sait dessiner : il "
                    "ne pourrait pas être imprimé dans le PDF ; remplacez-le.",
                )
        return value


# Fonts the PDF can draw with: the one shipped with docgen, then the fallbacks `make` installs.
_FONT_FILES = (
    *sorted((Path(__file__).resolve().parent / "fonts").glob("*.ttf")),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"),
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
            points.update(TTFont(str(path), lazy=True)["cmap"].getBestCmap())
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
        return f"« {ch} » (U+{cp:04X})"
    return None


def _forbidden_character(text: str) -> str | None:
    for ch in text:
        if ch in "\t\n":
            continue
        cat = unicodedata.category(ch)
        if cat == "Cc":
            return f"U+{ord(ch):04X}"
        if cat == "Cs":
            return f"U+{ord(ch):04X}, moitié de paire de substitution isolée"
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
