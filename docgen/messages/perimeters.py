"""Messages about perimeters: GeoJSON files, coordinates, geometry, overlaps."""

from __future__ import annotations

# ------------------------------------------------------------------ load/geo.py
# GEOS's reason for an invalid geometry → its French words.
GEOS_REASONS = {  # GEOS reasons, in French
    "Self-intersection": "le contour se recoupe",
    "Ring Self-intersection": "un anneau se recoupe",
    "Too few points in geometry component": "trop peu de points",
    "Hole lies outside shell": "un trou est hors du contour",
    "Nested holes": "des trous sont imbriqués",
    "Interior is disconnected": "l'intérieur est coupé en morceaux",
    "Nested shells": "des contours sont imbriqués",
    "Duplicate Rings": "des anneaux sont en double",
    "Invalid Coordinate": "coordonnée invalide",
    "Ring is not closed": "un anneau n'est pas fermé",
}

# ------------------------------------------------------------------ load/geo.py
SYSTEME_COORDONNEES_INCONNU_NI = ("« {rel} » : système de coordonnées inconnu (ni degrés WGS 84, "
                                  "ni mètres Lambert-93 ; premier point : {xs}) : exportez en "
                                  "EPSG:4326 ou EPSG:2154, ou déclarez-le dans « crs ».")
LIEN_SYMBOLIQUE_COPIEZ_FICHIER = ("« {rel} » est un lien symbolique : copiez le fichier lui-même "
                                  "dans assets/.")
PAS_FICHIER_ORDINAIRE = "« {rel} » n'est pas un fichier ordinaire."
FICHIER_TROP_VOLUMINEUX_KO = ("fichier « {rel} » trop volumineux ({st_size} ko ; au plus "
                              "{MAX_BYTES} Mo) : simplifiez le périmètre dans le logiciel SIG.")
INDIQUEZ_CHEMIN_RELATIF_DOSSIER = ("« {rel} » : indiquez un chemin relatif au dossier du "
                                   "territoire (ex. « assets/perimetres/centre.geojson »).")
SORT_DOSSIER_TERRITOIRE_REFUSE = "« {rel} » sort du dossier du territoire (« .. » refusé)."
PERIMETRES_PLACENT_DOSSIER_ASSETS = ("« {rel} » : les périmètres se placent dans le dossier "
                                     "assets/ du territoire (ex. « "
                                     "assets/perimetres/centre.geojson »).")
FICHIER_GEOJSON_GEOJSON_ATTENDU = "« {rel} » : un fichier GeoJSON (.geojson) est attendu."
FICHIER_TROP_VOLUMINEUX_PLUS = "fichier « {rel} » trop volumineux (au plus {MAX_BYTES} Mo)."
STRUCTURE_JSON_TROP_PROFONDE = ("« {rel} » : structure JSON trop profonde (plus de {MAX_DEPTH} "
                                "niveaux) : ce n'est pas un GeoJSON.")
JSON_MAIS_PAS_GEOJSON = ('« {rel} » est du JSON mais pas du GeoJSON : un objet avec « "type": '
                         '"FeatureCollection" » (ou « Feature », « Polygon », « MultiPolygon ») '
                         'est attendu.')
ENTITE_FEATURES = "« {rel} », entité n° {rang} (features[{index}])"
PAS_GEOMETRIE_GEOMETRY_VIDE = "{where} : pas de géométrie (« geometry » vide)."
GEOMETRIE_DOIT_ETRE_OBJET = "{where} : la géométrie doit être un objet avec un « type »."
PRES_POINT = "{french} près du point {nums}"
SECTEUR_PAS_DELIMITE_AJOUTEZ = ("le secteur « {nom} » n'est pas délimité : ajoutez « perimetre: "
                                "assets/….geojson » (le fichier du SIG) et/ou « delimitation: » "
                                "(les rues, les parcelles).")
FICHIER_INTROUVABLE_DOSSIER_TERRITOIRE = ("fichier « {rel} » introuvable dans le dossier du "
                                          "territoire.")
FICHIER_ILLISIBLE = "fichier « {rel} » illisible ({strerror})."
PAS_TEXTE_UTF_PAS = "« {rel} » n'est pas un texte UTF-8 : ce n'est pas un fichier GeoJSON."
PAS_FICHIER_JSON_VALIDE = ("« {rel} » n'est pas un fichier JSON valide (ligne {lineno}, colonne "
                           "{colno}) : exportez-le de nouveau en GeoJSON.")
