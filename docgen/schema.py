"""JSON Schema of each case file kind, for editors that complete and check YAML."""

from __future__ import annotations

import json
from typing import Any

from .model import KINDS


def json_schema(kind: str) -> dict[str, Any]:
    schema = KINDS[kind].model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"docgen — {kind}.yaml"
    return schema


def json_schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
