"""The ORT convention (`convention.yaml`): axes, secteurs, fiches actions, signature."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .. import messages as msg
from .base import CheminGeoJSON, Deliberation, Identifiant, Modele, Montant, Nom, Texte


class Signataire(Modele):
    """Un signataire, dans l'ordre des blocs de signature."""

    partie: Identifiant
    representant: Nom | None = Field(
        default=None,
        description="Nom du représentant, à préciser seulement si plusieurs personnes "
        "de cette partie sont en fonction à la date de signature.",
    )
    deliberation: Deliberation | None = Field(
        default=None, description="Délibération autorisant la signature (sans objet pour l'État)."
    )
    engagements: list[Texte] = Field(
        default_factory=list,
        description="Ce à quoi la partie s'engage (article « Engagements »), une phrase par "
        "engagement, sans majuscule initiale ni point final ; vide : les engagements usuels de "
        "son type de partie (commune, EPCI, État, département, région, partenaire).",
    )


class Signature(Modele):
    """Lieu, date et mode de signature."""

    lieu: Nom
    date: dt.date | None = Field(
        default=None, description="Date de signature ; vide tant que le document est un projet."
    )
    mode: Literal["papier", "electronique"] = Field(
        default="papier", description="papier (exemplaires originaux) ou electronique."
    )
    exemplaires: int | None = Field(
        default=None,
        ge=1,
        le=50,
        description="Nombre d'exemplaires originaux (papier) ; par défaut un par signataire.",
    )


class Axe(Modele):
    """Axe stratégique de la convention."""

    id: Identifiant
    intitule: Nom
    transversal: bool = Field(default=False, description="Vrai pour un fil conducteur transversal.")
    orientations: list[Texte] = Field(default_factory=list)


class Secteur(Modele):
    """Secteur d'intervention (périmètre de l'ORT)."""

    id: Identifiant
    nom: Nom
    commune: Identifiant
    centre_ville: bool = Field(
        default=False, description="Vrai pour le centre-ville de la ville principale."
    )
    description: Texte | None = None
    perimetre: CheminGeoJSON | None = Field(
        default=None,
        description="Périmètre du secteur : chemin d'un fichier GeoJSON du dossier assets/ "
        "(ex. « assets/perimetres/centre-bourg.geojson »), un Polygon ou MultiPolygon en WGS 84 "
        "(EPSG:4326) ou en Lambert-93 (EPSG:2154), déclaré par le membre « crs » ou reconnu aux "
        "coordonnées. Le périmètre et/ou la délimitation sont obligatoires.",
    )
    delimitation: Texte | None = Field(
        default=None,
        description="Délimitation écrite du secteur (rues, places, parcelles cadastrales), "
        "imprimée en annexe avec la carte. Le périmètre et/ou la délimitation sont obligatoires.",
    )


class LigneFinancement(Modele):
    """Ligne d'un plan de financement."""

    financeur: Identifiant
    dispositif: Nom | None = Field(default=None, description="Dispositif ou programme (ex. « Fonds vert »).")
    montant: Montant
    statut: Literal["sollicite", "acquis"] = "sollicite"


class Cout(Modele):
    """Coût estimatif d'une action."""

    montant: Montant
    base: Literal["HT", "TTC"] = Field(description="Montant hors taxes (HT) ou toutes taxes comprises (TTC).")


class Phase(Modele):
    libelle: Nom
    debut: dt.date
    fin: dt.date


class Calendrier(Modele):
    debut: dt.date
    fin: dt.date
    phases: list[Phase] = Field(default_factory=list)


StatutAction = Literal["en_projet", "engagee", "en_cours", "realisee", "abandonnee", "reportee"]


class FicheAction(Modele):
    """Fiche action du plan d'action."""

    numero: int = Field(ge=1, le=9999)
    intitule: Nom
    axe: Identifiant
    type: Literal["etude", "travaux", "animation"]
    maitre_ouvrage: Identifiant = Field(description="Id de la partie qui porte l'action.")
    partenaires: list[Nom] = Field(default_factory=list)
    secteur: Identifiant | None = Field(
        default=None, description="Id du secteur d'intervention ; vide si hors périmètre."
    )
    localisation: Nom | None = Field(default=None, description="Précision de lieu, texte libre.")
    description: Texte
    objectifs: list[Texte] = Field(default_factory=list)
    calendrier: Calendrier
    cout: Cout
    plan_de_financement: list[LigneFinancement] = Field(default_factory=list)
    statut: StatutAction = "en_projet"
    maturite: Literal["mature", "en_maturation"] = "mature"
    indicateurs: list[Nom] = Field(default_factory=list)


