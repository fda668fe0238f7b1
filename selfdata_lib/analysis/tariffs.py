"""What each leisure, sport and culture activity near me costs *for me*: my quotient familial (QF) from
my household file, « votre tarif » in each tariff grid, the yearly cost of a programme for the
children, what one tranche of QF up or down would change, and the places near home.

The quotient familial of the CAF is ``(annual taxable resources / 12 + the month's family benefits) /
number of parts``; the parts, the benefits that count and the sources are data
(``regles_tarifaires.yaml`` of ``lyon-leisure-tariffs``, see :mod:`selfdata_lib.opendata.leisure`), as is
the rule each grid uses (its ``quotient`` column): the CAF's, or the Ville de Lyon's own municipal
quotient. Two tariff models: step ``tranches`` (an amount per QF tranche, inclusive upper bounds: a QF
of exactly 400 € is in the tranche « jusqu'à 400 € », one of 400,50 € in the next) and a linear
``taux_effort`` (``rate × QF`` clipped between ``floor`` and ``ceiling``). An amount the project could
not source is carried with ``verified = False`` and every figure computed from it says « à vérifier ».

Words matter: the tables and the reading say « votre tarif », never « tarif réduit », and never
describe the household by its income.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from selfdata_lib import fr, territories
from selfdata_lib.errors import ParameterError
from selfdata_lib.exports.household import Household
from selfdata_lib.geo import haversine_m, parse_latlon
from selfdata_lib.opendata.leisure import PLACE_KINDS
from selfdata_lib.results import Figure, Reading, Result, figure, missing

#: Walking distance is the straight line × 1.3 (streets are not straight), walked at 4.8 km/h.
WALK_DETOUR = 1.3
WALK_KMH = 4.8
#: A usual year of each unit, when the programme gives no quantity: (quantity, French explanation).
USUAL_YEAR: dict[str, tuple[float, str]] = {
    "repas": (144, "4 repas par semaine × 36 semaines d'école"),
    "entrée": (20, "20 entrées dans l'année"),
    "jour": (10, "10 jours de vacances"),
    "matinée": (36, "un mercredi matin par semaine d'école"),
    "an": (1, "une année"),
}
#: A taux d'effort has no tranche: « one tranche up » there means this many euros of QF more.
QF_STEP = 100.0
#: The activities of the automatic programme: for each child, the canteen of its age, the pool and the
#: library; for each adult, the library.
AUTO_CHILD = ("cantine", "piscine", "bibliotheque")
AUTO_ADULT = ("bibliotheque",)
UNVERIFIED = "à vérifier"


# --- The quotient familial ------------------------------------------------------------------------------


def _rules(tariffs: pd.DataFrame | Mapping[str, Any]) -> dict[str, Any]:
    """The rules of the grids (``quotients``, ``territories``): from a loaded grid's attrs, or given."""
    rules = tariffs.attrs.get("rules") if isinstance(tariffs, pd.DataFrame) else tariffs
    if not isinstance(rules, Mapping) or "quotients" not in rules:
        msg = "tariff grids without their rules: load them with opendata.load('lyon-leisure-tariffs')"
        raise ValueError(msg)
    return dict(rules)


def quotient_parts(adults: int, children: int, parts: Mapping[str, Any]) -> float:
    """The number of parts of a household under a rule's ``parts``: ``couple`` (two adults),
    ``single_parent`` (one adult with children) or ``single``, plus ``children`` (the parts of the first
    children, in order) and ``further_children`` for each one after them.
    """
    if adults >= 2:
        base = float(parts["couple"])
    elif children:
        base = float(parts["single_parent"])
    else:
        base = float(parts["single"])
    first = [float(p) for p in parts["children"]]
    return base + sum(first[:children]) + max(0, children - len(first)) * float(parts["further_children"])


def _known_qf(known: Any) -> float | None:
    """A QF typed by the user (from the CAF attestation), or ``None`` for « auto » / nothing."""
    if known is None or (isinstance(known, str) and known.strip().lower() in ("", "auto")):
        return None
    try:
        value = float(str(known).replace(",", ".").replace("€", "").strip())
    except ValueError:
        msg = f"Le quotient familial donné doit être un nombre d'euros (ou « auto ») ; reçu {known!r}."
        raise ParameterError(msg) from None
    if not 0 <= value <= 20_000:
        msg = f"Un quotient familial est compris entre 0 et 20 000 € par mois ; reçu {value:g}."
        raise ParameterError(msg)
    return value


