"""The document kinds, as data: what each document of a case is made from, how, where it goes,
whether it is an act that is signed. The plan, the pipeline, lint, the web workspace and the
command line read this table; none recognises a kind again from a file name or a sentence.

Adding a kind: a row here, its template, and its data: the name of a builder of
docgen/context/ (CONTEXTS), or a new one there. Only a kind made in a way no other is (`make`)
needs that way added to pipeline.Documents.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of document."""

    name: str  # convention, consolidee, adhesion, avenant, redline, convocation…
    family: str  # the --doc family it is built with: convention, adhesion, avenant, copil
    templates: tuple[str, ...]  # found on the case's template search path; the first is rendered
    output: str  # its file, from {n} (avenant or COPIL number) and {folder} (copil-<date>)
    make: str  # how: docx, consolidated, avenant, redline, html, slides, pptx, handout, pack
    signed: bool = False  # an act signed by its parties: signature fields in its PDF
    pdf: bool = False  # a DOCX whose PDF is typeset beside it (signature-ready when signed)
    sources: tuple[str, ...] = ()  # kinds of the same COPIL it is assembled from
    group: str = "actes"  # renderings shared within: actes, copil (pieces and pack), pptx
    superscripts: bool = False  # ordinals (1er, 2e) set in superscript in its DOCX
    context: str = ""  # its data: context.CONTEXTS[context] (by default, its own name)
    held: bool = False  # a COPIL piece recording the meeting: built once the COPIL is held
    presented: bool = False  # shown at a COPIL: once it is held, kept as presented (acts.py)
    cadastre: bool = False  # made only when a commune of the case gives its parcels (`fond`)

    @property
    def data(self) -> str:
        """The name of its builder in context.CONTEXTS."""
        return self.context or self.name

    def file(self, n: int = 0, folder: str = "") -> str:
        return self.output.format(n=n, folder=folder)


CONVENTION_T = "docx/convention.docx"
SLIDES_T = "commun/diaporama.yaml"  # the COPIL slides' words, for the PDF and the PowerPoint

KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("convention", "convention", (CONVENTION_T,), "convention.docx", "docx", signed=True,
         pdf=True, superscripts=True),
    # the parcels of each secteur, for the services that instruct permits (parcelles.py)
    Kind("parcelles", "convention", (), "convention-parcelles.csv", "csv", cadastre=True),
    Kind("adhesion", "adhesion", ("docx/adhesion.docx",), "adhesion.docx", "docx", signed=True,
         pdf=True, superscripts=True),
    Kind("avenant", "avenant", ("docx/avenant.docx", CONVENTION_T), "avenant-{n:02d}.docx",
         "avenant", signed=True, pdf=True, superscripts=True),
    # informative, never signed: its PDF has no signature field, whatever its wording
    Kind("consolidee", "avenant", (CONVENTION_T,), "convention-consolidee-{n:02d}.docx",
         "consolidated", pdf=True, superscripts=True),
    Kind("redline", "avenant", (CONVENTION_T,), "redline-avenant-{n:02d}.docx", "redline"),
    # the parcels of each secteur in force after avenant n
    Kind("parcelles-consolidee", "avenant", (), "convention-consolidee-{n:02d}-parcelles.csv",
         "csv", cadastre=True),
    Kind("convocation", "copil", ("docx/convocation.docx",), "{folder}/convocation.docx", "docx",
         pdf=True, group="copil", context="copil"),
    # the slides: one plan (slides.py) from one wording, drawn in HTML → PDF and in PowerPoint
    Kind("diaporama", "copil", ("html/diaporama.html", SLIDES_T), "{folder}/diaporama.pdf",
         "slides", group="copil", context="copil", presented=True),
    Kind("diaporama-pptx", "copil", (SLIDES_T,), "{folder}/diaporama.pptx", "pptx",
         group="pptx", context="copil", presented=True),
    # made from the slides' PDF (its source), no template of its own
    Kind("diaporama-a4", "copil", (), "{folder}/diaporama-a4.pdf", "handout",
         sources=("diaporama",), group="copil", context="copil"),
    Kind("emargement", "copil", ("html/emargement.html",), "{folder}/emargement.pdf", "html",
         group="copil", context="copil"),
    Kind("compte-rendu", "copil", ("docx/compte-rendu.docx",), "{folder}/compte-rendu.docx",
         "docx", pdf=True, group="copil", context="copil", held=True),
    Kind("pack", "copil", ("html/pack.txt",), "{folder}/pack.pdf", "pack",
         sources=("convocation", "diaporama", "emargement", "compte-rendu"), group="copil",
         context="copil"),
)}

# A state of the convention (as signed, or after avenant n) rendered without any mark: what an
# avenant's provisions are read from. Never written.
ETAT = Kind("etat", "avenant", (CONVENTION_T,), "", "docx", superscripts=True)

FAMILIES = tuple(dict.fromkeys(k.family for k in KINDS.values()))  # --doc, in build order


def of_family(family: str) -> list[Kind]:
    """The kinds a family builds, in build order."""
    return [k for k in KINDS.values() if k.family == family]


def kind(name: str) -> Kind:
    return ETAT if name == ETAT.name else KINDS[name]
