"""Vector charts for the COPIL slides, drawn by pygal, labelled in French, deterministic."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..formatting import montant, nombre

COLOURS = ("#1f3a5f", "#4f81bd", "#9bbb59", "#f79646", "#8064a2", "#c0504d", "#4bacc6")


def _style():  # type: ignore[no-untyped-def]
    from pygal.style import Style

    return Style(
        font_family="Docgen Sans",
        background="white",
        plot_background="white",
        foreground="#222",
        foreground_strong="#111",
        foreground_subtle="#bbb",
        colors=COLOURS,
        label_font_size=22,
        major_label_font_size=22,
        legend_font_size=22,
        title_font_size=24,
        value_font_size=20,
        value_label_font_size=20,
        tooltip_font_size=16,
    )


def _options() -> dict[str, object]:
    """The slide's heading names the chart: the SVG keeps its title only as a description."""
    return {
        "style": _style(),
        "width": 1000,
        "height": 470,
        "explicit_size": True,
        "disable_xml_declaration": True,
        "js": [],
        "title": None,
        "legend_at_bottom": False,  # at the bottom, pygal draws it outside the viewBox
        "legend_box_size": 18,
        "show_y_guides": False,
        "margin": 10,
        "truncate_label": -1,
        "truncate_legend": -1,
    }


def _data_uri(svg: str, name: str) -> str:
    """pygal stamps a random id and the date: replace the one, drop the other."""
    uid = re.search(r'id="chart-([0-9a-f-]+)"', svg)
    if uid:
        svg = svg.replace(uid.group(1), name)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def statuts_par_axe(axes: Sequence[str], ordre: Sequence[str], par_axe: Sequence[Any],
                    libelles: Any) -> str:
    """Stacked bars: for each axe, how many actions in each status (labels from the template)."""
    import pygal

    chart = pygal.HorizontalStackedBar(**_options(), value_formatter=lambda v: nombre(int(v)) if v else "")
    chart.x_labels = list(axes)
    for statut in ordre:
        counts = [a["comptes"][statut] for a in par_axe]
        if any(counts):
            chart.add(libelles[statut], [c or None for c in counts])
    return _data_uri(chart.render(is_unicode=True), "statuts")


def financeurs(rows: Sequence[Any], libelle: str) -> str:
    """Horizontal bars: subsidies obtained per financeur."""
    import pygal

    ordered = sorted(((r["nom"], r["montant"]) for r in rows), key=lambda r: r[1])  # largest on top
    chart = pygal.HorizontalBar(**_options(), value_formatter=lambda v: montant(Decimal(str(v))),
                                print_values=True, print_values_position="top",
                                show_legend=False, show_x_labels=False)
    chart.x_labels = [r[0] for r in ordered]
    chart.add(libelle, [float(r[1]) for r in ordered])
    return _data_uri(chart.render(is_unicode=True), "financeurs")


def programme_finance(rows: Sequence[Any], programme: str, obtenu: str) -> str:
    """Grouped bars: programmed against financed, for the programme and for the studies."""
    import pygal

    chart = pygal.Bar(**_options(), value_formatter=lambda v: montant(Decimal(str(v))),
                      print_values=True)
    chart.x_labels = [r[0] for r in rows]
    chart.add(programme, [float(r[1]) for r in rows])
    chart.add(obtenu, [float(r[2]) for r in rows])
    return _data_uri(chart.render(is_unicode=True), "programme")


class Graphiques:
    """The charts a slide template may draw, by name: `{{ graphique.financeurs(…) }}`."""

    statuts_par_axe = staticmethod(statuts_par_axe)
    financeurs = staticmethod(financeurs)
    programme_finance = staticmethod(programme_finance)
