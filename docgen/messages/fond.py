"""The base layers of a commune's maps (load/fond.py) and the parcels of the secteurs."""

from __future__ import annotations

FOND_COLLECTION_ATTENDUE = ("« {rel} » : une couche de fond est une FeatureCollection (une entité "
                            "par parcelle, bâtiment ou voie) ; « {kind} » reçu.")
FOND_TROP_ENTITES = ("« {rel} » : {n} entités, plus que les {max} qu'une couche de fond peut avoir "
                     "(une commune à la fois ; découpez la couche dans QGIS autour des secteurs).")
FOND_TROP_SOMMETS = ("{where} : la couche dépasse {max} sommets au total ; découpez-la autour des "
                     "secteurs ou simplifiez-la dans un logiciel SIG (QGIS : Vecteur › Géométrie › "
                     "Simplifier).")
FOND_GEOMETRIE_VOIE = ("{where} : géométrie de type « {kind} » ; une voie est une ligne "
                       "(LineString ou MultiLineString).")
FOND_LIGNE_COURTE = "{what} : une ligne demande au moins deux positions distinctes."
FOND_PROPRIETES_ABSENTES = "{where} : pas d'objet « properties » (les propriétés de l'entité)."
FOND_PROPRIETE_MANQUANTE = ("{where} : pas de propriété « {prop} » ({sens}) ; propriétés présentes "
                            ": {presentes}.")
FOND_PROPRIETE_INVALIDE = "{where} : propriété « {prop} » = « {valeur} » ; {attendu}."
FOND_NOM_VOIE_SENS = ("le nom de la voie ; si la couche le porte sous un autre nom, indiquez-le "
                      "dans « nom_voie »")
FOND_SENS = {"id": "l'identifiant de la parcelle", "commune": "le code INSEE de la commune",
             "prefixe": "le préfixe de section", "section": "la section cadastrale",
             "numero": "le numéro de la parcelle", "contenance": "la contenance en m²"}
FOND_ATTENDU = {
    "id": "un identifiant de parcelle (texte, ex. « 050060000AB0012 ») est attendu",
    "prefixe": "trois chiffres sont attendus (« 000 » hors commune associée)",
    "section": "une section d'une ou deux lettres ou chiffres est attendue (ex. « AB »)",
    "numero": "un numéro de 1 à 9999 est attendu",
    "contenance": "une surface entière en m² est attendue",
    "nom_voie": "un texte (ou null pour une voie sans nom) est attendu",
}
FOND_AUTRE_COMMUNE = ("{where} : parcelle de la commune de code INSEE « {valeur} », et non de "
                      "{commune} ({insee}) : cette couche est le cadastre d'une autre commune.")
FOND_PARCELLE_DOUBLE = "{where} : la parcelle « {id} » est déjà l'entité n° {premier}."
FOND_SANS_INSEE = ("les parcelles du cadastre demandent le code INSEE de la commune : ajoutez "
                   "« code_insee » à {commune} (ex. « 05006 »).")
FOND_GEOMETRIE_INVALIDE = "{where} : géométrie invalide ({raison}) ; corrigez-la dans un logiciel SIG."
FOND_ZONE_DIFFERENTE = ("« {rel} » : la couche est dans une autre zone de France que le périmètre "
                        "de la commune.")
PARCELLES_CSV_COLONNES = ("secteur", "nom du secteur", "code INSEE", "commune", "parcelle",
                          "préfixe", "section", "numéro", "contenance (m²)",
                          "part couverte par le secteur (%)", "inclusion")
PARCELLES_CSV_ENTIERE = "entièrement comprise"
PARCELLES_CSV_PARTIELLE = "coupée par le périmètre, comprise en totalité"
FOND_NUMERO_DOUBLE = ("{where} : la parcelle {numero} est déjà l'entité n° {premier} (sous un autre "
                      "identifiant) : un numéro, une parcelle.")
FOND_SANS_PARCELLE = ("aucune parcelle de « {rel} » n'est dans le périmètre du secteur « {nom} » : "
                      "la couche est-elle celle de la commune, dans le bon système de coordonnées "
                      "(le périmètre et la couche doivent se superposer) ?")
