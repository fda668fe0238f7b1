"""My rights and my urgencies (Lyon, social development, défis 1 and 3).

- :func:`entitlements`: the aids OpenFisca-France computes for the household of ``foyer.yaml`` (prime
  d'activité, aides au logement, RSA, allocations familiales, ASF, complément familial, PAJE, allocation de
  rentrée scolaire, complémentaire santé solidaire, chèque énergie), never re-implemented here;
- :func:`not_modelled`: what was not computed (local and optional aids) and where to ask;
- :func:`non_take_up`: the entitlements set against the CAF credits of my bank export;
- :func:`urgencies`: from the bank export, the balance trajectory, fixed debits due before it turns
  negative, rejected debits and fees, a benefit that stopped, renewal deadlines — ordered, each with the
  contact that can help;
- :func:`check_household` and :func:`prefill_household`: « déclarer une fois », the household file set
  against what my exports say, or drafted from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from selfdata_lib import fr
from selfdata_lib.exports.household import ADULT_RESOURCES, HOUSING, Household
from selfdata_lib.results import Figure, Reading, Result, figure, missing

#: Taxable over net pay of an employee: CSG non déductible (2,4 %) and CRDS (0,5 %) on 98,25 % of the gross,
#: the net being about 78 % of the gross (URSSAF, taux 2025) → net × 1.0365. OpenFisca needs the taxable
#: salary for the resources of the aides au logement, the complément familial and the chèque énergie.
TAXABLE_OVER_NET = 1.0365
#: Net resources and the taxable variable OpenFisca reads alongside (taken equal: an approximation).
TAXABLE_TWIN = {"chomage_net": "chomage_imposable", "retraite_nette": "retraite_imposable"}
#: Months of history given to OpenFisca: from January two years before (resources N-2) to the month computed.
HISTORY_YEARS = 2
#: Arrondissement INSEE codes → the commune's (OpenFisca's zones know Lyon, Marseille and Paris as a whole).
ARRONDISSEMENTS = {"6938": "69123", "1320": "13055", "1321": "13055", "7510": "75056", "7511": "75056"}


class Aid(TypedDict):
    """An aid OpenFisca computes: how it reads, when it is paid, where to claim it."""

    variable: str
    name: str
    period: str  # "month" or "year"
    explains: str
    claim: str
    law: str  # the legislation, when OpenFisca's variable cites none


AIDS: tuple[Aid, ...] = (
    {
        "variable": "ppa",
        "law": "Code de la sécurité sociale, art. L841-1 et suivants",
        "name": "Prime d'activité",
        "period": "month",
        "explains": "complète les revenus du travail modestes ; recalculée chaque trimestre sur les trois "
        "derniers mois déclarés",
        "claim": "https://www.caf.fr/allocataires/aides-et-demarches/droits-et-prestations/vie-professionnelle/"
        "la-prime-d-activite",
    },
    {
        "variable": "aide_logement",
        "law": "Code de la construction et de l'habitation, art. L821-1 et suivants",
        "name": "Aide au logement (APL, ALF ou ALS)",
        "period": "month",
        "explains": "aide à payer le loyer, selon les ressources des douze derniers mois, le loyer et la zone",
        "claim": "https://www.caf.fr/allocataires/aides-et-demarches/droits-et-prestations/logement",
    },
    {
        "variable": "rsa",
        "law": "Code de l'action sociale et des familles, art. L262-1 et suivants",
        "name": "Revenu de solidarité active (RSA)",
        "period": "month",
        "explains": "revenu minimum garanti, selon les ressources des trois derniers mois et la composition du foyer",
        "claim": "https://www.caf.fr/allocataires/aides-et-demarches/droits-et-prestations/vie-personnelle/"
        "le-revenu-de-solidarite-active-rsa",
    },
    {
        "variable": "af",
        "law": "Code de la sécurité sociale, art. L521-1",
        "name": "Allocations familiales",
        "period": "month",
        "explains": "à partir de deux enfants à charge, modulées selon les revenus",
        "claim": "https://www.caf.fr/allocataires/aides-et-demarches/droits-et-prestations/vie-personnelle/"
        "les-allocations-familiales-af",
    },
    {
        "variable": "asf",
        "law": "Code de la sécurité sociale, art. L523-1",
        "name": "Allocation de soutien familial",
        "period": "month",
        "explains": "pour l'enfant élevé seul quand l'autre parent ne verse pas de pension (ou moins que l'ASF)",
        "claim": "https://www.caf.fr/allocataires/aides-et-demarches/droits-et-prestations/vie-personnelle/"
        "l-allocation-de-soutien-familial-asf",
    },
    {
        "variable": "cf",
        "law": "Code de la sécurité sociale, art. L522-1",
        "name": "Complément familial",
        "period": "month",
        "explains": "à partir de trois enfants de 3 ans ou plus, sous condition de ressources",
        "claim": "https://www.caf.fr/allocataires/aides-et-demarches/droits-et-prestations/vie-personnelle/"
        "le-complement-familial-cf",
    },
    {
        "variable": "paje_base",
        "law": "Code de la sécurité sociale, art. L531-3",
        "name": "Allocation de base de la PAJE",
        "period": "month",
        "explains": "pour un enfant de moins de 3 ans, sous condition de ressources",
        "claim": "https://www.caf.fr/allocataires/aides-et-demarches/droits-et-prestations/petite-enfance",
    },
    {
        "variable": "ars",
        "law": "Code de la sécurité sociale, art. L543-1",
        "name": "Allocation de rentrée scolaire",
        "period": "year",
        "explains": "versée en août pour chaque enfant de 6 à 18 ans scolarisé, sous condition de ressources",
        "claim": "https://www.caf.fr/allocataires/aides-et-demarches/droits-et-prestations/vie-personnelle/"
        "l-allocation-de-rentree-scolaire-ars",
    },
    {
        "variable": "cheque_energie",
        "law": "Code de l'énergie, art. L124-1",
        "name": "Chèque énergie",
        "period": "year",
        "explains": "envoyé chaque printemps, sans démarche, selon le revenu fiscal de référence par unité de "
        "consommation ; il paie une facture d'énergie",
        "claim": "https://chequeenergie.gouv.fr",
    },
)
MONTHLY = tuple(a["variable"] for a in AIDS if a["period"] == "month")
CSS_CLAIM = "https://www.complementaire-sante-solidaire.gouv.fr"
SIMULATOR = "https://www.mesdroitssociaux.gouv.fr"


def _months(household: Household) -> list[str]:
    year = household.period_start.year
    return [str(p) for p in pd.period_range(f"{year - HISTORY_YEARS}-01", household.periode, freq="M")]


def commune_code(code: str) -> str:
    """The commune's INSEE code, an arrondissement's folded into its city's (69388 → 69123)."""
    return ARRONDISSEMENTS.get(code[:4], code)


