"""Small seed files of every export format (written by the project in the real layouts): the property
tests and the fuzz suite mutate them.
"""

from __future__ import annotations

import json

SEMANTIC = json.dumps(
    {
        "timelineObjects": [
            {
                "placeVisit": {
                    "location": {
                        "latitudeE7": 457457100,
                        "longitudeE7": 48425200,
                        "semanticType": "TYPE_HOME",
                    },
                    "duration": {
                        "startTimestamp": "2025-03-01T00:00:00Z",
                        "endTimestamp": "2025-03-01T08:00:00Z",
                    },
                }
            },
            {
                "activitySegment": {
                    "startLocation": {"latitudeE7": 457457100, "longitudeE7": 48425200},
                    "endLocation": {"latitudeE7": 457605500, "longitudeE7": 48594600},
                    "duration": {"startTimestampMs": "1740816000000", "endTimestampMs": "1740816840000"},
                    "activityType": "CYCLING",
                    "distance": 2500,
                }
            },
        ]
    },
    indent=1,
)
RECORDS = json.dumps(
    {
        "locations": [
            {
                "latitudeE7": 457600000 + i,
                "longitudeE7": 48500000,
                "accuracy": 10,
                "source": "WIFI",
                "timestamp": f"2025-03-01T00:0{i}:00Z",
            }
            for i in range(6)
        ]
    },
    indent=1,
)
TIMELINE = json.dumps(
    {
        "semanticSegments": [
            {
                "startTime": "2025-03-01T09:00:00.000+01:00",
                "endTime": "2025-03-01T10:00:00.000+01:00",
                "visit": {
                    "topCandidate": {"placeId": "p1", "placeLocation": {"latLng": "45.7457°, 4.8425°"}}
                },
            },
            {
                "startTime": "2025-03-01T10:00:00.000+01:00",
                "endTime": "2025-03-01T10:20:00.000+01:00",
                "activity": {
                    "start": {"latLng": "45.7457°, 4.8425°"},
                    "end": {"latLng": "45.7605°, 4.8594°"},
                    "topCandidate": {"type": "CYCLING"},
                },
            },
            {
                "startTime": "2025-03-01T10:20:00.000+01:00",
                "endTime": "2025-03-01T10:30:00.000+01:00",
                "timelinePath": [{"point": "45.7605°, 4.8594°", "time": "2025-03-01T10:25:00.000+01:00"}],
            },
        ],
        "userLocationProfile": {"frequentPlaces": [{"placeId": "p1", "label": "HOME"}]},
    },
    indent=1,
)
GPX = (
    '<?xml version="1.0"?>\n<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">\n<trk><trkseg>\n'
    + "".join(
        f'<trkpt lat="45.76" lon="4.8{i}"><time>2025-03-01T08:0{i}:00Z</time></trkpt>\n' for i in range(5)
    )
    + "</trkseg></trk>\n</gpx>\n"
)
TCX = (
    '<?xml version="1.0"?>\n<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">\n'
    '<Activities><Activity Sport="Biking"><Lap><Track>\n'
    + "".join(
        f"<Trackpoint><Time>2025-03-01T08:0{i}:00Z</Time><Position><LatitudeDegrees>45.76</LatitudeDegrees>"
        f"<LongitudeDegrees>4.8{i}</LongitudeDegrees></Position></Trackpoint>\n"
        for i in range(4)
    )
    + "</Track></Lap></Activity></Activities>\n</TrainingCenterDatabase>\n"
)
BANK = (
    "Date;Libellé;Débit euros;Crédit euros;\n03/03/2025;PRLV EDF;82,10;;\n04/03/2025;SALAIRE;;2 100,00;\n"
    "05/03/2025;CARTE TCL;1,90;;\n06/03/2025;CARTE VELOV;1,80;;\n"
)
RECEIPTS = (
    "date;ean;label;quantity;amount_eur\n2025-03-01;3017620422003;Pâte;1;3,49\n"
    "2025-03-01;;Pommes;1,2;2,95\n2025-03-02;3274080005003;Eau;6;1,99\n"
)
ENEDIS = (
    "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
    "Etape metier;Unite;Pas en minutes\n00000000000001;Courbe de charge;01/01/2025;02/01/2025;Energie active;"
    "Consommation;Comptage Brut;W;\nHorodate;Valeur\n"
    + "".join(
        f"2025-03-30T0{h}:{m}:00+0{1 if h < 2 else 2}:00;{400 + h}\n"
        for h in range(0, 6)
        for m in ("00", "30")
        if h != 2
    )
)

