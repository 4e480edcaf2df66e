"""`docgen schema`: a standard validator accepts the example case and rejects an unknown key."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import EXAMPLE

FILES = {
    "territoire": EXAMPLE / "territoire.yaml",
    "convention": EXAMPLE / "convention.yaml",
    "adhesion": EXAMPLE / "adhesion.yaml",
    "copil": EXAMPLE / "copils" / "2026-01-16.yaml",
    "avenant": EXAMPLE / "avenants" / "01-quartier-gare.yaml",
}


def as_json(value: Any) -> Any:
    """What an editor's YAML plugin hands to the validator: dates as ISO strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def schema_of(run, kind: str) -> dict[str, Any]:
    result = run("schema", "--kind", kind)
    assert result.code == 0
    return json.loads(result.out)


@pytest.mark.parametrize("kind", sorted(FILES))
def test_schema_accepts_the_example_file(run, kind: str) -> None:
    data = as_json(yaml.safe_load(FILES[kind].read_text()))
    jsonschema.Draft202012Validator(schema_of(run, kind)).validate(data)


def test_default_kind_is_convention_and_rejects_unknown_key(run) -> None:
    schema = schema_of(run, "convention")
    data = as_json(yaml.safe_load(FILES["convention"].read_text()))
    data["fiches_actions"][0]["maitre_ouvrag"] = "commune-argentiere"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert any("maitre_ouvrag" in e.message for e in errors)


def test_schema_carries_french_descriptions(run) -> None:
    text = json.dumps(schema_of(run, "convention"), ensure_ascii=False)
    assert "Date imprimée sur les documents produits" in text


def test_avenant_schema_names_its_fields_and_rejects_an_unknown_operation(run) -> None:
    from docgen.model.avenant import OPERATIONS

    schema = schema_of(run, "avenant")
    assert schema["required"] == ["numero", "date_edition", "signature", "objet", "motifs",
                                  "signataires", "modifications"]
    assert "Date du comité de pilotage qui a approuvé l'avenant" in json.dumps(
        schema["properties"]["approuve_par_copil"], ensure_ascii=False)
    mapping = schema["properties"]["modifications"]["items"]["discriminator"]["mapping"]
    assert sorted(mapping) == sorted(OPERATIONS)  # every operation an editor can offer

    validator = jsonschema.Draft202012Validator(schema)
    data = as_json(yaml.safe_load(FILES["avenant"].read_text()))
    data["modifications"][0]["operation"] = "deplacer_secteur"
    data["motif"] = "faute de frappe"
    data.pop("objet")
    messages = [e.message for e in validator.iter_errors(data)]
    assert any("'objet' is a required property" in m for m in messages), messages
    assert any("'motif' was unexpected" in m for m in messages), messages
    assert any("deplacer_secteur" in m for m in messages), messages


def test_copil_schema_knows_a_decision_before_and_after_the_meeting(run) -> None:
    """A decision's text is optional (a COPIL in preparation proposes it) and a decision may
    name the avenant it approves; a COPIL file without attendance passes the schema."""
    schema = schema_of(run, "copil")
    decision = schema["$defs"]["Decision"]
    assert decision["required"] == ["point"]
    assert "avenant" in decision["properties"]
    data = as_json(yaml.safe_load((EXAMPLE / "copils" / "2024-11-08.yaml").read_text()))
    assert data["decisions"][0]["avenant"] == 1
    jsonschema.Draft202012Validator(schema).validate(data)
    del data["presences"]
    data["decisions"] = [{"point": "avenant", "proposition": "Approuver le projet d'avenant n° 2.",
                          "avenant": 2}]
    jsonschema.Draft202012Validator(schema).validate(data)