def situation(household: Household) -> dict[str, Any]:
    """The household as an OpenFisca situation (the web API's JSON): people, family, tax household,
    dwelling; resources month by month over :data:`HISTORY_YEARS` years (the declared figure repeated
    unless ``salaires`` gives months), taxable salaries from net ones (:data:`TAXABLE_OVER_NET`).
    A household read from an OpenFisca JSON is returned as it was given.
    """
    if household.situation is not None:
        return household.situation
    months = _months(household)
    start = household.period_start
    people: dict[str, dict[str, Any]] = {}
    adults: list[str] = []
    children: list[str] = []
    for i, adult in enumerate(household.adultes, start=1):
        born = start - pd.DateOffset(years=adult.age, months=6)
        person: dict[str, Any] = {"date_naissance": {"ETERNITY": born.strftime("%Y-%m-01")}}
        person["salaire_net"] = {m: adult.salary(m) for m in months}
        person["salaire_imposable"] = {m: round(adult.salary(m) * TAXABLE_OVER_NET, 2) for m in months}
        for key, variable in ADULT_RESOURCES.items():
            amount = getattr(adult, key)
            if variable in TAXABLE_TWIN and amount:
                person[variable] = {m: amount for m in months}
                person[TAXABLE_TWIN[variable]] = {m: amount for m in months}
        name = f"adulte_{i}"
        people[name] = person
        adults.append(name)
    for i, child in enumerate(household.enfants, start=1):
        born = start - pd.DateOffset(years=child.age, months=6)
        name = f"enfant_{i}"
        people[name] = {
            "date_naissance": {"ETERNITY": born.strftime("%Y-%m-01")},
            "garde_alternee": {m: child.garde_alternee for m in months},
        }
        children.append(name)
    couple_in_one_tax_household = household.couple in ("marie", "pacse")
    tax_households = (
        {"foyer_fiscal_1": {"declarants": adults, "personnes_a_charge": children}}
        if couple_in_one_tax_household or len(adults) == 1
        else {
            "foyer_fiscal_1": {"declarants": adults[:1], "personnes_a_charge": children},
            "foyer_fiscal_2": {"declarants": adults[1:]},
        }
    )
    if household.couple in ("marie", "pacse"):
        status = "marie" if household.couple == "marie" else "pacse"
        for name in adults:
            people[name]["statut_marital"] = {m: status for m in months}
    dwelling = {
        "personne_de_reference": adults[:1],
        "conjoint": adults[1:],
        "enfants": children,
        "loyer": {m: household.loyer for m in months},
        "statut_occupation_logement": {m: HOUSING[household.statut_logement] for m in months},
        "depcom": {m: commune_code(household.commune) for m in months},
    }
    return {
        "individus": people,
        "familles": {"famille_1": {"parents": adults, "enfants": children}},
        "foyers_fiscaux": tax_households,
        "menages": {"menage_1": dwelling},
    }


@dataclass(frozen=True)
class Entitlements(Result):
    """The aids OpenFisca-France computes for my household, for the month of ``periode``."""

    periode: str
    table: pd.DataFrame
    monthly_amounts: dict[str, float]
    ars: float
    cheque_energie: float
    css: str
    css_participation: float
    versions: dict[str, str]
    household: Household = field(repr=False)

    @property
    def shown(self) -> pd.DataFrame:
        """The table for the page: the aid, its amount, what it is for, the law and where to claim it
        (links named by their site).
        """
        out = self.table.drop(columns=["variable"]).copy()
        out["référence"] = out["référence"].map(_link)
        out["demander"] = out["demander"].map(_link)
        return out.rename(columns={"montant": "montant (€)", "référence": "texte", "demander": "où demander"})

    @property
    def monthly_total(self) -> float:
        """The monthly aids, summed (€)."""
        return float(sum(self.monthly_amounts.values()))

    def figures(self) -> dict[str, Figure]:
        """Monthly amounts by OpenFisca variable, their total, the yearly ARS and chèque énergie, the CSS."""
        return {
            "monthly_amounts": figure({k: round(v, 2) for k, v in self.monthly_amounts.items()}),
            "monthly_total": figure(self.monthly_total, digits=2),
            "ars": figure(self.ars, digits=2),
            "cheque_energie": figure(self.cheque_energie, digits=0),
            "css": figure(self.css),
            "openfisca_version": figure(
                f"OpenFisca-France {self.versions.get('openfisca-france', '?')} "
                f"(openfisca-core {self.versions.get('openfisca-core', '?')})"
            ),
        }

    def notes(self) -> list[str]:
        """How the resources were given to OpenFisca."""
        if self.household.situation is not None:
            return ["Situation OpenFisca fournie telle quelle : les montants en découlent directement."]
        return [
            "Ressources : le montant déclaré répété sur les mois passés (sauf mois donnés dans « salaires ») ; "
            "salaire imposable estimé à partir du net (× 1,0365)."
        ]


def _link(text: str) -> str:
    """A URL as a link named by its site (« caf.fr »); any other text as it is."""
    import html
    from urllib.parse import urlparse

    if not str(text).startswith(("http://", "https://")):
        return str(text)
    site = urlparse(text).netloc.removeprefix("www.").removeprefix("vosdroits.")
    return f'<a href="{html.escape(text, quote=True)}">{html.escape(site)}</a>'


def _css(values: dict[str, Any], period: str) -> tuple[str, float]:
    free = bool(values[f"cmu_c@{period}"][0])
    participation = float(values[f"css_participation_forfaitaire@{period}"][0])
    if free:
        return "gratuite", 0.0
    if participation > 0:
        return "avec participation", participation
    return "non", 0.0


