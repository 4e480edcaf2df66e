"""The loader: the example case is valid; each broken case gets its message at its position."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.load import yamlpos
from docgen.errors import CaseInvalid
from docgen.load import load_case
from tests.conftest import EXAMPLE, INVALID, MINIMAL, overlay_case

BROKEN = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def test_example_case_is_valid_with_its_one_shortfall_warning() -> None:
    case = load_case(EXAMPLE)
    assert case.name == "pays-des-ecrins"
    assert len(case.convention.fiches_actions) == 14
    assert [w.path for w in case.warnings] == ["fiches_actions[12].plan_de_financement"]
    assert "reste à financer" in case.warnings[0].message


def test_check_example_exits_zero(run) -> None:
    result = run("check", EXAMPLE)
    assert result.code == 0
    assert "dossier valide" in result.out


def test_corpus_is_large_enough() -> None:
    assert len(BROKEN) >= 20


@pytest.mark.parametrize("name", BROKEN)
def test_broken_case_message_and_position(name: str, tmp_path: Path, run, golden, monkeypatch) -> None:
    overlay_case(tmp_path / name, INVALID / name)
    monkeypatch.chdir(tmp_path)
    result = run("check", name)
    assert result.code == 1
    assert "Traceback" not in result.err
    first = result.err.splitlines()[0]
    assert first.startswith(f"{name}/"), first
    golden(f"invalid/{name}.txt", result.err)


def test_every_issue_is_reported_at_once(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "c", INVALID / "representant-hors-fonction")
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    assert len(exc.value.errors) == 5


def test_file_over_size_limit_is_refused_before_parsing(tmp_path: Path, run, monkeypatch) -> None:
    case = overlay_case(tmp_path / "gros", None)
    with (case / "convention.yaml").open("w") as fh:
        fh.write("description: |\n")
        line = "  " + "x" * 998 + "\n"
        for _ in range(50 * 1024):  # 50 MB, generated here, never committed
            fh.write(line)
    monkeypatch.chdir(tmp_path)
    result = run("check", "gros")
    assert result.code == 1
    assert "gros/convention.yaml:1:1: fichier trop volumineux" in result.err


def test_alias_bomb_stops_at_the_node_cap(monkeypatch) -> None:
    counted: list[int] = []
    original = yamlpos._Builder.build

    def spy(self, node, path):
        counted.append(1)
        return original(self, node, path)

    monkeypatch.setattr(yamlpos._Builder, "build", spy)
    with pytest.raises(yamlpos.YamlProblem):
        yamlpos.read_yaml(INVALID / "bombe-yaml" / "convention.yaml", "bombe.yaml")
    # 9**9 values if expanded; the cap stops the walk right after MAX_NODES.
    assert len(counted) <= yamlpos.MAX_NODES + 20


UNUSUAL = [
    "Fontaine & lavoir",
    "Place <centrale>",
    'Le "grand" « marché »',
    "{{ 7*7 }} et {% if x %}",
    "<w:p>balise</w:p>",
    "Halle 🧺 du marché",
    "سوق البلدة",
    "Étude d'opportunité — ÇÀ",
]


@pytest.mark.parametrize("title", UNUSUAL)
def test_unusual_but_legitimate_values_are_accepted_as_typed(title: str, tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "c", None)
    conv = case / "convention.yaml"
    quoted = "'" + title.replace("'", "''") + "'"
    conv.write_text(conv.read_text().replace("intitule: Rénovation de la halle", f"intitule: {quoted}"))
    loaded = load_case(case)
    assert loaded.convention.fiches_actions[0].intitule == title


def test_minimal_case_is_valid() -> None:
    assert load_case(MINIMAL).warnings == ()


def test_amounts_are_exact_decimals(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "c", None)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text().replace("montant: 60000}", "montant: 59999.99}"))
    loaded = load_case(case)
    row = loaded.convention.fiches_actions[0].plan_de_financement[1]
    assert str(row.montant) == "59999.99"
    assert "reste à financer : 0,01" in loaded.warnings[0].message
