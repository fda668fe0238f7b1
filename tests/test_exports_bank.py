"""Bank CSVs of the main French banks (preambles, latin-1, decimal comma, Débit/Crédit), OFX,
categorisation rules, receipts CSV.
"""

from __future__ import annotations

import pandas as pd
import pytest

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports import categorise, detect_format, read

SAMPLES = {
    "boursobank": (
        "utf-8-sig",
        "dateOp;dateVal;label;category;categoryParent;supplierFound;amount;comment;accountNum;"
        "accountLabel;accountbalance\n"
        '2025-03-03;2025-03-03;"CARTE 01/03/25 TCL SYTRAL";"Transports";"Auto";tcl;"-65,00";;"0001";'
        '"Compte";"1 234,56"\n'
        '2025-03-04;2025-03-04;"VIR SALAIRE";"";"";;"2 100,00";;"0001";"Compte";"3 334,56"\n',
    ),
    "credit-agricole": (
        "cp1252",
        "Téléchargement du 05/03/2025;\n\nCompte de Dépôt carte n° xxxx;\nSolde au 05/03/2025 1 234,56 €\n\n"
        "Date;Libellé;Débit euros;Crédit euros;\n"
        '03/03/2025;"PRLV SEPA EDF clients particuliers";82,10;;\n'
        '04/03/2025;"VIREMENT  SALAIRE";;2 100,00;\n',
    ),
    "la-banque-postale": (
        "latin-1",
        "Numéro Compte ;0123456X020\nType ;CCP\nCompte tenu en : ;euros\n"
        "Date ;Libellé ;Montant(EUROS) ;Montant(FRANCS)\n"
        '03/03/2025;"ACHAT CB TOTALENERGIES 01.03.25";-54,20;-355,53\n'
        '04/03/2025;"VIREMENT DE SALAIRE";2100,00;13774,80\n',
    ),
    "societe-generale": (
        "latin-1",
        '="00012345678";Compte courant;\n'
        "Date de l'opération;Libellé;Détail de l'écriture;Montant de l'opération;Devise\n"
        "03/03/2025;CARTE X1234;CARTE X1234 01/03 PARKING INDIGO LYON;-12,50;EUR\n"
        "04/03/2025;VIR RECU;VIR RECU SALAIRE;2100,00;EUR\n",
    ),
    "fortuneo": (
        "utf-8",
        "Date opération;Date valeur;libellé;Débit;Crédit;\n"
        "03/03/2025;03/03/2025;CARTE 01/03 VELO'V LYON;-1,80;;\n"
        "04/03/2025;04/03/2025;VIR SALAIRE;;2100,00;\n",
    ),
}


@pytest.mark.parametrize("bank", SAMPLES)
def test_each_bank_layout(tmp_path, bank):
    encoding, text = SAMPLES[bank]
    path = tmp_path / f"releve_{bank}.csv"
    path.write_bytes(text.encode(encoding))
    assert detect_format(path).id == "bank-csv"
    df = read(path)
    assert df.attrs["bank"] == bank
    assert df.attrs["kind"] == "bank"
    rep = df.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (2, 2, 0)
    assert df["amount_eur"].iloc[1] == pytest.approx(2100.0)
    assert df["amount_eur"].iloc[0] < 0
    assert df["date"].iloc[0] == pd.Timestamp("2025-03-03", tz="Europe/Paris")


def test_rules_categorise_mobility_and_energy(tmp_path):
    frames = []
    for bank, (encoding, text) in SAMPLES.items():
        path = tmp_path / f"{bank}.csv"
        path.write_bytes(text.encode(encoding))
        frames.append(read(path))
    bank = pd.concat(frames, ignore_index=True)
    out = categorise(bank, overwrite=True)
    cats = dict(zip(out["label"], out["category"], strict=True))
    assert cats["CARTE 01/03/25 TCL SYTRAL"] == "public_transport"
    assert cats["PRLV SEPA EDF clients particuliers"] == "energy"
    assert cats["ACHAT CB TOTALENERGIES 01.03.25"] == "fuel"
    assert cats["CARTE X1234 CARTE X1234 01/03 PARKING INDIGO LYON"] == "parking"
    assert cats["CARTE 01/03 VELO'V LYON"] == "bike_share"
    mine = categorise(bank, extra_rules=[("income", r"salaire")], overwrite=True)
    assert (mine.loc[mine["label"].str.contains("SALAIRE"), "category"] == "income").all()
    assert mine.loc[mine["category"] == "income", "rule"].eq("salaire").all()


def test_bad_rows_are_counted_with_their_line(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(
        "Date;Libellé;Débit euros;Crédit euros;\n32/13/2025;X;1,00;;\n03/03/2025;Y;;;\n"
        "04/03/2025;Z;abc;;\n05/03/2025;OK;2,00;;\n",
        encoding="utf-8",
    )
    df = read(path)
    rep = df.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (4, 1, 3)
    assert [i["where"] for i in rep["issues"]] == ["ligne 2", "ligne 3", "ligne 4"]


def test_a_csv_without_amount_is_not_a_bank_export(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Date;Libellé;Commentaire\n03/03/2025;X;Y\n")
    with pytest.raises(ExportFormatError):
        read(path)


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


def test_ofx_statement(tmp_path):
    path = tmp_path / "releve.ofx"
    path.write_text(OFX)
    df = read(path)
    assert df.attrs["format"] == "ofx"
    assert df["amount_eur"].tolist() == [-65.0, 2100.0]
    assert df["label"].iloc[0] == "TCL SYTRAL ABONNEMENT"


def test_receipts_csv(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text(
        "date;ean;label;quantity;amount_eur\n2025-03-01;3017620422003;Pâte à tartiner;1;3,49\n"
        "01/03/2025;;Pommes vrac;1,2;2,95\n2025-03-02;12AB;Bad EAN;1;1,00\n",
        encoding="utf-8",
    )
    df = read(path)
    assert df.attrs["format"] == "receipts-csv"
    rep = df.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (3, 2, 1)
    assert df["quantity"].tolist() == [1.0, 1.2]
    assert df["date"].iloc[1] == pd.Timestamp("2025-03-01", tz="Europe/Paris")