def entitlements(household: Household) -> Entitlements:
    """OpenFisca-France on the household (:func:`situation`) for its month: the monthly aids, the ARS and
    the chèque énergie of the year, the complémentaire santé solidaire. Each row of the table: the aid,
    its amount, a one-line explanation, the legislation reference OpenFisca cites and where to claim it.
    """
    from selfdata_lib.analysis import taxbenefit

    period, year = household.periode, household.periode[:4]
    wanted = [(a["variable"], period if a["period"] == "month" else year) for a in AIDS]
    wanted += [("cmu_c", period), ("css_participation_forfaitaire", period)]
    answer = taxbenefit.calculate(situation(household), wanted)
    values, described = answer["values"], answer["variables"]
    rows = []
    for aid in AIDS:
        p = period if aid["period"] == "month" else year
        amount = float(sum(values[f"{aid['variable']}@{p}"]))
        refs = described[aid["variable"]]["reference"]
        rows.append(
            {
                "aide": aid["name"],
                "variable": aid["variable"],
                "montant": round(amount, 2),
                "par": "mois" if aid["period"] == "month" else "an",
                "explication": aid["explains"],
                "référence": refs[0] if refs else aid["law"],
                "demander": aid["claim"],
            }
        )
    css, participation = _css(values, period)
    rows.append(
        {
            "aide": "Complémentaire santé solidaire",
            "variable": "cmu_c / css_participation_forfaitaire",
            "montant": round(participation, 2),
            "par": "mois",
            "explication": {
                "gratuite": "droit à la complémentaire santé solidaire gratuite",
                "avec participation": f"droit à la complémentaire santé solidaire pour "
                f"{fr.euros(participation, cents=False)} par mois (participation à payer, pas une aide reçue)",
                "non": "ressources au-dessus des plafonds de la complémentaire santé solidaire",
            }[css],
            "référence": "Code de la sécurité sociale, art. L861-1 et suivants",
            "demander": CSS_CLAIM,
        }
    )
    table = pd.DataFrame(rows)
    monthly = {a: float(table.loc[table["variable"] == a, "montant"].iloc[0]) for a in MONTHLY}
    by_var = table.set_index("variable")["montant"]
    return Entitlements(
        periode=period,
        table=table,
        monthly_amounts=monthly,
        ars=float(by_var["ars"]),
        cheque_energie=float(by_var["cheque_energie"]),
        css=css,
        css_participation=participation,
        versions=answer["versions"],
        household=household,
    )


#: Aids and schemes not computed here, and where to ask (Lyon and the Métropole first, then national
#: schemes OpenFisca does not cover). Shown on every page so that silence never reads « nothing else ».
NOT_MODELLED: tuple[dict[str, str], ...] = (
    {
        "aide": "Fonds de solidarité logement (FSL)",
        "qui": "Métropole de Lyon",
        "pour": "dette de loyer ou d'énergie, dépôt de garantie, premier loyer",
        "où demander": "Maison de la Métropole pour les solidarités de ma commune (travailleur social)",
    },
    {
        "aide": "Aides facultatives du CCAS",
        "qui": "CCAS de ma commune",
        "pour": "secours d'urgence, aide alimentaire, aide ponctuelle à une facture",
        "où demander": "CCAS de ma commune (à Lyon : CCAS de la Ville de Lyon, accueil en mairie d'arrondissement)",
    },
    {
        "aide": "Action sociale de la CAF",
        "qui": "CAF du Rhône",
        "pour": "aides aux vacances et aux loisirs des enfants, prêts et aides d'urgence, accompagnement",
        "où demander": "CAF du Rhône (caf.fr, rendez-vous avec un travailleur social)",
    },
    {
        "aide": "Revenu de solidarité jeunes (RSJ)",
        "qui": "Métropole de Lyon",
        "pour": "jeunes de 18 à 24 ans sans ressources, accompagnés par une mission locale",
        "où demander": "Mission locale de mon secteur",
    },
    {
        "aide": "Pass'Sport",
        "qui": "État",
        "pour": "50 € pour l'inscription sportive des 6–17 ans bénéficiaires de l'allocation de rentrée scolaire",
        "où demander": "pass.sports.gouv.fr (code reçu par courriel, à présenter au club)",
    },
    {
        "aide": "Tarification solidaire des transports (TCL)",
        "qui": "SYTRAL Mobilités",
        "pour": "abonnements à tarif solidaire selon mes droits (RSA, complémentaire santé solidaire…)",
        "où demander": "agence TCL ou tcl.fr",
    },
    {
        "aide": "Aides des caisses de retraite, de la mutuelle, de l'employeur (Action Logement)",
        "qui": "organismes divers",
        "pour": "aide au logement des salariés, secours ponctuels",
        "où demander": "actionlogement.fr ; ma mutuelle ; le service social de mon employeur",
    },
)


def not_modelled() -> pd.DataFrame:
    """What this notebook does not compute, and where to ask (never let silence say « rien d'autre »)."""
    return pd.DataFrame(list(NOT_MODELLED))


# --- My bank export: what arrives, what leaves --------------------------------------------------------------

#: Who pays benefits, by the words of a bank label.
PAYERS = {
    "CAF": r"\bCAF\b|C\.A\.F|CAISSE D.?ALLOC|ALLOCATIONS? FAMILIALES|PRESTATIONS FAMILIALES",
    "CPAM": r"\bCPAM\b|ASSURANCE MALADIE|\bAMELI\b",
    "France Travail": r"FRANCE TRAVAIL|POLE EMPLOI|P[OÔ]LE EMPLOI|\bARE\b",
}
#: Which aid a CAF credit is, when its label says (otherwise « CAF sans détail »).
AID_WORDS = {
    "ppa": r"PRIME (D.?)?ACTIVITE|\bPPA\b|PR\.? ACTIVITE",
    "aide_logement": r"\bAPL\b|\bALS\b|\bALF\b|LOGEMENT",
    "rsa": r"\bRSA\b|SOLIDARITE ACTIVE",
    "asf": r"\bASF\b|SOUTIEN FAMILIAL",
    "af": r"\bAF\b|ALLOC(ATIONS?)? FAM",
    "ars": r"\bARS\b|RENTREE SCOLAIRE",
}
#: How far an OpenFisca amount can be from what the CAF pays for the same situation, by aid: the PPA and
#: the RSA follow quarterly declarations, the aides au logement use resources of the last twelve months.
UNCERTAINTY = {"ppa": 0.25, "rsa": 0.25, "aide_logement": 0.15}
DEFAULT_UNCERTAINTY = 0.10
#: The order in which a CAF credit whose label names no aid is taken to cover the aids: the family benefits
#: first (the CAF pays them together as « prestations familiales »), then housing, and the RSA and the
#: prime d'activité last — the aids people most often do not claim.
UNNAMED_ORDER = ("af", "asf", "cf", "paje_base", "aide_logement", "rsa", "ppa")