def _benefit_rows(
    household: Household, computed: Mapping[str, float], caf: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    """The month's benefits: declared in the household file (``prestations_percues``) first, else
    computed (OpenFisca), with whether the CAF's rule counts each and whether that is verified.
    """
    amounts = {k: (float(v), "calculée") for k, v in (computed or {}).items() if v and float(v) > 0}
    amounts |= {k: (float(v), "déclarée") for k, v in household.prestations_percues.items() if v > 0}
    rows = []
    for code, (amount, origin) in sorted(amounts.items()):
        spec = caf.get(code, {})
        rows.append(
            {
                "benefit": code,
                "title": spec.get("title", code),
                "eur_month": amount,
                "origin": origin,
                "counted": bool(spec.get("counted", False)),
                "verified": bool(spec.get("verified", False)) if spec else False,
                "note": spec.get("note", "" if spec else "absente de la règle : non comptée"),
            }
        )
    return pd.DataFrame(
        rows, columns=["benefit", "title", "eur_month", "origin", "counted", "verified", "note"]
    )


@dataclass(frozen=True)
class FamilyQuotient(Result):
    """My quotient familial under each rule (€ per month): ``values`` (the CAF's replaced by the one I
    typed, if any), ``estimated`` (computed from my household file), the ``parts`` and the resources.
    """

    values: dict[str, float]
    estimated: dict[str, float]
    parts: dict[str, float]
    resources_eur_month: float
    approximate: bool
    benefits: pd.DataFrame
    counted_eur_month: dict[str, float]
    titles: dict[str, str]
    verified: dict[str, bool]
    known: float | None = None
    doubts: tuple[str, ...] = ()
    commune: str = ""

    @property
    def qf(self) -> float:
        """The CAF's quotient familial (the one most grids use)."""
        return self.values["caf"]

    @property
    def table(self) -> pd.DataFrame:
        """How each quotient is made: resources, benefits counted, parts, quotient (one column each)."""
        columns = {}
        for name, title in self.titles.items():
            columns[title] = {
                "ressources du mois (€)": round(self.resources_eur_month),
                "prestations comptées (€ par mois)": round(self.counted_eur_month[name]),
                "nombre de parts": self.parts[name],
                "quotient estimé (€ par mois)": round(self.estimated[name]),
            }
        table = pd.DataFrame(columns)
        if self.known is not None:
            table.loc["quotient donné (attestation CAF)"] = [
                round(self.known) if name == "caf" else None for name in self.titles
            ]
        return table

    @property
    def benefits_table(self) -> pd.DataFrame | str:
        """The month's benefits and whether the CAF's quotient counts each (or why there are none)."""
        if self.benefits.empty:
            return "Aucune prestation ce mois-ci : le quotient ne compte que les ressources."
        return pd.DataFrame(
            {
                "prestation": self.benefits["title"],
                "€ par mois": self.benefits["eur_month"].round(0),
                "origine": self.benefits["origin"],
                "comptée dans le QF de la CAF": self.benefits["counted"],
                "fiabilité": [
                    "sourcée" if ok else (note or UNVERIFIED)
                    for ok, note in zip(self.benefits["verified"], self.benefits["note"], strict=True)
                ],
            }
        )

    def figures(self) -> dict[str, Figure]:
        """My CAF quotient, its parts, resources and benefits; the Ville de Lyon's municipal quotient."""
        approx = (
            "ressources approchées : salaires nets déclarés × 12 (aucun revenu imposable dans le fichier)"
            if self.approximate and self.known is None
            else None
        )
        municipal = self.values.get("lyon-municipal")
        return {
            "quotient_familial": figure(self.qf, digits=0, warnings=[approx, *self.doubts]),
            "quotient_origin": figure(
                "donné : mon attestation CAF"
                if self.known is not None
                else "estimé depuis mon fichier de foyer"
            ),
            "quotient_parts": figure(
                int(self.parts["caf"]) if self.parts["caf"].is_integer() else self.parts["caf"]
            ),
            "quotient_resources_eur_month": figure(self.resources_eur_month, digits=0, warnings=approx),
            "quotient_benefits_eur_month": figure(
                self.counted_eur_month["caf"], digits=0, warnings=self.doubts
            ),
            "quotient_municipal": figure(
                municipal,
                digits=0,
                reason="pas de règle municipale dans les grilles",
                warnings=None if self.verified.get("lyon-municipal", True) else f"règle {UNVERIFIED}",
            ),
        }

    def notes(self) -> list[str]:
        """How the resources were taken, and where the official QF is."""
        out = []
        if self.known is not None:
            out.append(
                f"Quotient familial donné : {fr.euros(self.known, cents=False)} (l'estimation depuis le fichier "
                f"de foyer donnait {fr.euros(self.estimated['caf'], cents=False)})."
            )
        elif self.approximate:
            out.append(
                "Ressources approchées par vos salaires nets déclarés × 12 : la CAF retient vos revenus "
                "imposables de l'année N-2 (ajoutez revenu_imposable_annuel au fichier de foyer pour les utiliser)."
            )
        if self.known is None:
            out.append(
                "Votre QF officiel figure sur l'attestation de quotient familial de votre espace CAF : "
                "donnez-le dans my_qf pour remplacer l'estimation."
            )
        return out


def family_quotient(
    household: Household,
    monthly_benefits: Mapping[str, float] | None,
    tariffs: pd.DataFrame | Mapping[str, Any],
    *,
    known: float | str | None = None,
) -> FamilyQuotient:
    """My quotient familial under every rule of the grids (``tariffs``: the loaded
    ``lyon-leisure-tariffs``, or its rules).

    Resources: ``household.revenu_imposable_annuel / 12`` when the file gives it, else the declared
    monthly net resources (salaries, unemployment, pension) — an approximation, said on the figure.
    Benefits: ``monthly_benefits`` (€ per month by OpenFisca variable name, e.g. the ``monthly_amounts``
    of :func:`selfdata_lib.analysis.social.entitlements`), overridden key by key by those the household
    file declares it receives; each rule counts those its ``benefits`` mark ``counted``. ``known``: the QF
    of my CAF attestation, which replaces the CAF estimate (``"auto"`` or ``None``: estimate).
    """
    rules = _rules(tariffs)["quotients"]
    if household.revenu_imposable_annuel is not None:
        resources, approximate = household.revenu_imposable_annuel / 12, False
    else:
        resources, approximate = household.monthly_resources(), True
    caf_benefits = rules.get("caf", {}).get("benefits", {})
    benefits = _benefit_rows(household, monthly_benefits or {}, caf_benefits)
    adults, children = len(household.adultes), len(household.enfants)
    estimated, parts, counted, titles, verified = {}, {}, {}, {}, {}
    for name, rule in rules.items():
        counts = {k for k, spec in (rule.get("benefits") or {}).items() if spec.get("counted")}
        counted[name] = float(benefits.loc[benefits["benefit"].isin(counts), "eur_month"].sum())
        parts[name] = quotient_parts(adults, children, rule["parts"])
        estimated[name] = (resources + counted[name]) / parts[name]
        titles[name] = str(rule.get("title", name))
        verified[name] = bool(rule.get("verified", False))
    given = _known_qf(known)
    values = dict(estimated) | ({"caf": given} if given is not None else {})
    alone = (
        (f"1 part pour une personne seule sans enfant : {UNVERIFIED}",)
        if adults == 1 and not children
        else ()
    )
    doubts = alone + tuple(
        f"{row['title']} ({fr.euros(row['eur_month'], cents=False)} par mois) "
        f"{'comptée' if row['counted'] else 'non comptée'} dans le QF : {UNVERIFIED}"
        for row in benefits.to_dict("records")
        if not row["verified"] and row["note"] != "absente de la règle : non comptée"
    )
    return FamilyQuotient(
        values=values,
        estimated=estimated,
        parts=parts,
        resources_eur_month=float(resources),
        approximate=approximate,
        benefits=benefits,
        counted_eur_month=counted,
        titles=titles,
        verified=verified,
        known=given,
        doubts=doubts if given is None else (),
        commune=household.commune,
    )


# --- One tariff at one QF -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tariff:
    """« Votre tarif » in one grid (one activity, one age band) at one QF, and one tranche around it."""

    amount: float
    verified: bool
    tranche: str
    up: float | None = None
    down: float | None = None
    up_verified: bool = True
    down_verified: bool = True


def _euros(value: float) -> str:
    """A price: with cents under 100 € (« 2,00 € par repas »), whole euros above."""
    return fr.euros(value, cents=value < 100 or not float(value).is_integer())


def _qf(value: float) -> str:
    """A bound of QF, in whole euros."""
    return fr.euros(value, cents=False)


def _tranche_text(rows: pd.DataFrame, i: int) -> str:
    if len(rows) == 1:
        return "même tarif quel que soit le QF"
    low, high = rows["qf_min"].iloc[i], rows["qf_max"].iloc[i]
    if pd.isna(high):
        return f"QF au-dessus de {_qf(rows['qf_max'].iloc[i - 1])}"
    if i == 0:
        return f"QF jusqu'à {_qf(high)}"
    return f"QF de {_qf(low)} à {_qf(high)}"


def tariff_at(rows: pd.DataFrame, qf: float, *, qf_step: float = QF_STEP) -> Tariff:
    """« Votre tarif » at ``qf`` in the rows of one grid (one activity, one age band).

    ``tranches``: the first tranche whose upper bound (inclusive) is at least ``qf`` — the last one above
    every bound; ``up``/``down`` are the next and previous tranches' amounts (``None`` at either end; the
    same amount for a grid of one row). ``taux_effort``: ``rate × qf`` clipped to ``[floor, ceiling]``;
    ``up``/``down`` at ``qf ± qf_step`` (never below a QF of 0).
    """
    rows = rows.sort_values("qf_min")
    first = rows.iloc[0]
    if first["model"] == "taux_effort":
        rate, floor, ceiling = float(first["rate"]), float(first["floor"]), float(first["ceiling"])

        def at(x: float) -> float:
            return min(max(rate * x, floor), ceiling)

        ok = bool(first["verified"])
        return Tariff(
            amount=at(qf),
            verified=ok,
            tranche=f"{fr.percent(rate, 2)} du QF, entre {_euros(floor)} et {_euros(ceiling)}",
            up=at(qf + qf_step),
            down=at(max(qf - qf_step, 0.0)),
            up_verified=ok,
            down_verified=ok,
        )
    upper = rows["qf_max"].fillna(math.inf).to_numpy(dtype=float)
    i = next((k for k, bound in enumerate(upper) if qf <= bound), len(rows) - 1)
    amounts, checked = rows["amount"].astype(float).tolist(), rows["verified"].astype(bool).tolist()
    if len(rows) == 1:  # one price whatever the QF: no tranche above or below
        return Tariff(amounts[0], checked[0], _tranche_text(rows, 0))
    return Tariff(
        amount=amounts[i],
        verified=checked[i],
        tranche=_tranche_text(rows, i),
        up=amounts[i + 1] if i + 1 < len(rows) else None,
        down=amounts[i - 1] if i > 0 else None,
        up_verified=checked[i + 1] if i + 1 < len(rows) else True,
        down_verified=checked[i - 1] if i > 0 else True,
    )


def _age_rows(grid: pd.DataFrame, activity: str, age: int) -> pd.DataFrame:
    """The rows of ``activity`` for a person of ``age`` (empty when no age band holds it)."""
    rows = grid[grid["activity"] == activity]
    return rows[(rows["age_min"].fillna(0) <= age) & (age <= rows["age_max"].fillna(200))]


def _territory_reason(rules: Mapping[str, Any], territory: str, commune: str) -> str | None:
    """Why a grid of ``territory`` does not apply to a household of ``commune`` (``None`` when it does)."""
    spec = rules["territories"].get(territory, {})
    communes = [str(c) for c in spec.get("communes") or []]
    if not communes or str(commune) in communes:
        return None
    where = f"votre commune ({commune})" if commune else "votre commune (inconnue)"
    return f"ne s'applique pas : c'est la grille de {spec.get('title', territory)}, dont {where} ne fait pas partie"


# --- My programme -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A person of the household as the programme names them."""

    label: str
    age: int
    child: bool
    name: str | None = None


def household_members(household: Household) -> list[Member]:
    """The adults then the children, each labelled by first name (and age) or by age."""
    out = []
    for adult in household.adultes:
        label = f"{adult.prenom} ({adult.age} ans)" if adult.prenom else f"vous ({adult.age} ans)"
        out.append(Member(label, adult.age, False, adult.prenom))
    for child in household.enfants:
        label = f"{child.prenom} ({child.age} ans)" if child.prenom else f"enfant de {child.age} ans"
        out.append(Member(label, child.age, True, child.prenom))
    return out


def _plain(text: str) -> str:
    """Lower case, no accents, spaces as dashes: « Bibliothèque » → ``bibliotheque``."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_]+", "-", ascii_text.strip().lower())


@dataclass(frozen=True)
class ProgrammeItem:
    """One activity of my programme, for one person (``None``: whoever in the household fits its ages)."""

    activity: str
    who: Member | None
    quantity: float | None = None


def _who(text: str, members: list[Member]) -> Member:
    """The member named by ``text``: an age (« 7 », « 7 ans »), a first name, or « moi »."""
    wanted = _plain(text)
    age = re.fullmatch(r"(\d{1,3})(-?ans?)?", wanted)
    if age:
        found = [m for m in members if m.age == int(age.group(1))]
        found.sort(key=lambda m: not m.child)  # a child of that age before an adult of that age
    elif wanted in ("moi", "adulte", "parent", "vous"):
        found = [m for m in members if not m.child]
    else:
        found = [m for m in members if m.name and _plain(m.name) == wanted]
    if not found:
        listed = ", ".join(m.label for m in members)
        msg = f"Programme : « {text} » ne désigne personne du foyer ; le foyer : {listed} (donnez un âge, un prénom ou « moi »)."
        raise ParameterError(msg)
    return found[0]


def _auto_programme(activities: list[str], members: list[Member]) -> list[ProgrammeItem]:
    """For each child the canteen of its age, the pool and the library; for each adult the library."""
    items = []
    for member in members:
        for activity in AUTO_CHILD if member.child else AUTO_ADULT:
            if activity == "cantine":
                activity = "cantine-ecole" if member.age <= 10 else "cantine-college"
                if not 3 <= member.age <= 15:
                    continue
            if activity in activities:
                items.append(ProgrammeItem(activity, member))
    return items


def parse_programme(
    programme: str | Sequence[str], household: Household, activities: Sequence[str]
) -> list[ProgrammeItem]:
    """My programme: ``"auto"`` (:func:`_auto_programme`), or items ``"activity[:who[:quantity]]"`` as a
    list or in one text separated by ``,`` or ``;`` — ``who`` an age, a first name or « moi » (omitted:
    everyone whose age fits), ``quantity`` the units a year (omitted: :data:`USUAL_YEAR`).

    A mistyped activity or person is a :class:`ParameterError` in French naming the closest activity.
    """
    members = household_members(household)
    known = list(dict.fromkeys(activities))
    raw = [programme] if isinstance(programme, str) else list(programme or [])
    texts = [t.strip() for item in raw for t in re.split(r"[,;]", str(item)) if t.strip()]
    if not texts or [t.lower() for t in texts] == ["auto"]:
        return _auto_programme(known, members)
    items = []
    for text in texts:
        activity, who, quantity = ([p.strip() for p in text.split(":")] + ["", ""])[:3]
        if _plain(activity) not in known:
            close = difflib.get_close_matches(_plain(activity), known, n=1, cutoff=0.5)
            hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
            msg = f"Programme : activité « {activity} » inconnue.{hint} Activités possibles : {', '.join(known)}."
            raise ParameterError(msg)
        try:
            amount = float(quantity.replace(",", ".")) if quantity else None
        except ValueError:
            msg = f"Programme : « {text} » — la quantité par an doit être un nombre (par exemple {activity}:{who or 7}:10)."
            raise ParameterError(msg) from None
        items.append(ProgrammeItem(_plain(activity), _who(who, members) if who else None, amount))
    return items


@dataclass(frozen=True)
class MyTariffs(Result):
    """« Votre tarif » in each grid for my household, and my programme of the year.

    ``lines``: one row per (programme item, person) — ``activity``, ``label``, ``who``, ``unit``,
    ``quantity``, ``amount`` (€ per unit, ``None`` when the grid does not apply, with ``reason``),
    ``cost_eur_year``, ``cost_up_eur_year``/``cost_down_eur_year`` (one tranche up/down), ``tranche``,
    ``quotient`` (the rule the grid uses), ``verified``, ``date``, ``source_url``. ``overview``: the
    same for every activity and every person of the household whose age fits it.
    """

    lines: pd.DataFrame
    overview: pd.DataFrame
    commune: str
    qf_step: float = QF_STEP

    @property
    def applicable(self) -> pd.DataFrame:
        """The programme's lines whose grid applies to me."""
        return self.lines[self.lines["amount"].notna()]

    @property
    def table(self) -> pd.DataFrame:
        """My programme as a citizen reads it (French columns, « à vérifier » next to each unsourced amount)."""
        return _shown(self.lines, programme=True)

    @property
    def overview_table(self) -> pd.DataFrame:
        """Votre tarif in every grid, for the people of the household it concerns."""
        return _shown(self.overview, programme=False)

    def figures(self) -> dict[str, Figure]:
        """The year's cost (and its sourced part), one tranche up and down, each tariff, what to check."""
        lines = self.applicable
        none = "aucune activité du programme ne s'applique à votre foyer"
        if lines.empty:
            empty = {
                n: missing(none) for n in ("programme_cost_eur_year", "programme_cost_verified_eur_year")
            }
            return {
                **empty,
                "cost_if_qf_tranche_up_eur_year": missing(none),
                "cost_if_qf_tranche_down_eur_year": missing(none),
                **self._per_activity_figures(),
            }
        unsure = sorted(set(lines.loc[~lines["verified"].astype(bool), "label"]))
        warn = f"comprend des montants {UNVERIFIED} : {', '.join(unsure)}" if unsure else None
        total = float(lines["cost_eur_year"].sum())
        up, down = lines["cost_up_eur_year"], lines["cost_down_eur_year"]
        top = "déjà dans la tranche la plus haute de chaque grille"
        bottom = "déjà dans la tranche la plus basse de chaque grille"
        return {
            "programme_cost_eur_year": figure(total, digits=0, warnings=warn),
            "programme_cost_verified_eur_year": figure(
                float(lines.loc[lines["verified"].astype(bool), "cost_eur_year"].sum()), digits=0
            ),
            "cost_if_qf_tranche_up_eur_year": figure(
                float(up.sum() - total) if up.notna().any() else None,
                digits=0,
                reason=top,
                warnings=self._neighbour_warning("up_verified"),
            ),
            "cost_if_qf_tranche_down_eur_year": figure(
                float(down.sum() - total) if down.notna().any() else None,
                digits=0,
                reason=bottom,
                warnings=self._neighbour_warning("down_verified"),
            ),
            **self._per_activity_figures(),
        }

    def _neighbour_warning(self, column: str) -> str | None:
        lines = self.applicable
        unsure = sorted(set(lines.loc[~lines[column].astype(bool), "label"]))
        return f"la tranche voisine est {UNVERIFIED} pour : {', '.join(unsure)}" if unsure else None

    def _per_activity_figures(self) -> dict[str, Figure]:
        view = self.overview
        ok = view[view["amount"].notna()]
        college = ok[ok["activity"] == "cantine-college"]
        college_reason = (
            str(view.loc[view["activity"] == "cantine-college", "reason"].iloc[0])
            if (view["activity"] == "cantine-college").any()
            else "personne du foyer n'a l'âge du collège (10 à 16 ans)"
        )
        return {
            "college_meal_eur": figure(
                float(college["amount"].iloc[0]) if len(college) else None,
                digits=2,
                reason=college_reason,
                warnings=None
                if college.empty or bool(college["verified"].iloc[0])
                else f"montant {UNVERIFIED}",
            ),
            "my_tariffs_eur": figure(
                {f"{r['label']} — {r['who']}": round(float(r["amount"]), 2) for r in ok.to_dict("records")}
                or None,
                reason="aucune grille ne s'applique à votre foyer",
            ),
            "activities_to_verify": figure(sorted(set(ok.loc[~ok["verified"].astype(bool), "label"]))),
            "activities_not_applicable": figure(
                {str(r.label): str(r.reason) for r in view[view["amount"].isna()].itertuples()}
            ),
            "quotient_rule_by_activity": figure(dict(zip(view["label"], view["quotient"], strict=True))),
        }

    def notes(self) -> list[str]:
        """What the usual year assumes, and the grids that do not apply."""
        out = [
            "Sans quantité donnée, une année compte : "
            + " ; ".join(f"{unit} : {text}" for unit, (_, text) in USUAL_YEAR.items())
            + "."
        ]
        skipped = self.overview[self.overview["amount"].isna()]
        for row in skipped.drop_duplicates("label").itertuples():
            out.append(f"{row.label} : {row.reason}.")
        return out


LINE_COLUMNS = [
    "activity",
    "label",
    "who",
    "unit",
    "quantity",
    "quantity_note",
    "quotient",
    "organiser",
    "kind",
    "territory",
    "amount",
    "reason",
    "tranche",
    "verified",
    "up_verified",
    "down_verified",
    "date",
    "source_url",
    "cost_eur_year",
    "cost_up_eur_year",
    "cost_down_eur_year",
]


def _line(
    grid: pd.DataFrame,
    rules: Mapping[str, Any],
    quotient: FamilyQuotient,
    activity: str,
    who: Member | None,
    quantity: float | None,
    qf_step: float,
) -> dict[str, Any]:
    """One row of :attr:`MyTariffs.lines` (or of the overview)."""
    every = grid[grid["activity"] == activity]
    head = every.iloc[0]
    unit = str(head["unit"])
    per_year, how = USUAL_YEAR.get(unit, (1.0, "une fois"))
    qty = float(quantity) if quantity is not None else float(per_year)
    rule = str(head["quotient"] or "")
    qf = quotient.values.get(rule, quotient.qf) if rule else 0.0
    line: dict[str, Any] = {
        "activity": activity,
        "label": str(head["label"]),
        "who": who.label if who else "tout le foyer",
        "unit": unit,
        "quantity": qty,
        "quantity_note": "donnée" if quantity is not None else how,
        "quotient": quotient.titles.get(rule, rule) if rule else "aucun (même tarif quel que soit le QF)",
        "organiser": str(head["organiser"]),
        "kind": str(head["kind"]),
        "territory": str(
            rules["territories"].get(str(head["territory"]), {}).get("title", head["territory"])
        ),
        "amount": None,
        "reason": None,
        "tranche": "",
        "verified": False,
        "up_verified": True,
        "down_verified": True,
        "date": "",
        "source_url": str(head["source_url"]),
    }
    reason = _territory_reason(rules, str(head["territory"]), quotient.commune)
    rows = _age_rows(grid, activity, who.age) if who else every.iloc[:0]
    if reason is None and rows.empty:
        bands = sorted({(int(a), int(b)) for a, b in every[["age_min", "age_max"]].itertuples(index=False)})
        spans = ", ".join(f"de {a} à {b} ans" for a, b in bands)
        reason = (
            f"pas de tarif à {who.age} ans (la grille va {spans})"
            if who
            else f"personne du foyer n'a l'âge de cette activité ({spans})"
        )
    if reason is not None:
        return line | {
            "reason": reason,
            "cost_eur_year": None,
            "cost_up_eur_year": None,
            "cost_down_eur_year": None,
        }
    tariff = tariff_at(rows, qf, qf_step=qf_step)
    line |= {
        "amount": tariff.amount,
        "tranche": tariff.tranche,
        "verified": tariff.verified,
        "up_verified": tariff.up_verified,
        "down_verified": tariff.down_verified,
        "date": str(rows["date"].iloc[0]),
        "source_url": str(rows["source_url"].iloc[0]),
        "cost_eur_year": tariff.amount * qty,
        # at either end of a grid, a tranche further does not exist: the cost stays as it is
        "cost_up_eur_year": (tariff.up if tariff.up is not None else tariff.amount) * qty,
        "cost_down_eur_year": (tariff.down if tariff.down is not None else tariff.amount) * qty,
    }
    return line


def _expand(items: list[ProgrammeItem], grid: pd.DataFrame, members: list[Member]) -> list[ProgrammeItem]:
    """Items for everyone (``who`` omitted) become one item per member whose age fits the activity."""
    out = []
    for item in items:
        if item.who is not None:
            out.append(item)
            continue
        fits = [m for m in members if not _age_rows(grid, item.activity, m.age).empty]
        out += [ProgrammeItem(item.activity, m, item.quantity) for m in fits] or [item]
    return out


def my_tariffs(
    quotient: FamilyQuotient,
    tariffs: pd.DataFrame,
    household: Household,
    programme: str | Sequence[str] = "auto",
    *,
    qf_step: float = QF_STEP,
) -> MyTariffs:
    """« Votre tarif » for my QF in every grid (``tariffs``: the loaded ``lyon-leisure-tariffs``), and
    the yearly cost of ``programme`` (see :func:`parse_programme`) with what it would be one tranche of
    QF up or down (``qf_step`` euros of QF for a taux d'effort). A grid whose territory does not hold my
    commune is said not to apply, never used.
    """
    rules = _rules(tariffs)
    members = household_members(household)
    activities = list(dict.fromkeys(tariffs["activity"]))
    items = _expand(parse_programme(programme, household, activities), tariffs, members)
    lines = [_line(tariffs, rules, quotient, i.activity, i.who, i.quantity, qf_step) for i in items]
    overview = []
    for activity in activities:
        fits = [m for m in members if not _age_rows(tariffs, activity, m.age).empty]
        for who in fits:
            row = _line(tariffs, rules, quotient, activity, who, None, qf_step)
            if row["amount"] is not None or row["reason"].startswith("ne s'applique pas"):
                overview.append(row)
    return MyTariffs(
        lines=pd.DataFrame(lines, columns=LINE_COLUMNS),
        overview=_merge_people(pd.DataFrame(overview, columns=LINE_COLUMNS)),
        commune=household.commune,
        qf_step=qf_step,
    )


def _merge_people(view: pd.DataFrame) -> pd.DataFrame:
    """Overview rows of the same activity at the same tariff become one, naming everyone it concerns."""
    if view.empty:
        return view
    keys = ["activity", "amount", "verified", "reason"]
    merged = view.fillna({"reason": ""}).groupby(keys, sort=False, dropna=False)
    out = merged.agg({c: "first" for c in view.columns if c not in [*keys, "who"]} | {"who": ", ".join})
    out = out.reset_index()[list(view.columns)]
    out["reason"] = out["reason"].where(out["reason"] != "", None)
    return out


def _shown(lines: pd.DataFrame, *, programme: bool) -> pd.DataFrame:
    """French columns; « votre tarif » written with its unit and « à vérifier » when unsourced."""
    if lines.empty:
        return pd.DataFrame({"activité": [], "votre tarif": []})

    def tariff_text(row: Any) -> str:
        if pd.isna(row.amount):
            return str(row.reason)
        text = f"{_euros(float(row.amount))} par {row.unit}"
        return text if row.verified else f"{text} ({UNVERIFIED})"

    def sourced(row: Any) -> str:
        if pd.isna(row.amount):
            return "—"
        return (f"sourcé ({row.date})" if row.date else "sourcé") if row.verified else UNVERIFIED

    out = pd.DataFrame(
        {
            "activité": lines["label"],
            "pour": lines["who"],
            "votre tarif": [tariff_text(r) for r in lines.itertuples()],
            "tranche": lines["tranche"],
        }
    )
    if programme:
        out["par an"] = [
            f"{fr.number(q)} ({n})" for q, n in zip(lines["quantity"], lines["quantity_note"], strict=True)
        ]
        out["coût de l'année (€)"] = lines["cost_eur_year"].round(0)
        out["une tranche au-dessus (€)"] = lines["cost_up_eur_year"].round(0)
        out["une tranche en dessous (€)"] = lines["cost_down_eur_year"].round(0)
    out["quotient retenu"] = lines["quotient"]
    out["fiabilité"] = [sourced(r) for r in lines.itertuples()]
    return out


# --- Places near home -----------------------------------------------------------------------------------


def walk_minutes(distance_m: Any, *, detour: float = WALK_DETOUR, kmh: float = WALK_KMH) -> Any:
    """Minutes on foot for a straight-line distance: ``distance × detour`` at ``kmh``."""
    return distance_m * detour / (kmh * 1000 / 60)


@dataclass(frozen=True)
class NearbyPlaces(Result):
    """The places of each kind nearest my home, with the walking minutes and « votre tarif » there.

    ``places`` holds every place with ``distance_m`` and ``walk_minutes``, nearest first; without a home
    (``home`` is ``None``, ``reason`` says what to give) they are unknown and nothing is « nearest ».
    """

    home: tuple[float, float] | None
    places: pd.DataFrame
    per_kind: int = 2
    tariffs_by_kind: dict[str, str] = field(default_factory=dict)
    reason: str | None = None
    far: str | None = None

    @property
    def nearest(self) -> pd.DataFrame:
        """The ``per_kind`` nearest places of each kind (none without a home)."""
        if self.home is None or self.places.empty:
            return self.places.iloc[:0]
        return self.places.groupby("kind", sort=False).head(self.per_kind)

    @property
    def table(self) -> pd.DataFrame | str:
        """The nearest places as a citizen reads them (or why there are none)."""
        near = self.nearest
        if near.empty:
            return self.reason or "aucun lieu dans les données"
        near = near.reset_index(drop=True)
        return pd.DataFrame(
            {
                "lieu": near["name"],
                "genre": [PLACE_KINDS.get(k, k) for k in near["kind"]],
                "adresse": near["address"],
                "à pied (min)": near["walk_minutes"].round(0),
                "en TCL (min)": near["tcl_minutes"].round(0) if "tcl_minutes" in near else float("nan"),
                "votre tarif": [self.tariffs_by_kind.get(k, "—") for k in near["kind"]],
            }
        )

    def figures(self) -> dict[str, Figure]:
        """The nearest place of each kind and how many minutes away on foot."""
        if self.home is None or self.places.empty:
            reason = self.reason or "aucun lieu dans les données"
            return {"nearest_by_kind": missing(reason), "walk_minutes_by_kind": missing(reason)}
        first = self.places.groupby("kind", sort=False).head(1)
        kinds = [PLACE_KINDS.get(k, k) for k in first["kind"]]
        return {
            "nearest_by_kind": figure(dict(zip(kinds, first["name"], strict=True)), warnings=self.far),
            "walk_minutes_by_kind": figure(
                dict(zip(kinds, first["walk_minutes"].round(0), strict=True)), warnings=self.far
            ),
        }


def _kind_tariffs(tariffs: MyTariffs | None) -> dict[str, str]:
    """« Votre tarif » by kind of place, for the map and the table (« 2,60 € par entrée pour … »)."""
    if tariffs is None:
        return {}
    view = tariffs.overview
    out: dict[str, list[str]] = {}
    for row in view[view["amount"].notna()].to_dict("records"):
        flag = "" if row["verified"] else f", {UNVERIFIED}"
        out.setdefault(str(row["kind"]), []).append(
            f"{_euros(float(row['amount']))} par {row['unit']} ({row['who']}{flag})"
        )
    return {k: " ; ".join(v) for k, v in out.items()}


#: Metro and tram in Lyon: a commercial speed of about 25 km/h for the metro (SYTRAL), 18 for the tram — 22
#: taken for both —, 4 minutes of waiting, a station within 800 m at each end.
TCL = {"kmh": 22.0, "wait_min": 4.0, "station_max_m": 800.0}


def tcl_minutes(lat: float, lon: float, places: pd.DataFrame, stations: pd.DataFrame | None) -> Any:
    """Minutes « en TCL » to each place: walk to the nearest metro or tram station, wait, ride (straight line
    × 1.3 at :data:`TCL` speed), walk from the station nearest the place; NaN without a station within reach
    at either end, or when both ends share their nearest station (walk then).
    """
    from selfdata_lib.analysis.outings import TravelTimes

    times = TravelTimes(bus_kmh=TCL["kmh"], bus_wait_min=TCL["wait_min"], bus_stop_max_m=TCL["station_max_m"])
    return times.bus_minutes(lat, lon, places["lat"].to_numpy(float), places["lon"].to_numpy(float), stations)


def places_near(
    home: str | tuple[float, float] | None,
    places: pd.DataFrame,
    tariffs: MyTariffs | None = None,
    *,
    per_kind: int = 2,
    stations: pd.DataFrame | None = None,
) -> NearbyPlaces:
    """The places nearest ``home`` (``"lat,lon"``; empty: none, and ``reason`` says what to give), with
    the walking minutes (:func:`walk_minutes`: straight line × 1.3 at 4.8 km/h), the minutes « en TCL »
    when ``stations`` (metro and tram) are given (:func:`tcl_minutes`), and « votre tarif » there.
    """
    point = parse_latlon(home) if isinstance(home, str) else home
    if point is None:
        reason = (
            "pas de domicile donné : indiquez home = « lat,lon » pour trouver les lieux les plus proches"
            if not str(home or "").strip()
            else f"domicile « {home} » illisible : attendu « lat,lon », par exemple « 45.7343,4.8695 »"
        )
        unknown = places.assign(distance_m=float("nan"), walk_minutes=float("nan"), tcl_minutes=float("nan"))
        return NearbyPlaces(None, unknown, per_kind, _kind_tariffs(tariffs), reason)
    lat, lon = point
    distance = haversine_m(lat, lon, places["lat"].to_numpy(float), places["lon"].to_numpy(float))
    found = places.assign(
        distance_m=distance,
        walk_minutes=walk_minutes(distance),
        tcl_minutes=tcl_minutes(lat, lon, places, stations),
    ).sort_values("distance_m")
    return NearbyPlaces(
        (lat, lon),
        found.reset_index(drop=True),
        per_kind,
        _kind_tariffs(tariffs),
        None,
        territories.get("lyon").outside(point),
    )


# --- The reading ----------------------------------------------------------------------------------------


def interpret(quotient: FamilyQuotient, tariffs: MyTariffs, places: NearbyPlaces | None = None) -> Reading:
    """A French reading computed from my results (never written for a persona): my QF and the year's
    cost of my programme make the headline; a tranche up or down, what to check, the nearest places follow.
    """
    figs = tariffs.figures()
    qf = quotient.qf
    how = (
        "tel que vous l'avez donné"
        if quotient.known is not None
        else f"estimé selon la règle de la CAF ({_parts(quotient.parts['caf'])} parts)"
    )
    head = [f"Votre quotient familial, {how}, est de {fr.euros(qf, cents=False)} par mois."]
    total = figs["programme_cost_eur_year"].value
    sure = figs["programme_cost_verified_eur_year"].value
    if total is None:
        head.append(f"Aucune activité du programme ne s'applique à votre foyer (commune {tariffs.commune}).")
    elif sure is not None and round(sure) >= round(total):
        head.append(
            f"À ce quotient, votre programme de l'année coûte {fr.euros(total, cents=False)}, d'après des montants sourcés."
        )
    else:
        head.append(
            f"À ce quotient, votre programme de l'année coûte environ {fr.euros(total, cents=False)}, dont "
            f"{fr.euros(sure or 0, cents=False)} sur des montants sourcés : le reste est {UNVERIFIED}."
        )
    meal = figs["college_meal_eur"].value
    if meal is not None:
        head.append(f"Un repas à la cantine du collège vous coûte {fr.euros(meal)}.")
    skipped = tariffs.overview[tariffs.overview["amount"].isna()].drop_duplicates("label")
    if len(skipped):
        owners = " ou de ".join(dict.fromkeys(skipped["territory"]))
        verb = "ne s'applique pas" if len(skipped) == 1 else "ne s'appliquent pas"
        head.append(
            f"{fr.plural(len(skipped), 'grille').capitalize()} {verb} à votre commune "
            f"({tariffs.commune or 'inconnue'}) : ce sont celles de {owners}."
        )
    details = []
    up, down = figs["cost_if_qf_tranche_up_eur_year"].value, figs["cost_if_qf_tranche_down_eur_year"].value
    if total is not None and up is not None and down is not None and (up or down):
        details.append(
            f"Si votre QF passait dans la tranche au-dessus, l'année coûterait {fr.euros(abs(up), cents=False)} de plus ; "
            f"dans la tranche en dessous, {fr.euros(abs(down), cents=False)} de moins "
            f"({fr.euros(tariffs.qf_step, cents=False)} de QF pour les tarifs au taux d'effort)."
        )
    elif total is not None:
        details.append("Une tranche de QF de plus ou de moins ne changerait rien à ces tarifs.")
    if len(skipped):
        details.append(f"Hors de leur territoire : {', '.join(skipped['label']).lower()}.")
    check = figs["activities_to_verify"].value
    if check:
        details.append(f"Montants {UNVERIFIED} auprès des organisateurs : {', '.join(check).lower()}.")
    if places is not None:
        details.append(_places_sentence(places))
    if quotient.known is None:
        details.append(
            "Votre QF officiel est sur votre attestation CAF : donnez-le pour remplacer l'estimation."
        )
    return Reading(head, details)


def _parts(value: float) -> str:
    return fr.number(value, 0 if float(value).is_integer() else 1)


def _places_sentence(places: NearbyPlaces) -> str:
    figs = places.figures()
    names, minutes = figs["nearest_by_kind"].value, figs["walk_minutes_by_kind"].value
    if not names:
        return f"Lieux proches : {figs['nearest_by_kind'].reason}."
    parts = [f"{kind} : {name} ({fr.plural(minutes[kind], 'minute')} à pied)" for kind, name in names.items()]
    far = f" ({places.far})" if places.far else ""
    return f"Au plus près de chez vous{far} — " + " ; ".join(parts) + "."
