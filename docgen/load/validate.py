"""VALIDATE, first half: a file's data against its pydantic model, errors mapped back to the
YAML positions and worded in French from the error *type*, all at once."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..model.avenant import OPERATIONS
from .files import CaseFile, Report
from .yamlpos import Path_

def _validate(model: type[BaseModel], f: CaseFile, report: Report) -> BaseModel | None:
    if not isinstance(f.data, dict):
        report.add(f, (), "le fichier doit contenir des champs « clé: valeur » au premier niveau.")
        return None
    try:
        return model.model_validate(f.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt key shows up twice: as an unknown key and as a missing field. Keep the first.
        def clean(e: Any) -> Path_:
            return _clean_loc(e["loc"], f.data, e["type"] in ("missing", "extra_forbidden"))

        typos = {
            (clean(e)[:-1], close)
            for e in errors
            if e["type"] == "extra_forbidden"
            for close in difflib.get_close_matches(
                str(e["loc"][-1]), _allowed_keys(model, clean(e)[:-1]), n=1
            )
        }
        for err in errors:
            loc = clean(err)
            if err["type"] == "missing" and (loc[:-1], loc[-1]) in typos:
                continue
            message, on_key = _message(err, model, loc)
            report.add(f, loc, message, key=on_key)
        return None


def _clean_loc(loc: tuple[Any, ...], data: Any = None, last_is_field: bool = False) -> Path_:
    """Drop pydantic's internal segments (union branches, discriminator tags, validators).

    A segment is the user's when it leads somewhere in the data (a key of this group, an index
    of this list); the last one is kept too for a missing or an unknown field. So a user key
    that looks like an internal one (« [ », « function-x ») is never taken for one."""
    out: list[str | int] = []
    node = data
    for n, part in enumerate(loc):
        last = n == len(loc) - 1
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
            continue
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
            continue
        if last and last_is_field:
            out.append(part)
            continue
        if data is None:  # no data to follow: the old rule
            if isinstance(part, str) and ("[" in part or part.startswith("function-")):
                continue
            if isinstance(part, str) and part in OPERATIONS and out and isinstance(out[-1], int):
                continue
            out.append(part)
    return tuple(out)


def _message(err: Any, root: type[BaseModel], loc: Path_) -> tuple[str, bool]:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    shown = _shown(value)
    if kind == "missing":
        return f"champ obligatoire manquant : ajoutez « {loc[-1]}: … ».", False
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        hint = ""
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            hint = f" Vouliez-vous dire « {close[0]} » ?"
        elif allowed:
            hint = " Clés admises : " + ", ".join(allowed) + "."
        return f"clé inconnue « {loc[-1]} ».{hint}", True
    table = {
        "string_type": "texte attendu",
        "string_too_short": "texte vide : écrivez une valeur ou supprimez la ligne",
        "int_type": f"nombre entier attendu, trouvé {shown}",
        "int_parsing": f"nombre entier attendu, trouvé {shown}",
        "int_from_float": f"nombre entier attendu, trouvé {shown}",
        "decimal_type": f"montant attendu (ex. 150000 ou 4525.85), trouvé {shown}",
        "decimal_parsing": f"montant attendu (ex. 150000 ou 4525.85), trouvé {shown}",
        "finite_number": "montant attendu, pas l'infini",
        "bool_type": f"vrai ou faux attendu (true / false), trouvé {shown}",
        "bool_parsing": f"vrai ou faux attendu (true / false), trouvé {shown}",
        "list_type": "liste attendue (un élément par ligne, précédé de « - »)",
        "model_type": "groupe de champs attendu (lignes « clé: valeur » indentées)",
        "dict_type": "groupe de champs attendu (lignes « clé: valeur » indentées)",
        "model_attributes_type": "groupe de champs attendu (lignes « clé: valeur » indentées)",
        "date_type": f"date attendue au format AAAA-MM-JJ, trouvé {shown}",
        "date_parsing": f"date attendue au format AAAA-MM-JJ, trouvé {shown}",
        "date_from_datetime_parsing": f"date attendue au format AAAA-MM-JJ, trouvé {shown}",
        "date_from_datetime_inexact": "date attendue sans heure (AAAA-MM-JJ)",
        "frozen_instance": "valeur non modifiable",
    }
    if kind in table:
        return table[kind] + ".", False
    if kind == "string_too_long":
        n = len(value) if isinstance(value, str) else "?"
        return f"texte trop long ({n} caractères ; au plus {ctx.get('max_length')}).", False
    if kind == "too_short":
        return f"liste vide : au moins {ctx.get('min_length', 1)} élément attendu.", False
    if kind == "too_long":
        return f"liste trop longue : au plus {ctx.get('max_length')} éléments.", False
    if kind in ("greater_than_equal", "greater_than"):
        return f"doit être supérieur ou égal à {ctx.get('ge', ctx.get('gt'))}, trouvé {shown}.", False
    if kind in ("less_than_equal", "less_than"):
        return f"doit être inférieur ou égal à {ctx.get('le', ctx.get('lt'))}, trouvé {shown}.", False
    if kind == "decimal_max_places":
        return f"au plus {ctx.get('decimal_places')} décimales (les centimes), trouvé {shown}.", False
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return f"montant trop grand : {shown}.", False
    if kind == "union_tag_invalid":
        shown = _shown(ctx.get("tag"))
        return (f"opération {shown} inconnue ; opérations possibles : {', '.join(OPERATIONS)}.",
                False)
    if kind == "union_tag_not_found":
        return ("opération non précisée : ajoutez « operation: … » ("
                f"{', '.join(OPERATIONS)}).", False)
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"valeur {shown} inconnue ; valeurs admises : {expected}.", False
    if kind == "string_pattern_mismatch":
        if "a-z0-9" in str(ctx.get("pattern", "")):
            return (
                f"identifiant invalide {shown} : minuscules sans accent, chiffres et tirets "
                "seulement (ex. « cc-pays-des-ecrins »).",
                False,
            )
        return f"format inattendu : {shown}.", False
    return f"valeur invalide {shown} ({err.get('msg')}).", False


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "un groupe de valeurs" if isinstance(value, dict) else "une liste"
    if value is None:
        return "une valeur vide"
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "…"
    return f"« {text} »"


def _allowed_keys(root: type[BaseModel], loc: Path_) -> list[str]:
    model: Any = root
    for part in loc:
        model = _unwrap(model)
        if isinstance(part, int):
            args = typing.get_args(model)
            model = args[0] if args else None
        elif isinstance(model, type) and issubclass(model, BaseModel) and part in model.model_fields:
            model = model.model_fields[part].annotation
        else:
            return []
    model = _unwrap(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp
