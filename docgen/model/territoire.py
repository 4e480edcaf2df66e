"""The territory and its parties, shared by every document of a case (`territoire.yaml`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .base import Identifiant, Modele, Nom


class Commune(Modele):
    """Commune de l'intercommunalité."""

    id: Identifiant
    nom: Nom = Field(description="Nom officiel de la commune (ex. « L'Argentière-La Bessée »).")
    code_insee: str | None = Field(default=None, pattern=r"^[0-9][0-9AB][0-9]{3}$")
    ville_principale: bool = Field(
        default=False, description="Vrai pour la commune labellisée Petites Villes de Demain."
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
    date: dt.date = Field(description="Date de l'arrêté (AAAA-MM-JJ) ; antérieure à la signature.")
    publication: Nom | None = Field(
        default=None,
        description="Publication, si l'on veut la citer (ex. « publié au recueil des actes "
        "administratifs de la préfecture le 20 juin 2022 »).",
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
        "(ex. « le Préfet des Hautes-Alpes ») ; vide si elle signe en nom propre.",
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


class DossierTerritoire(Modele):
    """Fichier territoire.yaml : ce que partagent la convention d'adhésion et la convention ORT."""

    territoire: Territoire
    epci: Identifiant = Field(description="Id de la partie qui est l'intercommunalité (EPCI).")
    parties: list[Partie] = Field(min_length=1)
    financeurs: list[Financeur] = Field(min_length=1)
