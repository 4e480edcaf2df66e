"""The territory and its parties, shared by every document of a case (`territoire.yaml`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .base import MAX_NOM, CheminGeoJSON, Identifiant, Modele, Nom


class FondCommune(Modele):
    """Les couches de fond des cartes d'une commune, et ce qu'elles permettent : la liste des
    parcelles de chaque secteur d'intervention, imprimée en annexe."""

    parcelles: CheminGeoJSON | None = Field(
        default=None,
        description="Parcelles du cadastre de la commune : le fichier GeoJSON de l'export national "
        "du cadastre (« cadastre-<code INSEE>-parcelles.json », propriétés id, commune, prefixe, "
        "section, numero, contenance), dans assets/. Demande le code INSEE de la commune.",
    )
    batiments: CheminGeoJSON | None = Field(
        default=None,
        description="Bâtiments du cadastre (« cadastre-<code INSEE>-batiments.json »), dans assets/.",
    )
    voies: CheminGeoJSON | None = Field(
        default=None,
        description="Axes des voies avec leur nom (export QGIS de la BD TOPO ou d'OpenStreetMap : "
        "LineString ou MultiLineString), dans assets/.",
    )
    nom_voie: str = Field(
        default="nom", min_length=1, max_length=64, pattern=r"^[A-Za-z_][A-Za-z0-9_:.-]*$",
        description="Propriété des voies qui porte leur nom (« nom » par défaut ; « name » pour "
        "OpenStreetMap, « nom_1_gauche » pour la BD TOPO).",
    )
    source: Nom | None = Field(
        default=None,
        description="Source des couches, citée sous les cartes (ex. « DGFiP, cadastre Etalab 2024 ; "
        "IGN, BD TOPO »).",
    )
    listes_depuis: dt.date | None = Field(
        default=None,
        description="Pour un territoire dont des actes sont déjà signés sans la liste des parcelles : "
        "la date à partir de laquelle les actes la donnent. Les actes signés (ou datés) avant "
        "restent tels quels ; le premier avenant signé après remplace l'annexe des secteurs par "
        "celle qui liste les parcelles.",
    )
    seuil: int = Field(
        default=50, ge=1, le=100,
        description="Part de la surface d'une parcelle (en %) que le périmètre d'un secteur doit "
        "couvrir pour que la parcelle appartienne au secteur (50 par défaut : au moins la moitié).",
    )


class Commune(Modele):
    """Commune de l'intercommunalité."""

    id: Identifiant
    nom: Nom = Field(description="Nom officiel de la commune (ex. « L'Argentière-La Bessée »).")
    code_insee: str | None = Field(default=None, pattern=r"^[0-9][0-9AB][0-9]{3}$")
    ville_principale: bool = Field(
        default=False, description="Vrai pour la commune labellisée Petites Villes de Demain."
    )
    perimetre: CheminGeoJSON | None = Field(
        default=None,
        description="Limite communale, dessinée sur les cartes des secteurs : chemin d'un fichier "
        "GeoJSON du dossier assets/ (Polygon ou MultiPolygon, EPSG:4326 ou EPSG:2154).",
    )
    fond: FondCommune | None = Field(
        default=None,
        description="Fond des cartes de la commune : parcelles et bâtiments du cadastre, voies ; "
        "les parcelles de chaque secteur en sont déduites et listées en annexe.",
    )


class Territoire(Modele):
    """Le territoire du programme."""

    nom: Nom = Field(description="Nom usuel du territoire (ex. « Pays des Écrins »).")
    departement: Nom
    arrondissement: Nom
    region: Nom
    tribunal_administratif: Nom = Field(
        description="Ville du tribunal administratif compétent pour les litiges (ex. « Marseille »)."
    )
    communes: list[Commune] = Field(min_length=1)


class ArreteDelegation(Modele):
    """Arrêté qui délègue la signature de l'autorité au représentant."""

    numero: Nom = Field(description="Numéro de l'arrêté, tel qu'il figure sur l'acte.")
    date: dt.date = Field(
        description="Date de l'arrêté (AAAA-MM-JJ) : antérieure à la signature, et postérieure à "
        "la prise de fonction du délégant en fonction ce jour-là comme à celle du délégataire "
        "(une délégation de signature est personnelle).")
    publication: Nom | None = Field(
        default=None,
        description="Publication de l'arrêté, citée avec lui (ex. « publié au recueil des actes "
        "administratifs de la préfecture le 20 juin 2022 ») ; attendue : son absence est "
        "signalée.",
    )


class Representant(Modele):
    """Personne qui représente une partie, d'une date à une autre."""

    civilite: Literal["M.", "Mme"]
    nom: Nom = Field(description="Prénom et NOM (ex. « Alain SANCHEZ »).")
    fonction: Nom = Field(description="Fonction exercée (ex. « Maire », « Sous-préfète de Briançon »).")
    du: dt.date = Field(description="Premier jour dans la fonction.")
    au: dt.date | None = Field(default=None, description="Dernier jour dans la fonction ; vide si en poste.")
    par_delegation_de: Nom | None = Field(
        default=None,
        description="Autorité pour laquelle la personne signe par délégation "
        "(ex. « le Préfet des Hautes-Alpes ») ; vide si elle signe en nom propre. Le délégant "
        "est le représentant de la même partie en fonction le jour de la signature dont la "
        "fonction est celle-ci, au genre près (« Préfète des Hautes-Alpes »).",
    )
    arrete_delegation: ArreteDelegation | None = Field(
        default=None,
        description="Arrêté de délégation de signature (numéro, date, publication), cité dans "
        "le bloc des parties et le bloc de signature ; avec par_delegation_de.",
    )

    def en_fonction(self, jour: dt.date) -> bool:
        return self.du <= jour and (self.au is None or jour <= self.au)


TypePartie = Literal["etat", "commune", "epci", "departement", "region", "partenaire"]


class Partie(Modele):
    """Partie signataire ou associée (« en présence de »)."""

    id: Identifiant
    type: TypePartie = Field(description="etat, commune, epci, departement, region ou partenaire.")
    nom: Nom = Field(
        description="Désignation complète avec son article (ex. « la Commune de L'Argentière-La Bessée »)."
    )
    feminin: bool = Field(
        default=False, description="Vrai si la désignation est féminine (accord de « représentée »)."
    )
    designation: Nom = Field(
        description="Nom court employé dans le texte : ci-après désigné(e) « … » (ex. « la Commune »)."
    )
    commune: Identifiant | None = Field(
        default=None, description="Pour une partie de type commune : l'id de la commune."
    )
    adresse: Nom | None = None
    representants: list[Representant] = Field(
        default_factory=list,
        description="Les personnes qui ont représenté la partie, datées, de la plus ancienne à la plus récente.",
    )


class Financeur(Modele):
    """Financeur cité dans les plans de financement."""

    id: Identifiant
    nom: Nom = Field(description="Nom affiché (ex. « État – DSIL », « Banque des Territoires »).")
    partie: Identifiant | None = Field(
        default=None, description="La partie qui finance, si elle est partie à la convention."
    )
    autofinancement: bool = Field(
        default=False, description="Vrai pour la part payée par le maître d'ouvrage lui-même."
    )


# The hand-off of an act (docgen remise): the operators' formats, checked at load by
# load/remise.py with messages that name the rule. The patterns below document the fields for
# editors (JSON Schema); the loader's rules apply them.
MOTIF_NUMERO = r"^(?:[0-9A-Z_]|\{annee\}|\{numero\})+$"


class NumerosActes(Modele):
    """Modèles des numéros d'acte transmis (NumeroInterne d'@ctes, numero_de_lacte de Pastell)."""

    adhesion: str = Field(
        default="ORT{annee}AD", max_length=MAX_NOM, json_schema_extra={"pattern": MOTIF_NUMERO},
        description="Numéro de la convention d'adhésion : chiffres, majuscules sans accent et _ ; "
        "{annee} devient l'année de signature (à défaut, d'édition) de l'acte. Au plus 15 "
        "caractères une fois complété, ni _ au début ni à la fin (ex. « ORT{annee}AD » → "
        "« ORT2021AD »).")
    convention: str = Field(
        default="ORT{annee}C", max_length=MAX_NOM, json_schema_extra={"pattern": MOTIF_NUMERO},
        description="Numéro de la convention : mêmes règles (ex. « ORT{annee}C » → « ORT2023C »).")
    avenant: str = Field(
        default="ORT{annee}A{numero}", max_length=MAX_NOM,
        json_schema_extra={"pattern": MOTIF_NUMERO},
        description="Numéro d'un avenant : mêmes règles, et {numero} (le numéro de l'avenant sur "
        "deux chiffres) obligatoire (ex. « ORT{annee}A{numero} » → « ORT2025A01 »).")


