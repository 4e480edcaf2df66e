"""A COPIL file (`copils/AAAA-MM-JJ.yaml`): the meeting, who was invited and came, what was
decided, and the snapshot of every action at that date (figures are computed, never typed)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .base import Identifiant, Modele, Montant, Nom, Texte
from .convention import StatutAction


class Invite(Modele):
    """Une personne invitée au comité."""

    id: Identifiant
    civilite: Literal["M.", "Mme"] | None = None
    prenom: Nom | None = None
    nom: Nom = Field(description="NOM de famille, ou intitulé d'un service (« Services de la DDT »).")
    structure: Nom
    fonction: Nom | None = None
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=200)


class Presence(Modele):
    """Qui est venu : chaque ligne renvoie à un invité."""

    invite: Identifiant
    etat: Literal["present", "excuse", "represente"]
    represente_par: Nom | None = Field(default=None, description="Pour « represente » : par qui.")


class Point(Modele):
    """Un point de l'ordre du jour ; son compte rendu."""

    id: Identifiant
    titre: Nom
    compte_rendu: list[Texte] = Field(
        default_factory=list, description="Relevé des échanges sur ce point, un paragraphe par ligne.")
    intervenants: list[Nom] = Field(default_factory=list,
                                    description="Qui a présenté le point (nom, fonction).")
    approbation_compte_rendu: Literal["approuve", "approuve_sans_observation", "reporte"] | None = (
        Field(default=None, description="Sur le point où le comité approuve le compte rendu de "
              "sa séance précédente : « approuve », « approuve_sans_observation » ou « reporte » "
              "(approbation reportée). Le compte rendu l'écrit sous ce point, avec la date du "
              "comité précédent, et le reprend au relevé de décisions."))


class Decision(Modele):
    """Une décision soumise au comité : son projet avant la séance, la décision prise après."""

    point: Identifiant = Field(description="Id du point de l'ordre du jour.")
    texte: Texte | None = Field(
        default=None, description="La décision prise, telle que le compte rendu la consigne ; "
        "vide avant la séance, obligatoire une fois le comité tenu (présences consignées).")
    proposition: Texte | None = Field(
        default=None, description="Le projet de décision tel que les diapositives le soumettent "
        "avant la séance (par défaut, seul le point de l'ordre du jour est annoncé) ; obligatoire "
        "tant que la décision prise (« texte ») n'est pas consignée.")
    modalite: Nom | None = Field(
        default=None, description="Comment elle a été prise (« à l'unanimité des membres "
        "présents », « par consensus »…).")
    avenant: int | None = Field(
        default=None, ge=1, le=99, description="Numéro de l'avenant sur lequel porte la décision "
        "(le comité approuve un projet d'avenant) ; l'avenant cite ce COPIL dans « "
        "approuve_par_copil ».")


class ActionASuivre(Modele):
    action: Texte
    responsable: Nom
    echeance: dt.date


class Etape(Modele):
    texte: Texte
    echeance: dt.date | None = None


class Obtenu(Modele):
    """Un financement obtenu (notifié) pour une action, à la date du COPIL."""

    financeur: Identifiant
    montant: Montant


class LigneInstantane(Modele):
    """L'état d'une fiche action à la date du COPIL."""

    fiche: int = Field(ge=1, description="Numéro de la fiche action.")
    statut: StatutAction
    cout: Montant | None = Field(
        default=None, description="Coût constaté (études) ; par défaut le coût de la fiche."
    )
    obtenu: list[Obtenu] = Field(default_factory=list)


class Copil(Modele):
    """Fichier copils/AAAA-MM-JJ.yaml : un comité de pilotage."""

    numero: int = Field(ge=1, le=99)
    date: dt.date
    heure: str | None = Field(default=None, pattern=r"^([01]?[0-9]|2[0-3])[:h][0-5][0-9]$",
                              description="Heure de début (ex. « 14:30 » ou « 14h30 »).")
    lieu: Nom
    visio: Nom | None = Field(default=None, description="Lien de visioconférence.")
    objet: Nom
    date_edition: dt.date = Field(description="Date imprimée sur les documents du dossier.")
    convoquent: list[Identifiant] = Field(min_length=1, description="Parties qui convoquent.")
    preside: Identifiant = Field(description="Partie dont le représentant préside (sans "
                                 "coprésidence).")
    copresidence: bool = Field(
        default=False, description="Le comité est coprésidé par les parties qui le convoquent "
        "(« convoquent »), comme l'article « Gouvernance » de la convention le prévoit : la "
        "convocation et le compte rendu nomment chacun des coprésidents, qui signent l'une et "
        "l'autre. Sans coprésidence, le représentant de « preside » préside seul.")
    redacteur: Nom = Field(description="Qui rédige le compte rendu (nom, fonction).")
    invites: list[Invite] = Field(min_length=1)
    presences: list[Presence] = Field(
        default_factory=list, description="Qui est venu, consigné après la séance : un COPIL "
        "dont les présences sont consignées est tenu (son compte rendu est produit) ; sans "
        "présences, il est en préparation.")
    ordre_du_jour: list[Point] = Field(min_length=1)
    decisions: list[Decision] = Field(default_factory=list)
    actions_a_suivre: list[ActionASuivre] = Field(default_factory=list)
    points_de_vigilance: list[Texte] = Field(default_factory=list)
    prochaines_etapes: list[Etape] = Field(default_factory=list)
    pieces_jointes: list[Nom] = Field(
        default_factory=list, description="Pièces jointes au compte rendu en plus de celles du "
        "dossier (diaporama, feuille d'émargement, projet d'avenant soumis au comité), que docgen "
        "joint lui-même.")
    instantane: list[LigneInstantane] = Field(
        default_factory=list, description="État de chaque fiche action à cette date."
    )

    @property
    def tenu(self) -> bool:
        """Held: its attendance is recorded. Before that the COPIL is being prepared (convocation,
        slides with the proposed decisions, attendance sheet, pack); once held, the decisions
        taken are recorded (the loader requires each one's text) and the minutes are built."""
        return bool(self.presences)