def _naive(bank: pd.DataFrame) -> pd.DataFrame:
    """The bank frame with naive local dates (the importers give them in Europe/Paris)."""
    dates = pd.to_datetime(bank["date"])
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    return bank.assign(date=dates)


def _norm(label: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode().upper()
    return re.sub(r"\s+", " ", text)


def benefit_credits(bank: pd.DataFrame) -> pd.DataFrame:
    """Credits from the CAF, the CPAM or France Travail: ``date``, ``label``, ``amount_eur``, ``payer``,
    ``aid`` (the aid the label names, ``""`` when it does not say).
    """
    credits = bank[bank["amount_eur"] > 0]
    rows = []
    for _, op in credits.iterrows():
        label = _norm(op["label"])
        payer = next((p for p, rx in PAYERS.items() if re.search(rx, label)), None)
        if payer is None:
            continue
        aid = next((a for a, rx in AID_WORDS.items() if re.search(rx, label)), "") if payer == "CAF" else ""
        rows.append(
            {
                "date": op["date"],
                "label": op["label"],
                "amount_eur": float(op["amount_eur"]),
                "payer": payer,
                "aid": aid,
            }
        )
    out = pd.DataFrame(rows, columns=["date", "label", "amount_eur", "payer", "aid"])
    out["date"] = pd.to_datetime(out["date"])  # a statement without any benefit credit too
    return out


def _last_months(end: pd.Timestamp, n: int) -> list[pd.Period]:
    last = (end - pd.Timedelta(days=27)).to_period("M") if end.day < 28 else end.to_period("M")
    return [last - i for i in range(n)][::-1]


@dataclass(frozen=True)
class NonTakeUp(Result):
    """Each aid I am entitled to against what arrives on my account (or what I said I receive)."""

    table: pd.DataFrame
    months: list[str]
    source: str

    @property
    def shown(self) -> pd.DataFrame:
        """The comparison for the page (without OpenFisca's variable names)."""
        return self.table.drop(columns=["variable"])

    @property
    def missing_monthly(self) -> float:
        """Monthly amount of the aids I seem not to receive (€)."""
        return float(self.table["manque"].fillna(0).sum()) if len(self.table) else 0.0

    def figures(self) -> dict[str, Figure]:
        """The aids not received and their monthly total, with the months read."""
        if self.source == "aucune":
            why = "ni relevé bancaire ni « prestations_percues » dans le foyer : rien à comparer"
            return {"not_received": missing(why), "not_received_monthly": missing(why)}
        gone = self.table[self.table["manque"] > 0]
        return {
            "not_received": figure({r["aide"]: round(r["manque"]) for _, r in gone.iterrows()}),
            "not_received_monthly": figure(self.missing_monthly, digits=0),
        }


def non_take_up(rights: Entitlements, bank: pd.DataFrame | None = None, *, months: int = 3) -> NonTakeUp:
    """The monthly aids I am entitled to set against the CAF credits of the last ``months`` full months of
    my bank export (by the aid the label names; an unnamed CAF credit is shared among the aids it can
    cover), or against ``prestations_percues`` of the household file when there is no bank export.
    ``manque`` is what seems not to arrive; ``marge`` the uncertainty of the comparison.
    """
    received: dict[str, float] = {}
    unnamed = 0.0
    read: list[str] = []
    source = "aucune"
    declared = rights.household.prestations_percues
    if bank is not None and len(bank):
        bank = _naive(bank)
        credits = benefit_credits(bank)
        span = _last_months(pd.Timestamp(bank["date"].max()), months)
        read = [str(p) for p in span]
        caf = credits[(credits["payer"] == "CAF") & credits["date"].dt.to_period("M").isin(span)]
        for aid, g in caf.groupby("aid"):
            # the median month: a payment that stopped last month is an urgency, not a right never claimed
            by_month = g.groupby(g["date"].dt.to_period("M"))["amount_eur"].sum().reindex(span, fill_value=0)
            if aid:
                received[str(aid)] = float(by_month.median())
            else:
                unnamed = float(by_month.median())
        source = "relevé"
    elif declared:
        received, source = dict(declared), "foyer"
    unknown = source == "aucune"  # nothing to compare with: what arrives is not known, not zero
    covered = dict(received)
    for var in UNNAMED_ORDER:  # an unnamed CAF credit covers what it can, family benefits first
        gap = rights.monthly_amounts.get(var, 0.0) - covered.get(var, 0.0)
        if gap > 0 and unnamed > 0:
            taken = min(unnamed, gap)
            covered[var], unnamed = covered.get(var, 0.0) + taken, unnamed - taken
    rows = []
    for aid in AIDS:
        var = aid["variable"]
        due = rights.monthly_amounts.get(var, 0.0)
        got = covered.get(var, 0.0)
        if aid["period"] != "month" or (due <= 0 and got <= 0):
            continue
        margin = UNCERTAINTY.get(var, DEFAULT_UNCERTAINTY) * due
        gap = due - got
        rows.append(
            {
                "aide": aid["name"],
                "variable": var,
                "droit estimé": round(due, 2),
                "perçu": np.nan if unknown else round(got, 2),
                "manque": np.nan if unknown else (round(gap, 2) if gap > margin else 0.0),
                "marge": round(margin, 2),
            }
        )
    return NonTakeUp(
        pd.DataFrame(rows, columns=["aide", "variable", "droit estimé", "perçu", "manque", "marge"]),
        read,
        source,
    )


# --- Urgencies ----------------------------------------------------------------------------------------------

INCIDENT_WORDS = (
    r"REJET|IMPAYE|FRAIS (DE )?REJET|COMMISSION D.?INTERVENTION|FRAIS (D.?)?INCIDENT|"
    r"LETTRE (D.?)?INFORMATION|DECOUVERT NON AUTORISE|AGIOS|FRAIS DE DYSFONCTIONNEMENT"
)
FIXED_KINDS = {
    "loyer": r"LOYER|REGIE|BAILLEUR|\bHABITAT\b|OPAC|FONCIA|NEXITY|CITYA",
    "énergie": r"\bEDF\b|ENGIE|TOTALENERGIES|ENERCOOP|ENI\b|GAZ|ELECTRICITE|EKWATEUR|MINT",
    "assurance": r"ASSURANCE|MAIF|MACIF|MATMUT|AXA|ALLIANZ|GMF|MAAF|MUTUELLE",
    "eau": r"\bEAU\b|EAU DU GRAND LYON|VEOLIA|SUEZ",
    "téléphone et internet": r"FREE|ORANGE|SFR|BOUYGUES|SOSH|RED BY",
    "cantine et école": r"RESTAURATION SCOLAIRE|CANTINE|PERISCOLAIRE|ECOLE",
    "crédit": r"CREDIT|PRET|COFIDIS|CETELEM|SOFINCO|ONEY",
    "transport": r"\bTCL\b|SNCF|TRANSPORT|NAVIGO",
}


class Contact(TypedDict):
    """Who can help with an urgency."""

    qui: str
    comment: str


CONTACTS: dict[str, Contact] = {
    "solde": {
        "qui": "CCAS de ma commune ; Maison de la Métropole pour les solidarités",
        "comment": "secours d'urgence, aide alimentaire ; un travailleur social aide à prioriser les factures",
    },
    "loyer": {
        "qui": "mon bailleur, puis la Maison de la Métropole pour les solidarités (FSL)",
        "comment": "prévenir avant l'échéance et proposer un échéancier ; le FSL peut prendre en charge une dette",
    },
    "énergie": {
        "qui": "mon fournisseur d'énergie ; chèque énergie ; FSL énergie (Maison de la Métropole)",
        "comment": "demander un échéancier ; le chèque énergie paie une facture ; le FSL aide en cas d'impayé",
    },
    "incident": {
        "qui": "ma banque",
        "comment": "demander l'offre « client fragile » (frais d'incident plafonnés à 25 € par mois) "
        "et le remboursement des frais de rejet",
    },
    "prestation": {
        "qui": "CAF du Rhône (caf.fr, rubrique Mon Compte) ou le payeur de la prestation",
        "comment": "vérifier s'il manque une déclaration trimestrielle ou un justificatif",
    },
    "renouvellement": {
        "qui": "CPAM du Rhône (ameli.fr)",
        "comment": "la complémentaire santé solidaire se renouvelle chaque année : demande 2 à 4 mois avant la fin",
    },
}


def _recurring(ops: pd.DataFrame, *, min_months: int = 2, spread: float = 0.15) -> pd.DataFrame:
    """Operations that come back each month with about the same amount: ``key``, ``label``, ``amount_eur``
    (median), ``day`` (median day of month), ``months`` seen, ``last`` date.
    """
    if not len(ops):
        return pd.DataFrame(columns=["key", "label", "amount_eur", "day", "months", "last"])
    work = ops.assign(
        key=ops["label"].map(lambda s: re.sub(r"[\d/.:-]+", "", _norm(s)).strip()[:40]),
        month=ops["date"].dt.to_period("M"),
    )
    rows = []
    for key, g in work.groupby("key"):
        median = float(g["amount_eur"].median())
        if g["month"].nunique() < min_months or median == 0:
            continue
        if float((g["amount_eur"] - median).abs().max()) > spread * abs(median):
            continue
        rows.append(
            {
                "key": key,
                "label": str(g["label"].iloc[-1]),
                "amount_eur": median,
                "day": int(g["date"].dt.day.median()),
                "months": int(g["month"].nunique()),
                "last": g["date"].max(),
            }
        )
    return pd.DataFrame(rows, columns=["key", "label", "amount_eur", "day", "months", "last"])


def _kind(label: str) -> str:
    norm = _norm(label)
    return next((k for k, rx in FIXED_KINDS.items() if re.search(rx, norm)), "autre")


def _next_date(day: int, after: pd.Timestamp) -> pd.Timestamp:
    month = after.to_period("M")
    for candidate in (month, month + 1):
        date = candidate.to_timestamp() + pd.Timedelta(days=min(day, candidate.days_in_month) - 1)
        if date > after:
            return date
    return (month + 2).to_timestamp() + pd.Timedelta(days=day - 1)


@dataclass(frozen=True)
class Urgencies(Result):
    """What needs attention first, and who can help."""

    table: pd.DataFrame
    trajectory: pd.DataFrame
    today: pd.Timestamp
    balance: float | None
    balance_source: str
    days_until_negative: int | None

    def figures(self) -> dict[str, Figure]:
        """Balance, days before it turns negative, and the urgencies in order."""
        if self.balance is None:
            why = "le relevé ne donne pas de solde : indiquez-le avec -p balance_eur MONTANT"
            balance, days = missing(why), missing(why)
        else:
            balance = figure(self.balance, digits=2)
            days = (
                figure(self.days_until_negative)
                if self.days_until_negative is not None
                else missing("le solde prévu reste positif sur les 45 prochains jours")
            )
        return {
            "balance_eur": balance,
            "days_until_negative": days,
            "urgencies": figure([f"{r['quand']} — {r['quoi']}" for _, r in self.table.iterrows()]),
        }

    def notes(self) -> list[str]:
        """Where the balance comes from."""
        return [f"Solde de départ : {self.balance_source}."] if self.balance is not None else []


def _trajectory(
    bank: pd.DataFrame,
    today: pd.Timestamp,
    balance: float,
    fixed_out: pd.DataFrame,
    fixed_in: pd.DataFrame,
    days: int,
) -> pd.DataFrame:
    recent = bank[(bank["date"] > today - pd.Timedelta(days=60)) & (bank["date"] <= today)]
    fixed_keys = set(fixed_out["key"]) | set(fixed_in["key"])
    keys = recent["label"].map(lambda s: re.sub(r"[\d/.:-]+", "", _norm(s)).strip()[:40])
    variable = recent[(recent["amount_eur"] < 0) & ~keys.isin(fixed_keys)]
    per_day = float(-variable["amount_eur"].sum() / 60) if len(variable) else 0.0
    dates = pd.date_range(today + pd.Timedelta(days=1), periods=days, freq="D")
    flows = np.full(days, -per_day)
    for frame in (fixed_out, fixed_in):
        for _, op in frame.iterrows():
            due = _next_date(int(op["day"]), today)
            while due <= dates[-1]:
                flows[(due - dates[0]).days] += float(op["amount_eur"])
                due = _next_date(int(op["day"]), due)
    return pd.DataFrame({"date": dates, "flux": flows, "solde": balance + flows.cumsum()})


def _start(
    bank: pd.DataFrame, household: Household | None, today: str | pd.Timestamp, balance: float | None
) -> tuple[pd.Timestamp, float | None, str]:
    """The day the urgencies are counted from, the balance that day, and where the balance comes from."""
    stated = bank.attrs.get("balance_date")
    if today != "auto":
        day0 = pd.Timestamp(today)
    elif stated is not None:
        day0 = pd.Timestamp(stated)
    elif len(bank):
        day0 = pd.Timestamp(bank["date"].max())
    elif household is not None:
        day0 = household.period_start + pd.offsets.MonthEnd(0)
    else:
        day0 = pd.Timestamp.today().normalize()
    if balance is not None:
        return day0, float(balance), "indiqué par moi"
    if bank.attrs.get("balance_eur") is None:
        return day0, None, ""
    when = pd.Timestamp(bank.attrs["balance_date"])
    start = float(bank.attrs["balance_eur"])
    if when < day0:  # the operations after the stated balance
        start += float(bank.loc[(bank["date"] > when) & (bank["date"] <= day0), "amount_eur"].sum())
    return day0, start, f"en tête du relevé, au {fr.date(when)}"


def _balance_rows(
    history: pd.DataFrame, day0: pd.Timestamp, balance: float, horizon_days: int
) -> tuple[list[dict[str, Any]], pd.DataFrame, int | None]:
    """The day the balance turns negative and the fixed debits due by then; the trajectory."""
    fixed_out = _recurring(history[history["amount_eur"] < 0])
    fixed_in = _recurring(history[history["amount_eur"] > 0])
    trajectory = _trajectory(history, day0, balance, fixed_out, fixed_in, horizon_days)
    below = trajectory[trajectory["solde"] < 0]
    if not len(below):
        return [], trajectory, None
    first = pd.Timestamp(below["date"].iloc[0])
    rows = [
        {
            "dans (jours)": int((first - day0).days),
            "quand": fr.date(first),
            "quoi": "le solde passerait sous zéro (environ "
            f"{fr.euros(float(below['solde'].iloc[0]), cents=False)})",
            **CONTACTS["solde"],
        }
    ]
    for _, op in fixed_out.iterrows():
        due = _next_date(int(op["day"]), day0)
        if due <= first + pd.Timedelta(days=3):
            kind = _kind(op["label"])
            rows.append(
                {
                    "dans (jours)": int((due - day0).days),
                    "quand": fr.date(due),
                    "quoi": f"prélèvement {kind} de {fr.euros(-float(op['amount_eur']), cents=False)} "
                    f"(« {op['label']} »)",
                    **CONTACTS.get(kind, CONTACTS["solde"]),
                }
            )
    return rows, trajectory, int((first - day0).days)


def _incident_rows(history: pd.DataFrame, day0: pd.Timestamp) -> list[dict[str, Any]]:
    recent = history[history["date"] > day0 - pd.Timedelta(days=90)]
    incidents = recent[recent["label"].map(lambda s: bool(re.search(INCIDENT_WORDS, _norm(s))))]
    if not len(incidents):
        return []
    fees = float(-incidents.loc[incidents["amount_eur"] < 0, "amount_eur"].sum())
    what = fr.plural(len(incidents), "rejet ou frais d’incident", "rejets ou frais d’incident")
    return [
        {
            "dans (jours)": 7,  # already happened: to settle this week, after what bites sooner
            "quand": "cette semaine",
            "quoi": f"{what} en 90 jours ({fr.euros(fees, cents=False)} de frais et montants rejetés)",
            **CONTACTS["incident"],
        }
    ]


def _stopped_rows(history: pd.DataFrame, day0: pd.Timestamp) -> list[dict[str, Any]]:
    rows = []
    for (payer, aid), g in benefit_credits(history).groupby(["payer", "aid"]):
        regular = _recurring(g.assign(label=f"{payer} {aid}"))
        if len(regular) and (day0 - g["date"].max()).days > 35:
            name = next((a["name"] for a in AIDS if a["variable"] == aid), f"versement {payer}")
            rows.append(
                {
                    "dans (jours)": 1,  # the first call to make: it may fix the balance too
                    "quand": "dès maintenant",
                    "quoi": f"plus de versement « {name} » depuis le {fr.date(g['date'].max())}",
                    **CONTACTS["prestation"],
                }
            )
    return rows


def _renewal_rows(household: Household | None, day0: pd.Timestamp) -> list[dict[str, Any]]:
    if household is None or not household.css_depuis:
        return []
    end = pd.Timestamp(household.css_depuis) + pd.DateOffset(years=1)
    days = int((end - day0).days)
    if days > 120:
        return []
    return [
        {
            "dans (jours)": max(days - 60, 0),
            "quand": f"avant le {fr.date(end - pd.DateOffset(months=2))}",
            "quoi": f"renouveler la complémentaire santé solidaire (fin de droit le {fr.date(end)})",
            **CONTACTS["renouvellement"],
        }
    ]


def urgencies(
    bank: pd.DataFrame | None,
    household: Household | None = None,
    *,
    today: str | pd.Timestamp = "auto",
    balance: float | str | None = None,
    horizon_days: int = 45,
) -> Urgencies:
    """The urgencies my bank export shows, ordered by how soon they bite: the day the balance turns
    negative (balance from the statement's header or ``balance``, then the monthly incomes and fixed
    debits found in the export and the daily spending of the last 60 days), fixed debits due before then,
    rejected debits and incident fees of the last 90 days, a benefit that stopped arriving, the yearly
    renewal of the complémentaire santé solidaire (``css_depuis`` of the household). Without a bank
    export, only the renewal deadlines (and the balance given, if any, without flows).
    """
    if bank is None:
        bank = pd.DataFrame({"date": pd.to_datetime(pd.Series([], dtype=str)), "label": [], "amount_eur": []})
    bank = _naive(bank)
    given = None if balance in (None, "auto") else float(balance)
    day0, start, source = _start(bank, household, today, given)
    history = bank[bank["date"] <= day0]
    rows: list[dict[str, Any]] = []
    trajectory = pd.DataFrame(columns=["date", "flux", "solde"])
    negative_in: int | None = None
    if start is not None:
        rows, trajectory, negative_in = _balance_rows(history, day0, start, horizon_days)
    rows += _incident_rows(history, day0) + _stopped_rows(history, day0) + _renewal_rows(household, day0)
    table = pd.DataFrame(rows, columns=["dans (jours)", "quand", "quoi", "qui", "comment"])
    table = table.sort_values("dans (jours)", kind="stable").reset_index(drop=True)
    return Urgencies(table, trajectory, day0, start, source, negative_in)


CONTACT_KINDS = {
    "mdms": "Maison de la Métropole",
    "ccas": "CCAS",
    "caf": "CAF",
    "cpam": "Assurance maladie",
    "fsl": "Fonds de solidarité logement",
    "cheque_energie": "Chèque énergie",
}


def _shown(contacts: pd.DataFrame) -> pd.DataFrame:
    """The contacts with French headers and kinds, for the page."""
    out = contacts.assign(
        type=contacts["type"].map(CONTACT_KINDS).fillna(contacts["type"]), site=contacts["site"].map(_link)
    )
    out = out[["type", "nom", "pour", "site", "telephone"]]
    return out.rename(columns={"telephone": "téléphone"}).reset_index(drop=True)


@dataclass(frozen=True)
class WhereToAsk(Result):
    """The contacts of my commune (and arrondissement), from the open data of who can help."""

    table: pd.DataFrame
    place: str
    note: str = ""

    def figures(self) -> dict[str, Figure]:
        """The Maison de la Métropole pour les solidarités of my place, when the open data has it."""
        mdms = self.table[self.table["type"] == CONTACT_KINDS["mdms"]]["nom"]
        if len(mdms) == 1:
            return {"my_solidarity_house": figure(str(mdms.iloc[0]))}
        why = self.note or "plusieurs Maisons de la Métropole possibles : donnez l'adresse d'un contrat"
        return {"my_solidarity_house": missing(why)}

    def notes(self) -> list[str]:
        """Why the list is general, when it is."""
        return [self.note] if self.note else []


def where_to_ask(
    contacts: pd.DataFrame, household: Household, address: pd.DataFrame | None = None
) -> WhereToAsk:
    """The contacts of the household's commune from ``lyon-solidarity-contacts``, narrowed to the
    arrondissement when a contract's address gives the postal code. Outside the Métropole de Lyon: the
    national contacts and a sentence saying where to look locally.
    """
    code = commune_code(household.commune)
    postcode = str(address["postal_code"].iloc[0]) if address is not None and len(address) else ""
    mine = contacts[contacts["commune"] == code]
    if mine.empty:
        general = contacts[contacts["type"].isin(["caf", "cpam", "cheque_energie"])].drop_duplicates("type")
        note = (
            f"commune {household.commune} hors de la Métropole de Lyon (données ouvertes de Lyon) : CCAS de ma "
            "mairie, CAF et CPAM de mon département ; ci-dessous les contacts nationaux seulement"
        )
        return WhereToAsk(_shown(general), household.commune, note)
    narrowed = mine[mine["code_postal"] == postcode] if postcode else mine.iloc[0:0]
    if len(narrowed):
        return WhereToAsk(_shown(narrowed), f"{household.commune} ({postcode})")
    note = (
        "mon arrondissement n'est pas connu (pas d'adresse de contrat) : toutes les Maisons de la Métropole "
        "de la commune sont listées"
    )
    rest = mine.drop_duplicates(["type", "nom"])
    return WhereToAsk(_shown(rest), household.commune, note)


# --- Declare once -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdCheck(Result):
    """My household file set against what my exports say (rent, salaries, benefits)."""

    table: pd.DataFrame

    def figures(self) -> dict[str, Figure]:
        """How many declared figures my exports contradict."""
        return {"household_mismatches": figure(int((self.table["écart"] == "à vérifier").sum()))}


def _monthly(ops: pd.DataFrame, pattern: str, sign: int, *, unless: str = r"$^") -> tuple[float | None, str]:
    ops = _naive(ops)
    labels = ops["label"].map(_norm)
    sel = ops[
        (np.sign(ops["amount_eur"]) == sign)
        & labels.map(lambda s: bool(re.search(pattern, s)))
        & ~labels.map(lambda s: bool(re.search(unless, s)))
    ]
    if not len(sel):
        return None, ""
    per_month = sel.groupby(sel["date"].dt.to_period("M"))["amount_eur"].sum().abs()
    return float(per_month.median()), f"{sel['label'].iloc[-1]} ({fr.plural(len(per_month), 'mois', 'mois')})"


SALARY_WORDS = r"SALAIRE|PAIE|REMUNERATION"
RENT_WORDS = FIXED_KINDS["loyer"]
NOT_RENT = r"CHARGES|ASSURANCE|\bEAU\b|TAXE"


def check_household(household: Household, bank: pd.DataFrame | None) -> HouseholdCheck:
    """Rent and salaries of ``foyer.yaml`` against the bank export (median of the months seen): a gap of
    more than 10 % is « à vérifier » (a rent paid with its charges, a salary that changed).
    """
    rows = []
    if bank is not None and len(bank):
        found = {
            "loyer (€/mois)": (household.loyer, *_monthly(bank, RENT_WORDS, -1, unless=NOT_RENT)),
            "salaires nets (€/mois)": (
                sum(a.salary(household.periode) for a in household.adultes),
                *_monthly(bank, SALARY_WORDS, 1),
            ),
        }
        for what, (declared, seen, where) in found.items():
            gap = (
                "—"
                if seen is None
                else ("cohérent" if abs(seen - declared) <= 0.1 * max(declared, 1) else "à vérifier")
            )
            rows.append(
                {
                    "donnée": what,
                    "dans mon foyer": round(declared, 2),
                    "dans mon relevé": None if seen is None else round(seen, 2),
                    "d'où": where or "rien de reconnu dans le relevé",
                    "écart": gap,
                }
            )
    return HouseholdCheck(
        pd.DataFrame(rows, columns=["donnée", "dans mon foyer", "dans mon relevé", "d'où", "écart"])
    )


def prefill_household(
    bank: pd.DataFrame | None = None, address: dict[str, str] | None = None, *, periode: str | None = None
) -> str:
    """A draft ``foyer.yaml`` from my exports: the rent and the salary from the bank export, the commune
    from a contract's address; each prefilled value says where it came from (``# depuis …``); what no
    export says is left « à compléter ».
    """
    bank_name = Path(bank.attrs.get("source_file") or "mon relevé").name if bank is not None else None
    lines = ["# Mon foyer — déclaré une fois, relu par moi. Les valeurs « depuis » viennent de mes exports."]
    last = pd.Timestamp(bank["date"].max()) if bank is not None and len(bank) else pd.Timestamp.today()
    lines.append(f"periode: {periode or last.strftime('%Y-%m')}")
    if address:
        code = commune_code(address["insee_code"])
        lines.append(
            f'commune: "{code}"  # depuis l\'adresse du contrat : {address.get("postal_code", "")} {address.get("city", "")}'
        )
    else:
        lines.append('commune: "69123"  # à compléter : code INSEE de ma commune')
    rent, rent_from = _monthly(bank, RENT_WORDS, -1, unless=NOT_RENT) if bank is not None else (None, "")
    salary, salary_from = _monthly(bank, SALARY_WORDS, 1) if bank is not None else (None, "")
    lines.append("logement:")
    lines.append(
        "  statut: locataire_vide  # à vérifier : locataire_vide, locataire_meuble, locataire_hlm, proprietaire…"
    )
    if rent is not None:
        lines.append(
            f"  loyer: {rent:.0f}  # depuis {bank_name} : {rent_from} — retirer les charges s'il les inclut"
        )
    else:
        lines.append("  loyer: 0  # à compléter : loyer mensuel hors charges")
    lines.append("adultes:")
    lines.append("  - age: 40  # à compléter")
    if salary is not None:
        lines.append(f"    salaire_net_mensuel: {salary:.0f}  # depuis {bank_name} : {salary_from}")
    else:
        lines.append("    salaire_net_mensuel: 0  # à compléter")
    lines.append("enfants: []  # à compléter : - {age: 7}")
    return "\n".join(lines) + "\n"


# --- Reading ------------------------------------------------------------------------------------------------


def _lower_first(name: str) -> str:
    """« Prime d'activité » → « prime d'activité », but « RSA » stays."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _of(name: str) -> str:
    """« de prime d'activité », « d'allocation de soutien familial »."""
    low = _lower_first(name)
    return f"d'{low}" if low[0].lower() in "aeiouéèêh" else f"de {low}"


def interpret(
    rights: Entitlements, gaps: NonTakeUp | None = None, urgent: Urgencies | None = None
) -> Reading:
    """The French reading of my results: what I am entitled to, what seems not to arrive, what is urgent."""
    month = fr.month(rights.household.period_start)
    paid = rights.table[
        (rights.table["montant"] > 0)
        & (rights.table["par"] == "mois")
        & (rights.table["variable"].isin(MONTHLY))
    ]
    head = []
    if len(paid):
        names = ", ".join(
            f"{_lower_first(r['aide'])} ({fr.euros(r['montant'], cents=False)})"
            for i, (_, r) in enumerate(paid.iterrows())
        )
        head.append(
            f"Pour {month}, OpenFisca-France estime mes droits à {fr.euros(rights.monthly_total, cents=False)} par mois : {names}."
        )
    else:
        head.append(
            f"Pour {month}, OpenFisca-France ne trouve aucune aide mensuelle pour mon foyer tel que déclaré."
        )
    if gaps is not None and gaps.missing_monthly > 0:
        top = gaps.table.sort_values("manque", ascending=False).iloc[0]
        head.append(
            f"Je pourrais avoir droit à environ {fr.euros(round(float(top['droit estimé']), -1), cents=False)} par mois "
            f"{_of(top['aide'])} que je ne perçois pas (à {fr.euros(float(top['marge']), cents=False)} près, si mes "
            "ressources déclarées sont justes) : c'est à demander."
        )
    details = []
    if rights.ars > 0:
        details.append(
            f"L'allocation de rentrée scolaire serait de {fr.euros(rights.ars, cents=False)} en août."
        )
    if rights.cheque_energie > 0:
        details.append(
            f"Le chèque énergie serait de {fr.euros(rights.cheque_energie, cents=False)} par an, envoyé sans démarche."
        )
    details.append(
        {
            "gratuite": "La complémentaire santé solidaire serait gratuite.",
            "avec participation": f"La complémentaire santé solidaire serait accessible pour {fr.euros(rights.css_participation, cents=False)} par mois.",
            "non": "Les ressources dépassent les plafonds de la complémentaire santé solidaire.",
        }[rights.css]
    )
    if urgent is not None and len(urgent.table):
        first = urgent.table.iloc[0]
        head.append(f"Le plus urgent ({first['quand']}) : {first['quoi']} — à voir avec {first['qui']}.")
    elif urgent is not None:
        details.append("Mon relevé ne montre pas d'urgence sur les 45 prochains jours.")
    details.append("D'autres aides locales ne sont pas calculées ici : la liste dit où les demander.")
    return Reading(head, details)
