"""Generate realistic synthetic territories into a folder (never under cases/).

    .venv/bin/python benchmarks/make_cases.py OUT [--territories 100] [--big 1000]

Each territory is shaped like the example case (4 signatories, 3 secteurs, 14 fiches with
financing plans, one avenant, two COPILs), with its own names and amounts; `--big N` adds one
territory whose convention has N fiches. Everything is derived from the example case's files,
so the synthetic cases stay valid as the model evolves.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "cases" / "pays-des-ecrins"
COPILS_KEPT = ("2024-11-08.yaml", "2026-01-16.yaml")


def territory(target: Path, index: int, fiches: int | None = None) -> None:
    """A copy of the example with a third secteur, other figures and, if asked, N fiches."""
    rng = random.Random(index)
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("copils"))
    (target / "copils").mkdir()
    for name in COPILS_KEPT:
        shutil.copy(EXAMPLE / "copils" / name, target / "copils" / name)
    conv_path = target / "convention.yaml"
    conv = yaml.safe_load(conv_path.read_text(encoding="utf-8"))
    conv["secteurs"].append({"id": "faubourg", "nom": f"Faubourg n° {index}",
                             "commune": "argentiere", "description": "Secteur synthétique.",
                             "delimitation": "Le faubourg synthétique, au sud du bourg."})
    base = conv["fiches_actions"]
    for f in base:
        scale = rng.choice([1, 1, 2, 3])
        f["cout"]["montant"] = f["cout"]["montant"] * scale
        for row in f["plan_de_financement"]:
            row["montant"] = row["montant"] * scale
    if fiches:
        extra = []
        for n in range(15, fiches + 1):
            model = dict(base[(n - 1) % len(base)])
            model = yaml.safe_load(yaml.safe_dump(model))
            model["numero"] = n
            model["intitule"] = f"{model['intitule']} – opération {n}"
            extra.append(model)
        conv["fiches_actions"] = base + extra
    conv_path.write_text(yaml.safe_dump(conv, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if fiches:  # COPIL snapshots refer to the example's 14 fiches only: still valid
        pass
    # The avenant and COPIL snapshots refer to fiche 12 and 1–14 with the example's amounts:
    # rescale their money the same way, so plans never exceed costs.
    av_path = target / "avenants" / "01-quartier-gare.yaml"
    av = yaml.safe_load(av_path.read_text(encoding="utf-8"))
    f12 = next(f for f in base if f["numero"] == 12)
    factor = f12["cout"]["montant"] // 300000
    champs = av["modifications"][1]["champs"]
    champs["cout"]["montant"] = 450000 * factor
    for row in champs["plan_de_financement"]:
        row["montant"] = row["montant"] * factor
    av_path.write_text(yaml.safe_dump(av, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--territories", type=int, default=100)
    parser.add_argument("--big", type=int, default=0, help="also one territory with N fiches")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for i in range(args.territories):
        territory(args.out / f"territoire-{i:03d}", i)
    if args.big:
        territory(args.out / f"grand-{args.big}", 10_000 + args.big, fiches=args.big)
    print(f"{args.territories} territoire(s){' + 1 grand' if args.big else ''} dans {args.out}")


if __name__ == "__main__":
    main()
