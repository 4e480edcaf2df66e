"""An avenant file (`avenants/NN-objet.yaml`): identity, motives, and the changes as typed operations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, create_model

from .base import Identifiant, Modele, Nom, Texte
from .convention import Axe, FicheAction, Secteur, Signataire, Signature, Textes


def _partial(model: type[Modele], name: str, exclude: set[str]) -> Any:
    """The same fields as model, every one optional: only what is written changes."""
    fields: dict[str, Any] = {}
    for key, info in model.model_fields.items():
        if key in exclude:
            continue
        # a field's annotation is a runtime type here (pydantic types it « TypeForm | None »)
        optional = info.annotation | None  # type: ignore[operator]
        fields[key] = (optional, Field(default=None, description=info.description))
    return create_model(name, __base__=Modele, __doc__=f"Champs modifiés ({model.__name__}).",
                        **fields)


FicheModifiee = _partial(FicheAction, "FicheModifiee", {"numero"})
SecteurModifie = _partial(Secteur, "SecteurModifie", {"id"})
AxeModifie = _partial(Axe, "AxeModifie", {"id"})


class AjouterAxe(Modele):
    """Ajouter un axe stratégique."""

    operation: Literal["ajouter_axe"]
    axe: Axe


class ModifierAxe(Modele):
    """Renommer un axe stratégique ou en changer les orientations."""

    operation: Literal["modifier_axe"]
    id: Identifiant
    champs: AxeModifie  # type: ignore[valid-type]


class SupprimerAxe(Modele):
    """Retirer un axe stratégique qu'aucune fiche action ne suit plus."""

    operation: Literal["supprimer_axe"]
    id: Identifiant


class AjouterSecteur(Modele):
    """Étendre le périmètre de l'ORT à un nouveau secteur d'intervention."""

    operation: Literal["ajouter_secteur"]
    secteur: Secteur


class ModifierSecteur(Modele):
    """Modifier un secteur d'intervention existant."""

    operation: Literal["modifier_secteur"]
    id: Identifiant
    champs: SecteurModifie  # type: ignore[valid-type]


class SupprimerSecteur(Modele):
    """Retirer un secteur d'intervention du périmètre."""

    operation: Literal["supprimer_secteur"]
    id: Identifiant


class AjouterFiche(Modele):
    """Ajouter une fiche action."""

    operation: Literal["ajouter_fiche"]
    fiche: FicheAction


class ModifierFiche(Modele):
    """Modifier une fiche action : seuls les champs écrits changent."""

    operation: Literal["modifier_fiche"]
    numero: int = Field(ge=1)
    champs: FicheModifiee  # type: ignore[valid-type]


class SupprimerFiche(Modele):
    """Supprimer une fiche action."""

    operation: Literal["supprimer_fiche"]
    numero: int = Field(ge=1)


class AjouterSignataire(Modele):
    """Une nouvelle partie signe la convention (et cet avenant)."""

    operation: Literal["ajouter_signataire"]
    partie: Identifiant


class RetirerSignataire(Modele):
    """Une partie quitte la convention."""

    operation: Literal["retirer_signataire"]
    partie: Identifiant


class AjouterPartenaire(Modele):
    """Un partenaire associé (« en présence de ») rejoint la convention."""

    operation: Literal["ajouter_partenaire"]
    partie: Identifiant


class RetirerPartenaire(Modele):
    """Un partenaire associé quitte la convention."""

    operation: Literal["retirer_partenaire"]
    partie: Identifiant


TexteCle = Literal[tuple(Textes.model_fields)]  # type: ignore[valid-type]


class RemplacerTexte(Modele):
    """Remplacer le texte propre au territoire d'un article."""

    operation: Literal["remplacer_texte"]
    article: TexteCle  # type: ignore[valid-type]
    texte: list[Texte] = Field(min_length=1)


class ProlongerDuree(Modele):
    """Porter la durée de la convention à un nouveau nombre d'années."""

    operation: Literal["prolonger_duree"]
    duree_ans: int = Field(ge=1, le=30)


Operation = Annotated[
    AjouterSecteur | ModifierSecteur | SupprimerSecteur | AjouterFiche | ModifierFiche | SupprimerFiche | AjouterSignataire | RetirerSignataire | AjouterPartenaire | RetirerPartenaire | RemplacerTexte | ProlongerDuree | AjouterAxe | ModifierAxe | SupprimerAxe,
    Field(discriminator="operation"),
]
OPERATIONS = (
    "ajouter_secteur", "modifier_secteur", "supprimer_secteur",
    "ajouter_fiche", "modifier_fiche", "supprimer_fiche",
    "ajouter_signataire", "retirer_signataire", "ajouter_partenaire", "retirer_partenaire",
    "remplacer_texte", "prolonger_duree", "ajouter_axe", "modifier_axe", "supprimer_axe",
)


class Avenant(Modele):
    """Fichier avenants/NN-objet.yaml : un avenant à la convention."""

    numero: int = Field(ge=1, le=99)
    date_edition: dt.date = Field(description="Date imprimée sur les documents produits.")
    signature: Signature = Field(description="Lieu et date de signature ; date vide pour un projet.")
    approuve_par_copil: dt.date | None = Field(
        default=None, description="Date du comité de pilotage qui a approuvé l'avenant, tenu "
        "avant sa signature ; ce COPIL consigne une décision sur l'avenant (« avenant: <numéro> »)."
    )
    objet: Nom = Field(description="Objet en une phrase, après « Le présent avenant a pour objet de ».")
    motifs: list[Texte] = Field(min_length=1, description="Exposé des motifs.")
    signataires: list[Signataire] = Field(
        min_length=1,
        description="Toutes les parties signataires après l'avenant, chacune avec la délibération "
        "qui autorise la signature de cet avenant : prise après la signature de l'acte précédent "
        "(la convention ou l'avenant précédent), jamais celle d'un acte antérieur.",
    )
    modifications: list[Operation] = Field(min_length=1)