class Textes(Modele):
    """Textes d'articles propres au territoire (le reste du texte est dans le modèle Word)."""

    preambule: list[Texte] = Field(min_length=1)
    diagnostic: list[Texte] = Field(
        default_factory=list,
        description="Diagnostic précis du territoire (article « Diagnostic du territoire ») : "
        "un paragraphe par élément ; vide, l'article renvoie aux études et le chargement avertit.",
    )
    ambitions: list[Texte] = Field(min_length=1)
    projet: list[Texte] = Field(
        default_factory=list,
        description="Le projet urbain, économique et social que définit la convention (article "
        "L. 303-2 du code de la construction et de l'habitation), un paragraphe chacun ; vide, "
        "l'article renvoie aux orientations stratégiques et au plan d'action.",
    )
    strategie: list[Texte] = Field(default_factory=list)
    delegation_operateurs: list[Texte] = Field(
        default_factory=list,
        description="Conditions dans lesquelles les actions peuvent être déléguées à des "
        "opérateurs (article L. 303-2, II) ; vide : les conditions usuelles du modèle de "
        "convention du programme (contrat conclu selon les règles de la commande publique).",
    )
    ingenierie: list[Texte] = Field(min_length=1)
    gouvernance: list[Texte] = Field(min_length=1)
    suivi_evaluation: list[Texte] = Field(default_factory=list)
    resultats_attendus: list[Texte] = Field(default_factory=list)


class Poste(Modele):
    """Le chef ou la cheffe de projet Petites Villes de Demain : qui l'emploie, comment le nommer."""

    employeur: Identifiant | None = Field(
        default=None,
        description="Id de la partie qui emploie le chef de projet (ex. « cc-pays-des-ecrins ») : "
        "seul son engagement par défaut le nomme.",
    )
    intitule: Literal["chef", "cheffe"] = Field(
        default="chef",
        description="« chef » ou « cheffe » (de projet), dans tout le texte des actes.",
    )


class ProrogationDelai(Modele):
    """Prorogation du délai de dix-huit mois entre la convention d'adhésion et la convention-cadre."""

    date: dt.date = Field(description="Date de l'acte qui proroge le délai (AAAA-MM-JJ).")
    reference: Nom = Field(
        description="L'acte qui proroge le délai, tel que le visa le cite après « Vu » "
        "(ex. « le courrier de la Préfète des Hautes-Alpes »)."
    )


class Convention(Modele):
    """Fichier convention.yaml : la convention-cadre valant ORT."""

    titre: Nom = Field(
        default=msg.TITRE_CONVENTION_PAR_DEFAUT
    )
    communes: list[Identifiant] = Field(min_length=1, description="Communes nommées dans le titre.")
    date_edition: dt.date = Field(
        description="Date imprimée sur les documents produits (jamais l'horloge de l'ordinateur)."
    )
    signature: Signature
    duree_ans: int = Field(ge=1, le=30, description="Durée de la convention en années.")
    signataires: list[Signataire] = Field(min_length=1)
    en_presence_de: list[Identifiant] = Field(default_factory=list)
    chef_de_projet: Poste | None = Field(
        default=None,
        description="Le chef de projet : son employeur et son intitulé (« cheffe de projet ») ; "
        "vide : ceux de la convention d'adhésion.",
    )
    operateurs: list[Nom] = Field(
        default_factory=list,
        description="Opérateurs auxquels des actions sont ou peuvent être déléguées, nommés avec "
        "leur article (ex. « la SPL … », « l'Établissement public foncier … »).",
    )
    prorogation_delai: ProrogationDelai | None = Field(
        default=None,
        description="Acte qui a prorogé le délai de signature de la convention-cadre au-delà de "
        "dix-huit mois après la convention d'adhésion, cité en visa.",
    )
    textes: Textes
    axes: list[Axe] = Field(min_length=1)
    secteurs: list[Secteur] = Field(min_length=1)
    fiches_actions: list[FicheAction] = Field(min_length=1)
