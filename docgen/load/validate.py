"""VALIDATE, first half: a file's data against its pydantic model, errors mapped back to the
YAML positions and worded in French from the error *type*, all at once."""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import messages as msg
from ..model.avenant import OPERATIONS
from .files import CaseFile, Report
from .yamlpos import Path_


def _validate(model: type[BaseModel], f: CaseFile, report: Report) -> BaseModel | None:
    if not isinstance(f.data, dict):
        report.add(f, (), msg.FICHIER_DOIT_CONTENIR_CHAMPS)
        return None
    try:
        value = model.model_validate(f.data)
        wild = [(path, day) for path, day in _dates(value, ()) if not DATE_MIN <= day <= DATE_MAX]
        for path, day in wild:  # date arithmetic (durations, timelines) stays within the calendar
            report.add(f, path, msg.DATE_HORS_BORNES.format(
                date=day.isoformat(), debut=DATE_MIN.year, fin=DATE_MAX.year))
        return None if wild else value
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


DATE_MIN = dt.date(1900, 1, 1)  # the dates of a case: a century of mandates behind, two ahead
DATE_MAX = dt.date(2199, 12, 31)


def _dates(node: Any, path: Path_) -> typing.Iterator[tuple[Path_, dt.date]]:
    """Every date of a validated model, with its path (the model's fields are the YAML keys)."""
    if isinstance(node, dt.date):
        yield path, node.date() if isinstance(node, dt.datetime) else node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _dates(getattr(node, name), path + (name,))
    elif isinstance(node, (list, tuple)):
        for i, item in enumerate(node):
            yield from _dates(item, path + (i,))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from _dates(item, path + (key,))


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
        return msg.CHAMP_OBLIGATOIRE_MANQUANT_AJOUTEZ.format(loc=loc[-1]), False
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        hint = ""
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            hint = msg.VOULIEZ_VOUS_DIRE.format(close=close[0])
        elif allowed:
            hint = msg.CLES_ADMISES + ", ".join(allowed) + "."
        return msg.CLE_INCONNUE.format(loc=loc[-1], hint=hint), True
    if kind in msg.PYDANTIC_TYPES:
        return msg.PYDANTIC_TYPES[kind].format(shown=shown) + ".", False
    if kind == "string_too_long":
        n = len(value) if isinstance(value, str) else "?"
        return msg.TEXTE_TROP_LONG_CARACTERES.format(n=n, value=ctx.get('max_length')), False
    if kind == "too_short":
        return msg.LISTE_VIDE_MOINS_ELEMENT.format(value=ctx.get('min_length', 1)), False
    if kind == "too_long":
        return msg.LISTE_TROP_LONGUE_PLUS.format(value=ctx.get('max_length')), False
    if kind in ("greater_than_equal", "greater_than"):
        return msg.DOIT_ETRE_SUPERIEUR_EGAL.format(
            value=ctx.get('ge', ctx.get('gt')), shown=shown), False
    if kind in ("less_than_equal", "less_than"):
        return msg.DOIT_ETRE_INFERIEUR_EGAL.format(
            value=ctx.get('le', ctx.get('lt')), shown=shown), False
    if kind == "decimal_max_places":
        return msg.PLUS_DECIMALES_CENTIMES_TROUVE.format(
            value=ctx.get('decimal_places'), shown=shown), False
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return msg.MONTANT_TROP_GRAND.format(shown=shown), False
    if kind == "union_tag_invalid":
        shown = _shown(ctx.get("tag"))
        return (msg.OPERATION_INCONNUE_OPERATIONS_POSSIBLES.format(
            shown=shown, items=', '.join(OPERATIONS)),
                False)
    if kind == "union_tag_not_found":
        return (msg.OPERATION_NON_PRECISEE_AJOUTEZ.format(items=', '.join(OPERATIONS)), False)
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return msg.VALEUR_INCONNUE_VALEURS_ADMISES.format(shown=shown, expected=expected), False
    if kind == "string_pattern_mismatch":
        if "a-z0-9" in str(ctx.get("pattern", "")):
            return (
                msg.IDENTIFIANT_INVALIDE_MINUSCULES_SANS.format(shown=shown),
                False,
            )
        return msg.FORMAT_INATTENDU.format(shown=shown), False
    return msg.PYDANTIC_OTHER.format(shown=shown, value=err.get('msg')), False


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return msg.SHOWN_GROUP if isinstance(value, dict) else msg.SHOWN_LIST
    if value is None:
        return msg.SHOWN_EMPTY
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