NOMBRE_TROP_LONG = "un nombre de plus de 4 300 chiffres"
VALEUR_REFUSEE_GEOJSON = "« {rel} » : valeur « {exc} » refusée dans un GeoJSON."
FEATURECOLLECTION_DOIT_AVOIR_LISTE = ("« {rel} » : une FeatureCollection doit avoir une liste « "
                                      "features ».")
FEATURECOLLECTION_CONTIENT_AUCUNE_ENTITE = ("« {rel} » : la FeatureCollection ne contient aucune "
                                            "entité.")
ENTITES_PLUS = "« {rel} » : {features} entités, au plus {MAX_FEATURES}."
GEOMETRIE_TYPE_PERIMETRE_SURFACE = ("{where} : géométrie de type « {kind} » ; un périmètre est "
                                    "une surface : Polygon ou MultiPolygon.")
POLYGONE_SANS_ANNEAU_COORDONNEES = "{where} : polygone n° {p} sans anneau de coordonnées."
SYSTEME_COORDONNEES_INCONNU_ATTENDUS = ("« {rel} » : système de coordonnées inconnu {shown} ; "
                                        "attendus : WGS 84 (EPSG:4326) ou Lambert-93 (EPSG:2154).")
GEOMETRIE_INVALIDE_CORRIGEZ_LOGICIEL = ("{where} : géométrie invalide, {geom} : corrigez-la dans "
                                        "le logiciel SIG (QGIS : Vecteur › Outils de géométrie › "
                                        "Réparer les géométries).")
DOSSIER_LIEN_SYMBOLIQUE_COPIEZ = ("« {rel} » : le dossier « {part} » est un lien symbolique ; "
                                  "copiez les fichiers eux-mêmes dans assets/.")
OBJET_TYPE_FEATURE_ATTENDU = '{where} : un objet « "type": "Feature" » est attendu.'
ENTITE_UNIQUE = "« {rel} », entité unique"
TYPE_GEOJSON_INCONNU_ATTENDU = ("« {rel} » : type GeoJSON « {kind} » inconnu (attendu : "
                                "FeatureCollection, Feature, Polygon ou MultiPolygon).")
SIMPLIFIEZ_PERIMETRE_LOGICIEL_SIG = (") : simplifiez le périmètre dans le logiciel SIG (QGIS : "
                                     "Vecteur › Outils de géométrie › Simplifier).")
COORDINATES_MULTIPOLYGON_LISTE_POLYGONES = ("{where} : « coordinates » d'un MultiPolygon : une "
                                            "liste de polygones est attendue.")
LISTE_POSITIONS_ATTENDUE = "{what} : une liste de positions [x, y] est attendue."
POSITION_ANNEAU_DEMANDE_MOINS = ("{what} : {pts} position(s) ; un anneau en demande au moins 4 "
                                 "(le premier point répété à la fin).")
ANNEAU_NON_FERME_DERNIER = "{what} : anneau non fermé (le dernier point doit répéter le premier)."
POSITION_INVALIDE_ATTENDU_NOMBRES = ("{what} : position {pos} invalide (attendu : [x, y] en "
                                     "nombres).")
PERIMETRES_SECTEURS_CHEVAUCHENT_HA = ("les périmètres des secteurs « {nom} » et « {nom2} » se "
                                      "chevauchent sur {ha} ha : vérifiez les fichiers.")
TROP_SOMMETS_PLUS = "{where} : trop de sommets (plus de {MAX_VERTICES:_}"
LONGITUDE_LATITUDE_SEMBLENT_INVERSEES = (" : la longitude et la latitude semblent inversées "
                                         "(GeoJSON : [longitude, latitude])")
POINT_LONGITUDE_LATITUDE_HORS = ("{where} : le point {x} (longitude ; latitude) est hors de "
                                 "France (métropole et outre-mer){hint}.")
DEGRES_FICHIER_DECLARE_POURTANT = " (des degrés ? le fichier déclare pourtant Lambert-93)"
POINT_HORS_FRANCE_METROPOLITAINE = ("{where} : le point {x} est hors de France métropolitaine en "
                                    "Lambert-93{hint}.")
PERIMETRE_ETEND_DEUX_ZONES = ("{where} : le périmètre s'étend sur deux zones de France éloignées "
                              "(métropole et outre-mer ?).")