DATACONNECT = json.dumps(
    {
        "meter_reading": {
            "usage_point_id": "00000000000001",
            "start": "2025-03-01",
            "reading_type": {
                "measurement_kind": "energy",
                "measuring_period": "P1D",
                "unit": "Wh",
                "aggregate": "sum",
            },
            "interval_reading": [
                {"value": str(8000 + 100 * i), "date": f"2025-03-0{i + 1}"} for i in range(7)
            ],
        }
    },
    indent=1,
)

DATACONNECT_CURVE = json.dumps(
    {
        "meter_reading": {
            "reading_type": {"measurement_kind": "power", "unit": "W"},
            "interval_reading": [
                {
                    "value": str(900 + i),
                    "date": f"2025-03-01 0{i // 2}:{30 * (i % 2):02d}:00",
                    "interval_length": "PT30M",
                    "measure_type": "B",
                }
                for i in range(1, 12)
            ],
        }
    },
    indent=1,
)

GRDF_JSON = json.dumps(
    {
        "00000000000001": {
            "idPce": "00000000000001",
            "releves": [
                {
                    "dateDebutReleve": f"2025-01-0{d}T06:00:00+00:00",
                    "dateFinReleve": f"2025-01-0{d + 1}T06:00:00+00:00",
                    "energieConsomme": 40 + d,
                    "volumeBrutConsomme": 4,
                    "qualificationReleve": "Mesuré",
                }
                for d in range(1, 7)
            ],
        }
    },
    indent=1,
)

WATER = "date;volume (l)\n" + "".join(f"2025-03-{d:02d};{250 + 3 * d}\n" for d in range(25, 32))

