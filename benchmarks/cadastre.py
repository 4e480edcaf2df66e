"""What the cadastre under the maps costs (issue 29), measured side by side in one run.

1. The example case with and without its base layers (`fond:` of the commune): `docgen check`
   and `docgen build --doc convention --doc avenant --draft` (DOCX and PDF), each in a fresh
   process, alternated, median of N runs; the ratio is the figure to read.
2. A large synthetic cadastre (a commune of ~20 000 parcels, in a fresh process): the time to
   read and check the layer, to list the parcels of a secteur, to draw the overview, and the peak
   memory (ru_maxrss) of that process.

Usage: .venv/bin/python benchmarks/cadastre.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "cases" / "pays-des-ecrins"
FOND = """      fond:
        parcelles: assets/fond/cadastre-05006-parcelles.json
        batiments: assets/fond/cadastre-05006-batiments.json
        voies: assets/fond/voies.geojson
"""


def _copies(tmp: Path) -> dict[str, Path]:
    out = {}
    for name in ("avec", "sans"):
        case = tmp / name / "pays-des-ecrins"
        shutil.copytree(EXAMPLE, case, ignore=shutil.ignore_patterns("actes"))
        if name == "sans":
            terr = case / "territoire.yaml"
            text = terr.read_text(encoding="utf-8")
            assert FOND in text
            terr.write_text(text.replace(FOND, ""), encoding="utf-8")
        out[name] = case
    return out


def _timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "docgen", *args], check=True, capture_output=True)
    return time.perf_counter() - start


LARGE = r'''
import json, resource, sys, time
from pathlib import Path
from types import SimpleNamespace

folder = Path(sys.argv[1])
t0 = time.perf_counter()
from docgen.load.fond import read_fond
from docgen.model.territoire import FondCommune
from docgen import parcelles
from docgen.load.geo import read_perimetre
from docgen.render import maps
spec = FondCommune(parcelles="assets/p.json")
commune = SimpleNamespace(id="c", nom="Commune", code_insee="05006", fond=spec)
t1 = time.perf_counter()
fond = read_fond(folder, commune)
t2 = time.perf_counter()
secteur = read_perimetre(folder, "assets/s.geojson")
liste = parcelles.du_secteur(fond, secteur.geometrie)
t3 = time.perf_counter()
s = {"id": "s", "nom": "Secteur", "commune": "Commune", "perimetre": secteur,
     "contour_commune": None, "fond": fond, "hectares": None}
svg = maps.draw([s], "Carte", "Source", fonds=[fond])
t4 = time.perf_counter()
print(json.dumps({"parcelles": len(fond.parcelles), "dans_le_secteur": len(liste),
                  "lecture_s": round(t2 - t1, 3), "parcelles_du_secteur_s": round(t3 - t2, 3),
                  "carte_s": round(t4 - t3, 3), "svg_ko": len(svg) // 1024,
                  "memoire_max_mo": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
'''


def _large(tmp: Path, side: int = 140) -> dict[str, float]:
    """A side × side grid of 15 m parcels (Lambert-93) and a secteur over its centre."""
    folder = tmp / "grand"
    (folder / "assets").mkdir(parents=True)
    x0, y0, step = 980_000.0, 6_418_000.0, 15.0
    feats = []
    for i in range(side):
        for j in range(side):
            x, y = x0 + i * step, y0 + j * step
            n = i * side + j + 1
            feats.append({"type": "Feature", "properties": {
                "id": f"05006000{'A' + chr(65 + n // 9000)}{n % 9000 + 1:04d}", "commune": "05006",
                "prefixe": "000", "section": "A" + chr(65 + n // 9000), "numero": n % 9000 + 1,
                "contenance": 225},
                "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + step, y],
                                                                 [x + step, y + step],
                                                                 [x, y + step], [x, y]]]}})
    crs = {"type": "name", "properties": {"name": "EPSG:2154"}}
    (folder / "assets" / "p.json").write_text(json.dumps(
        {"type": "FeatureCollection", "crs": crs, "features": feats}))
    c = side * step / 2
    (folder / "assets" / "s.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "crs": crs, "features": [{"type": "Feature",
         "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[
             [x0 + c - 300, y0 + c - 250], [x0 + c + 310, y0 + c - 240],
             [x0 + c + 280, y0 + c + 260], [x0 + c - 290, y0 + c + 300],
             [x0 + c - 300, y0 + c - 250]]]}}]}))
    size = (folder / "assets" / "p.json").stat().st_size
    result = subprocess.run([sys.executable, "-c", LARGE, str(folder)], check=True,
                            capture_output=True, text=True, cwd=ROOT)
    return {"taille_mo": round(size / 1024 / 1024, 1), **json.loads(result.stdout)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        cases = _copies(tmp)
        times: dict[tuple[str, str], list[float]] = {}
        for r in range(runs):
            for name, case in cases.items():
                out = tmp / f"out-{name}-{r}"
                times.setdefault(("check", name), []).append(_timed(["check", str(case)]))
                times.setdefault(("build", name), []).append(_timed([
                    "build", str(case), "--doc", "convention", "--doc", "avenant", "--draft",
                    "--out", str(out)]))
        print(f"Exemple, médiane de {runs} passages (s) : sans fond / avec fond / rapport")
        for what in ("check", "build"):
            a = statistics.median(times[(what, "sans")])
            b = statistics.median(times[(what, "avec")])
            print(f"  {what:5} : {a:.2f} / {b:.2f} / {b / a:.2f}×")
        print("Grand cadastre synthétique :", json.dumps(_large(tmp), ensure_ascii=False))


if __name__ == "__main__":
    main()