class Remise(Modele):
    """Remise d'un acte au parapheur et au contrôle de légalité (docgen remise) : ce que Pastell,
    i-Parapheur et @ctes demandent pour chaque acte. Les codes viennent de la préfecture
    (classification, typologie des pièces) et du parapheur (type, sous-type)."""

    siren: str = Field(
        max_length=MAX_NOM, json_schema_extra={"pattern": r"^[0-9]{9}$"}, examples=["240500439"],
        description="SIREN de la collectivité qui transmet (9 chiffres, clé de contrôle "
        "comprise), celui que connaît l'opérateur de transmission.")
    departement: str = Field(
        max_length=MAX_NOM,
        json_schema_extra={"pattern": r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8])$"},
        examples=["05"], description="Département de la collectivité : « 05 », « 2A », « 974 ».")
    classification: str = Field(
        max_length=MAX_NOM, json_schema_extra={"pattern": r"^[1-9][0-9]?(\.[1-9][0-9]?){1,4}$"},
        examples=["8.5"],
        description="Classification des conventions et avenants dans la nomenclature de la "
        "préfecture : la matière et au moins une sous-matière, séparées par des points "
        "(« 8.5 », « 7.4.2 »), cinq niveaux au plus.")
    classification_libelle: str | None = Field(
        default=None, max_length=MAX_NOM,
        description="Libellé de cette classification, tel que la nomenclature le donne "
        "(facultatif ; Pastell l'affiche), ex. « Politique de la ville-habitat-logement ».")
    classification_date: dt.date = Field(
        description="Date de la version de la classification de la préfecture (AAAA-MM-JJ), "
        "que l'opérateur de transmission indique.")
    type_piece_acte: str = Field(
        max_length=MAX_NOM, json_schema_extra={"pattern": r"^[0-9]{2}_[A-Z]{2}$"},
        examples=["99_CO"],
        description="Type de la pièce principale (l'acte) dans la typologie des pièces de la "
        "préfecture : deux chiffres, _, deux majuscules (ex. « 99_CO »).")
    type_piece_annexe: str = Field(
        max_length=MAX_NOM, json_schema_extra={"pattern": r"^[0-9]{2}_[A-Z]{2}$"},
        examples=["99_AU"],
        description="Type de chaque annexe jointe à l'acte (docgen remise --annexe), même forme.")
    iparapheur_type: str = Field(
        max_length=MAX_NOM,
        description="Type du dossier dans i-Parapheur (nom ou identifiant, tel que le parapheur "
        "le connaît), ex. « Actes ».")
    iparapheur_sous_type: str = Field(
        max_length=MAX_NOM,
        description="Sous-type du dossier dans i-Parapheur : il choisit le circuit de signature "
        "(ex. « Contrat et convention »).")
    envoi_signature: bool = Field(
        default=True, description="Vrai : Pastell envoie l'acte au parapheur pour signature.")
    envoi_tdt: bool = Field(
        default=False,
        description="Vrai : Pastell transmet l'acte au contrôle de légalité (@ctes) ; l'article "
        "L. 2131-2 du CGCT ne l'impose pas pour la convention elle-même : choix du territoire.")
    numeros: NumerosActes = Field(
        default_factory=NumerosActes,
        description="Modèles des numéros d'acte ; par défaut ORT{annee}AD, ORT{annee}C, "
        "ORT{annee}A{numero}.")


class MiseEnPage(Modele):
    """Mise en page des actes (convention d'adhésion, convention, avenants), identique dans le
    DOCX et dans le PDF à signer."""

    cadre_accuse_reception: bool | None = Field(
        default=None,
        description="Oui (true) : la première page de chaque acte réserve, en haut à droite, un "
        "cadre « Cadre réservé à l'accusé de réception (contrôle de légalité) » où la "
        "préfecture appose son tampon ; non (false) : pas de cadre. Sans choix, le cadre figure "
        "si le territoire transmet ses actes au contrôle de légalité (remise.envoi_tdt) ou s'il "
        "n'a pas de réglages de remise.")


class DossierTerritoire(Modele):
    """Fichier territoire.yaml : ce que partagent la convention d'adhésion et la convention ORT."""

    territoire: Territoire
    epci: Identifiant = Field(description="Id de la partie qui est l'intercommunalité (EPCI).")
    parties: list[Partie] = Field(min_length=1)
    financeurs: list[Financeur] = Field(min_length=1)
    remise: Remise | None = Field(
        default=None,
        description="Remise des actes au parapheur et au contrôle de légalité (docgen remise) : "
        "SIREN, classification, types de pièces, parapheur, numéros ; facultatif.")
    mise_en_page: MiseEnPage | None = Field(
        default=None,
        description="Mise en page des actes : le cadre réservé à l'accusé de réception ; "
        "facultatif.")

    @property
    def cadre_accuse_reception(self) -> bool:
        """Whether page 1 of each act keeps the frame for the prefecture's stamp: the
        territory's choice, by default whether it transmits its acts (remise.envoi_tdt)."""
        choice = self.mise_en_page.cadre_accuse_reception if self.mise_en_page else None
        if choice is not None:
            return choice
        return self.remise is None or self.remise.envoi_tdt