WATER_INDEX = "Date;Index (m3)\n" + "".join(f"{d:02d}/03/2025;{100 + 0.3 * d:.3f}\n" for d in range(25, 32))
ENEDIS_INDEX = (
    "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
    "Etape metier;Unite\n00000000000001;Index;25/03/2025;01/04/2025;Energie active;Consommation;"
    "Comptage Brut;\nHorodate;Type de releve;EAS F1;EAS D1;EAS T\n"
    + "".join(
        f"2025-03-{d:02d}T00:00:00+0{1 if d < 31 else 2}:00;Arrêté quotidien;{1000 * d};{1000 * d};"
        f"{1000 * d}\n"
        for d in range(25, 32)
    )
    + "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
    "Etape metier;Unite\n00000000000001;Puissance maximale quotidienne;25/03/2025;01/04/2025;"
    "Puissance maximale atteinte;Consommation;Comptage Brut;W\nHorodate;Valeur\n"
    "2025-03-25T19:02:00+01:00;4200\n"
)
ENEDIS_MEASURES = (
    "Date de la mesure;Heure de la mesure;Valeur;Statut de la mesure;PRM;Type de données;Unité;"
    "Pas en minutes\n"
    + "".join(
        f"30/03/2025;{h:02d}:{m};{500 + h};Réel;00000000000001;Courbe de charge;W;30\n"
        for h in range(0, 5)
        for m in ("00", "30")
        if h != 2
    )
)
ADICT = (
    "\n".join(
        json.dumps(
            {
                "pce": {"id_pce": "GI000000"},
                "consommation": {
                    "date_debut_consommation": f"2025-01-0{d}",
                    "date_fin_consommation": f"2025-01-0{d + 1}",
                    "volume_brut": 4,
                    "energie": 44 + d,
                    "coeff_calcul": {"coeff_conversion": 11.1},
                },
                "statut_restitution": None,
            }
        )
        for d in range(1, 7)
    )
    + "\n"
)
GRANDLYON = json.dumps(
    {
        "postes": [
            {
                "id": "1",
                "unite": "m3",
                "data": [
                    {"annee": 2025, "mois": 2, "jour": d, "valeur": 0.25 + d / 100} for d in range(25, 32)
                ],
            }
        ]
    },
    indent=1,
)
SUEZ = json.dumps(
    {
        "code": "00",
        "content": {
            "measures": [
                {"date": f"2025-03-{d} 00:00:00", "volume": 0.2 + d / 1000, "index": 100 + d}
                for d in range(25, 32)
            ]
        },
        "message": "OK",
    },
    indent=1,
)
IOS = json.dumps(
    [
        {
            "startTime": "2025-03-01T09:00:00.000+01:00",
            "endTime": "2025-03-01T10:00:00.000+01:00",
            "visit": {
                "topCandidate": {
                    "placeID": "p1",
                    "semanticType": "Home",
                    "placeLocation": "geo:45.7457,4.8425",
                }
            },
        },
        {
            "startTime": "2025-03-01T10:00:00.000+01:00",
            "endTime": "2025-03-01T10:20:00.000+01:00",
            "activity": {
                "start": "geo:45.7457,4.8425",
                "end": "geo:45.7605,4.8594",
                "distanceMeters": "2400.5",
                "topCandidate": {"type": "cycling"},
            },
        },
        {
            "startTime": "2025-03-01T10:00:00.000Z",
            "endTime": "2025-03-01T12:00:00.000Z",
            "timelinePath": [{"point": "geo:45.7605,4.8594", "durationMinutesOffsetFromStartTime": "5"}],
        },
    ],
    indent=1,
)

