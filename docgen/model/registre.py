"""The register of acts (`actes/registre.yaml` of a territory folder): for each act (adhésion,
convention, each avenant) its state and the facts that make it a record — the version docgen
issued for signature, the signed original, the transmission. docgen writes it (docgen/acts.py);
it is read back as any other input, strictly."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from .base import Modele, Nom

ETATS = ("projet", "relu", "signe", "transmis")  # the life of an act, in order
Origine = Literal["production", "relecture"]
Mode = Literal["papier", "electronique"]
Confiance = Literal["verifiee", "non_verifiee", "sans_objet"]

Empreinte = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 (hexadécimal).")]
CodeActe = Annotated[str, Field(pattern=r"^(adhesion|convention|avenant-[0-9]{2})$")]
CodeCopil = Annotated[str, Field(pattern=r"^copil-[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
# a file of the register's own folder: actes/<acte or copil>/<nom>, nothing else
Fichier = Annotated[str, Field(pattern=r"^(adhesion|convention|avenant-[0-9]{2}|"
                                       r"copil-[0-9]{4}-[0-9]{2}-[0-9]{2})/"
                                       r"[a-z0-9][a-z0-9-]{0,40}\.(docx|pdf|pptx|xml|yaml)$")]
NomPiece = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")]
Champ = Annotated[str, Field(pattern=r"^Signature_[A-Za-z0-9_]{1,40}$")]


class Attendu(Modele):
    """A signatory the issued PDF expects: its field, who signs, for whom."""

    champ: Champ
    nom: Nom
    pour: Nom


class Emission(Modele):
    """The version docgen issued for signature: the DOCX its PDF was typeset from (the text of
    record) and the PDF itself, both kept in the register's folder."""

    date: dt.date
    origine: Origine = Field(
        description="production : docgen build ; relecture : docgen relu (DOCX relu).")
    docx: Fichier
    docx_sha256: Empreinte
    pdf: Fichier
    pdf_sha256: Empreinte
    pdf_octets: int = Field(ge=1, le=200_000_000)
    dossier: Fichier | None = Field(default=None, description="Le fichier YAML de l'acte tel "
                                    "qu'il était à l'émission.")
    signataires: list[Attendu] = Field(default_factory=list, max_length=50)
    docgen: Annotated[str, Field(max_length=40)] = ""


class Signe(Modele):
    """A signature made with a certificate, as the verification of the original found it."""

    champ: Champ
    nom: Nom = Field(description="Nom du certificat.")
    attendu: Nom
    accepte: bool = Field(default=False, description="Nom différent accepté expressément.")
    date: dt.datetime | None = None


class Signature(Modele):
    """The act signed: on paper (a scan may be kept) or electronically (verified original)."""

    date: dt.date
    mode: Mode
    original: Fichier | None = None
    original_sha256: Empreinte | None = None
    importe_le: dt.date | None = None
    confiance: Confiance = "sans_objet"
    signatures: list[Signe] = Field(default_factory=list, max_length=50)


class Transmission(Modele):
    """The act transmitted (contrôle de légalité): the operator's acknowledgement (ARActe)."""

    date: dt.date = Field(description="Date de réception par la préfecture (DateReception).")
    id_acte: Annotated[str, Field(pattern=r"^[09][0-9][AB0-9]-[0-9]{9}-[0-9]{8}-"
                                          r"[a-zA-Z0-9_]{1,15}-[A-Z]{2}$")]
    accuse: Fichier | None = Field(default=None, description="L'accusé de réception (XML).")
    accuse_sha256: Empreinte | None = None
    tamponne: Fichier | None = Field(default=None, description="L'acte tamponné, copie dérivée : "
                                     "l'original signé reste la référence.")
    tamponne_sha256: Empreinte | None = None
    importe_le: dt.date | None = None


class Acte(Modele):
    etat: Literal["projet", "relu", "signe", "transmis"]
    emis: Emission | None = None
    signature: Signature | None = None
    transmission: Transmission | None = None


class Piece(Modele):
    fichier: Fichier
    sha256: Empreinte


class Presentation(Modele):
    """The slides of a COPIL as last produced before it was held: once it is held (présences
    recorded), they are handed out as presented, never made again."""

    produit_le: dt.date
    pieces: dict[NomPiece, Piece] = Field(default_factory=dict, max_length=10)


class Registre(Modele):
    """Fichier actes/registre.yaml : tenu par docgen, ne se modifie pas à la main."""

    actes: dict[CodeActe, Acte] = Field(default_factory=dict)
    copils: dict[CodeCopil, Presentation] = Field(default_factory=dict)