SEEDS = {
    "water_index.csv": WATER_INDEX,
    "linky_index.csv": ENEDIS_INDEX,
    "linky_2023.csv": ENEDIS_MEASURES,
    "adict.ndjson": ADICT,
    "grandlyon.json": GRANDLYON,
    "suez.json": SUEZ,
    "ios.json": IOS,
    "water.csv": WATER,
    "grdf.json": GRDF_JSON,
    "dataconnect.json": DATACONNECT,
    "dataconnect_curve.json": DATACONNECT_CURVE,
    "semantic.json": SEMANTIC,
    "records.json": RECORDS,
    "timeline.json": TIMELINE,
    "track.gpx": GPX,
    "ride.tcx": TCX,
    "bank.csv": BANK,
    "tickets.csv": RECEIPTS,
    "linky.csv": ENEDIS,
}
OFX = """<?xml version="1.0" encoding="UTF-8"?>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
<DTSERVER>20250305120000</DTSERVER><LANGUAGE>FRA</LANGUAGE></SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
<STMTRS><CURDEF>EUR</CURDEF><BANKACCTFROM><BANKID>00000</BANKID><ACCTID>000000001</ACCTID>
<ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM><BANKTRANLIST><DTSTART>20250301</DTSTART><DTEND>20250305</DTEND>
<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20250303</DTPOSTED><TRNAMT>-65.00</TRNAMT><FITID>1</FITID>
<NAME>TCL SYTRAL</NAME><MEMO>ABONNEMENT</MEMO></STMTTRN>
<STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20250304</DTPOSTED><TRNAMT>2100.00</TRNAMT><FITID>2</FITID>
<NAME>SALAIRE</NAME></STMTTRN></BANKTRANLIST>
<LEDGERBAL><BALAMT>1000.00</BALAMT><DTASOF>20250305</DTASOF></LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""
SEEDS["releve.ofx"] = OFX
SEEDS["auchan_rgpd.csv"] = (
    "JOUR;CODE_POSTAL;CODE_PRODUIT;NOM_PRODUIT;QUANTITE_VENDUE;PRIX_UNITAIRE\n"
    "2025-03-01;44000;3000000000017;VIANDE HACHEE 5%MG 2X250G;1;4,95\n"
    "2025-03-01;44000;4400;POMMES GALA VRAC;0,812;2,49\n"
    "2025-03-02;44000;3000000000024;LAIT DEMI ECR 1L;6;0,99\n"
)
SEEDS["carrefour_ticket.json"] = json.dumps(
    {
        "type": "receiptDetails",
        "id": "3000000000000_20250306_2-14-1012",
        "attributes": {
            "dateKey": "20250306",
            "gln": "3000000000000",
            "storeName": "MARKET EXEMPLE",
            "transactionDate": "2025-03-06T10:12:00",
            "products": {
                "product": [
                    {
                        "label": "POMMES GALA",
                        "quantity": 1,
                        "weight": 0.62,
                        "unitTypeCode": "KG",
                        "totalPrice": 1.85,
                    },
                    {
                        "label": "LAIT DEMI ECR 1L",
                        "quantity": 2,
                        "weight": None,
                        "unitTypeCode": "U",
                        "totalPrice": 1.98,
                    },
                ],
                "coupon": [],
            },
        },
    }
)
SEEDS["lidl_ticket.json"] = json.dumps(
    {
        "id": "2500012345678901234",
        "date": "2025-03-04T17:20:00",
        "ticketType": "NATIVE",
        "store": {"name": "Lidl Nantes"},
        "itemsLine": [
            {
                "name": "Lait demi-écrémé",
                "quantity": "2",
                "originalAmount": "1,98",
                "isWeight": False,
                "codeInput": "20000000001",
                "discounts": [],
            },
            {
                "name": "Bananes",
                "quantity": "0,812",
                "originalAmount": "1,37",
                "isWeight": True,
                "codeInput": "0080000",
                "discounts": [{"description": "Lidl Plus", "amount": "0,20"}],
            },
        ],
    }
)
SEEDS["foyer.yaml"] = """periode: 2025-06
commune: "69123"  # depuis adresse.json
logement: {statut: locataire_vide, loyer: 650}
adultes:
  - {age: 38, salaire_net_mensuel: 1300, salaires: {2025-05: 1250}}
  - {age: 40, chomage_net_mensuel: 900}
couple: pacse
enfants:
  - {age: 7, garde_alternee: true}
prestations_percues: {af: 150}
css_depuis: 2024-09-01
"""
SEEDS["situation.json"] = json.dumps(
    {
        "individus": {
            "parent": {"date_naissance": {"ETERNITY": "1987-01-01"}, "salaire_net": {"2025-06": 1300}},
            "enfant": {"date_naissance": {"ETERNITY": "2018-01-01"}},
        },
        "familles": {"f": {"parents": ["parent"], "enfants": ["enfant"]}},
        "foyers_fiscaux": {"ff": {"declarants": ["parent"], "personnes_a_charge": ["enfant"]}},
        "menages": {
            "m": {
                "personne_de_reference": ["parent"],
                "enfants": ["enfant"],
                "loyer": {"2025-06": 650},
                "depcom": {"2025-06": "69123"},
            }
        },
    },
    indent=1,
)
SEEDS["adresse.json"] = json.dumps(
    {
        "customer": {
            "usage_points": [
                {
                    "usage_point": {
                        "usage_point_addresses": {
                            "street": "1 place de la mairie",
                            "postal_code": "69008",
                            "insee_code": "69388",
                            "city": "LYON",
                        }
                    }
                }
            ]
        }
    }
)
SEEDS["demandes_rgpd.csv"] = (
    "detenteur;droit;envoyee_le;canal;reponse_le;recu;fichier\n"
    "Enedis;portabilite;2025-03-03;espace client;2025-03-03;csv;courbe.csv\n"
    "TCL;acces;10/03/2025;courriel;14/04/2025;pdf partiel;\n"
    "Eau du Grand Lyon;15;2025-03-20;formulaire;2025-04-02;json;\n"
    "Naolib;art. 20;2025-04-01;courrier;;;\n"
)

# Spain: a Datadis hourly CSV (the autumn clock change: 25 hours on 26/10/2025, an estimated hour).
SEEDS["datadis.csv"] = "CUPS;Fecha;Hora;Consumo_kWh;Metodo_obtencion\n" + "".join(
    f"ES0031400000000000JJ0F;26/10/2025;{h};0,{150 + 7 * h:03d};{'E' if h == 9 else 'R'}\n"
    for h in range(1, 26)
)

# School life: a pronotepy dump, the documents of Cozy's Pronote konnector, a CSV of grades.
SEEDS["pronote.json"] = json.dumps(
    {
        "source": "pronotepy",
        "school": {"name": "Collège X", "url": "https://0000001a.index-education.net/pronote/eleve.html"},
        "periods": [
            {
                "id": "1#p",
                "name": "Trimestre 1",
                "start": "2024-09-02 00:00:00",
                "end": "2024-11-29 00:00:00",
                "grades": [
                    {
                        "id": "1#g",
                        "grade": "14,5",
                        "out_of": "20",
                        "date": "2024-10-03",
                        "subject": {"id": "1#s", "name": "MATHEMATIQUES", "groups": False},
                        "average": "11,8",
                        "max": "19",
                        "min": "4",
                        "coefficient": "2",
                        "comment": "Contrôle",
                        "is_bonus": False,
                        "is_optionnal": False,
                        "is_out_of_20": True,
                    },
                    {
                        "id": "2#g",
                        "grade": "7",
                        "out_of": "10",
                        "date": "2024-10-08",
                        "subject": {"id": "2#s", "name": "ANGLAIS LV1", "groups": False},
                        "average": "6,2",
                        "max": "10",
                        "min": "2",
                        "coefficient": "1",
                        "comment": "",
                        "is_bonus": False,
                        "is_optionnal": False,
                        "is_out_of_20": False,
                    },
                ],
                "absences": [
                    {
                        "id": "1#a",
                        "from_date": "2024-11-12 08:00:00",
                        "to_date": "2024-11-12 12:00:00",
                        "justified": True,
                        "hours": "4h00",
                        "days": 1,
                        "reasons": ["Maladie"],
                    }
                ],
                "delays": [
                    {
                        "id": "1#d",
                        "date": "2024-10-01 08:00:00",
                        "minutes": 5,
                        "justified": False,
                        "reasons": [],
                    }
                ],
            }
        ],
        "homework": [
            {
                "id": "1#h",
                "description": "Exercices 4 à 7 p. 112",
                "done": True,
                "subject": {"id": "1#s", "name": "MATHEMATIQUES", "groups": False},
                "date": "2024-10-08",
            },
            {
                "id": "2#h",
                "description": "Apprendre la leçon",
                "done": False,
                "subject": {"id": "2#s", "name": "ANGLAIS LV1", "groups": False},
                "date": "2024-10-10",
            },
        ],
    },
    indent=1,
)
SEEDS["io.cozy.timeseries.grades.json"] = json.dumps(
    [
        {
            "subject": "mathematiques",
            "sourceSubject": "MATHEMATIQUES",
            "title": "Trimestre 1",
            "startDate": "2023-09-03T22:00:00.000Z",
            "endDate": "2023-11-30T23:00:00.000Z",
            "aggregation": {"avgGrades": 12.5, "avgClass": 11.2},
            "series": [
                {
                    "id": "1696284000000_mathematiques_Controle",
                    "label": "Contrôle",
                    "date": "2023-10-02T22:00:00.000Z",
                    "value": {
                        "student": 12.5,
                        "outOf": 20,
                        "coef": 1,
                        "classAverage": 11.2,
                        "classMax": 18,
                        "classMin": 3,
                    },
                    "status": {"isBonus": False, "isOptional": False},
                },
                {
                    "id": "1697148000000_mathematiques_grd",
                    "label": None,
                    "date": "2023-10-12T22:00:00.000Z",
                    "value": {
                        "student": 8,
                        "outOf": 10,
                        "coef": 0.5,
                        "classAverage": 6.1,
                        "classMax": 10,
                        "classMin": 2,
                    },
                    "status": {"isBonus": False, "isOptional": False},
                },
            ],
        }
    ],
    indent=1,
)
SEEDS["io.cozy.calendar.todos.json"] = json.dumps(
    {
        "docs": [
            {
                "dueDate": "20231010T060000Z",
                "label": "Mathématiques",
                "sourceSubject": "MATHEMATIQUES",
                "completed": True,
                "summary": "Exercices 4 à 7 p. 112",
            },
            {
                "dueDate": "20231012T060000Z",
                "label": "Français",
                "sourceSubject": "FRANCAIS",
                "completed": False,
                "summary": "Rédaction",
            },
        ]
    },
    indent=1,
)
SEEDS["io.cozy.calendar.presence.json"] = json.dumps(
    [
        {
            "start": "2024-01-15T07:00:00.000Z",
            "end": "2024-01-15T16:30:00.000Z",
            "label": "Maladie",
            "xJustified": True,
            "xType": "ABSENCE",
        },
        {
            "start": "2023-11-14T07:00:00.000Z",
            "end": "2023-11-14T07:10:00.000Z",
            "label": "Bus",
            "xJustified": False,
            "xType": "DELAY",
        },
    ],
    indent=1,
)
SEEDS["notes.csv"] = (
    "date;matiere;note;bareme;coefficient;moyenne_classe;note_min;note_max;periode;annee_scolaire;devoir\n"
    "2024-10-03;Mathématiques;14,5;20;2;11,8;4;19;Trimestre 1;2024-2025;Contrôle\n"
    "08/10/2024;Anglais;7;10;1;6,2;2;10;Trimestre 1;;Vocabulaire\n"
    "2024-12-10;SVT;15;20;1;;;;;;\n"
)

GRDF_DAILY_HEADER = [
    "Date de relevé",
    "Index de début de période (m3)",
    "Index de fin de période (m3)",
    "Volume consommé (m3)",
    "Energie consommée (kWh)",
    "Coefficient de conversion",
    "Température locale (°C)",
    "Qualification du relevé",
]


GRDF_DAILY_ROWS = [
    [f"0{d}/01/2025", 4000 + 4 * d, 4004 + 4 * d, 4, 44.5, 11.1, 5.5, "Mesuré"] for d in range(1, 8)
]


def grdf_xlsx(rows: list[list] | None = None) -> bytes:
    """A GRDF customer-space daily workbook (title in B1, header on row 9, data from row 10)."""
    import io

    import openpyxl

    rows = rows if rows is not None else GRDF_DAILY_ROWS
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B1"] = "Données informatives et détaillées"
    ws["E1"] = "Export du 05/01/2025"
    for j, name in enumerate(GRDF_DAILY_HEADER, start=2):
        ws.cell(row=9, column=j, value=name)
    for i, row in enumerate(rows, start=10):
        for j, value in enumerate(row, start=2):
            ws.cell(row=i, column=j, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def seeds_by_format(folder) -> dict[str, tuple[str, bytes]]:
    """``{format id: (file name, bytes)}`` for every text seed, and the XLSX one."""
    from selfdata_lib.exports import detect_format

    out = {}
    for name, text in SEEDS.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out[detect_format(path).id] = (name, text.encode("utf-8"))
    path = folder / "gazpar.xlsx"
    path.write_bytes(grdf_xlsx())
    out[detect_format(path).id] = ("gazpar.xlsx", path.read_bytes())
    return out
