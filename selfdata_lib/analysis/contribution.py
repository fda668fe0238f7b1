"""Contributing my trips to rethink the transport offer without being found in them (La Rochelle, défi 3).

- :func:`unicity`: how few spatio-temporal points of my own trips single me out in a crowd (after de
  Montjoye et al., « Unique in the Crowd », Scientific Reports 2013: four points identified 95 % of 1.5
  million people) — the crowd is a generated population of the agglomeration (:mod:`selfdata_lib.synth.commuters`);
- :func:`contribution`: what would leave my machine — my trips as zone-to-zone counts (origin zone,
  destination zone, hour band, mode) on a grid of the agglomeration, either (a) **central DP**: my clamped
  counts go to a cooperative that publishes a Laplace-noised matrix (OpenDP) with small cells suppressed,
  or (b) **local DP**: my device reports one of my cells through randomised response (OpenDP), no trusted
  collector needed; with the consent receipt and the ε spent;
- :func:`evaluate` (research): both mechanisms and a k-anonymous publication against the truth on the
  generated population, for several ε: total-variation error, error on the 20 largest flows, share of trips
  in suppressed cells, and the re-identification risk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib import fr
from selfdata_lib.analysis.privacy import BudgetLedger, ConsentReceipt
from selfdata_lib.results import Figure, Reading, Result, figure, missing

TZ = "Europe/Paris"
#: The grid covers the agglomeration of La Rochelle (lat min, lat max, lon min, lon max).
BBOX = (46.08, 46.24, -1.26, -0.98)
BANDS = (("6h-10h", 6, 10), ("10h-16h", 10, 16), ("16h-20h", 16, 20), ("20h-6h", 20, 30))
MODES = ("car", "bus", "bike", "walk")
MODE_FR = {"car": "voiture", "bus": "bus", "bike": "vélo", "walk": "marche"}
CELL_KM = 3.0


def grid_shape(cell_km: float = CELL_KM) -> tuple[int, int]:
    """Rows and columns of the grid of ``cell_km`` squares over :data:`BBOX`."""
    lat0, lat1, lon0, lon1 = BBOX
    rows = math.ceil((lat1 - lat0) * 111.0 / cell_km)
    cols = math.ceil((lon1 - lon0) * 111.0 * math.cos(math.radians((lat0 + lat1) / 2)) / cell_km)
    return rows, cols


def zone_of(lat: Any, lon: Any, cell_km: float = CELL_KM) -> np.ndarray:
    """The zone (``Z<row>-<col>``) of each point, ``""`` outside the agglomeration's grid."""
    lat0, lat1, lon0, _ = BBOX
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    rows, cols = grid_shape(cell_km)
    r = np.floor((lat - lat0) * 111.0 / cell_km).astype(int)
    c = np.floor((lon - lon0) * 111.0 * math.cos(math.radians((lat0 + lat1) / 2)) / cell_km).astype(int)
    inside = (r >= 0) & (r < rows) & (c >= 0) & (c < cols)
    return np.where(inside, np.char.add(np.char.add("Z", r.astype(str)), np.char.add("-", c.astype(str))), "")


def _band(hours: np.ndarray) -> np.ndarray:
    out = np.full(len(hours), BANDS[-1][0], dtype=object)
    for name, lo, hi in BANDS[:-1]:
        out[(hours >= lo) & (hours < hi)] = name
    return out


def od_rows(trips: pd.DataFrame, cell_km: float = CELL_KM) -> pd.DataFrame:
    """Each trip as a cell: ``origin``, ``destination``, ``band``, ``mode`` (and ``person`` when given);
    trips leaving or entering the grid are dropped.
    """
    local = pd.to_datetime(trips["start"], utc=True).dt.tz_convert(TZ)
    out = pd.DataFrame(
        {
            "origin": zone_of(trips["start_lat"], trips["start_lon"], cell_km),
            "destination": zone_of(trips["end_lat"], trips["end_lon"], cell_km),
            "band": _band(local.dt.hour.to_numpy()),
            "mode": trips["mode"].where(trips["mode"].isin(MODES), "car").to_numpy(),
            "date": local.dt.date.to_numpy(),
            "hour": local.dt.hour.to_numpy(),
        }
    )
    if "person" in trips.columns:
        out["person"] = trips["person"].to_numpy()
    return out[(out["origin"] != "") & (out["destination"] != "")].reset_index(drop=True)


def cell_key(rows: pd.DataFrame) -> pd.Series:
    """One string per cell: ``origin>destination|band|mode``."""
    return rows["origin"] + ">" + rows["destination"] + "|" + rows["band"] + "|" + rows["mode"]


def domain(cell_km: float = CELL_KM) -> list[str]:
    """Every cell of the grid: zones × zones × hour bands × modes."""
    rows, cols = grid_shape(cell_km)
    zones = [f"Z{r}-{c}" for r in range(rows) for c in range(cols)]
    return [f"{o}>{d}|{b[0]}|{m}" for o in zones for d in zones for b in BANDS for m in MODES]


# --- how few points single me out ---------------------------------------------------------------------------


def _points(rows: pd.DataFrame) -> pd.Series:
    """Spatio-temporal points of a trace: zone of departure, day and hour (the « Unique in the Crowd »
    resolution: a place and an hour).
    """
    return rows["origin"] + "@" + rows["date"].astype(str) + "T" + rows["hour"].astype(str)


@dataclass(frozen=True)
class Unicity(Result):
    """The share of random draws of p of my points that only I match in the crowd, for p = 1…"""

    table: pd.DataFrame
    crowd: int
    points_needed: int | None
    cell_km: float

    def figures(self) -> dict[str, Figure]:
        """How many of my points single me out (95 % of draws), in a crowd of how many."""
        if self.points_needed is not None:
            needed = figure(self.points_needed)
        elif self.table.empty:
            needed = missing("aucun de mes trajets n'est dans la grille de l'agglomération de La Rochelle")
        else:
            needed = missing(f"même {int(self.table['points'].max())} points ne suffisent pas à m'isoler")
        return {"unique_points_to_identify_me": needed, "crowd_size": figure(self.crowd)}


def unicity(
    mine: pd.DataFrame,
    crowd: pd.DataFrame,
    *,
    cell_km: float = CELL_KM,
    max_points: int = 6,
    draws: int = 200,
    seed: int = 0,
) -> Unicity:
    """How many of my points (zone of departure, day, hour), drawn at random from my trips, match me
    alone among the people of ``crowd`` (a generated population) and me: for p = 1 … ``max_points``, the
    share of ``draws`` where I am the only match. ``points_needed``: the smallest p reaching 95 %.
    """
    rng = np.random.default_rng(seed)
    my_points = sorted(set(_points(od_rows(mine, cell_km))))
    others = od_rows(crowd, cell_km)
    traces = others.assign(point=_points(others)).groupby("person")["point"].agg(frozenset)
    rows = []
    needed = None
    for p in range(1, max_points + 1):
        if len(my_points) < p:
            break
        alone = 0
        for _ in range(draws):
            pick = frozenset(rng.choice(my_points, size=p, replace=False))
            alone += not any(pick <= t for t in traces)
        share = alone / draws
        rows.append({"points": p, "share_unique": share})
        if needed is None and share >= 0.95:
            needed = p
    return Unicity(pd.DataFrame(rows, columns=["points", "share_unique"]), len(traces) + 1, needed, cell_km)


# --- what I would contribute --------------------------------------------------------------------------------


def clamp_counts(counts: pd.Series, max_trips: int) -> pd.Series:
    """A person's cell counts scaled down so that they sum to at most ``max_trips`` (whole trips, the
    largest cells kept first): the bound that makes one person's weight in the release known.
    """
    total = int(counts.sum())
    if total <= max_trips:
        return counts.astype(int)
    scaled = np.floor(counts.to_numpy() * max_trips / total).astype(int)
    order = np.argsort(-(counts.to_numpy() * max_trips / total - scaled))
    for i in order[: max_trips - int(scaled.sum())]:
        scaled[i] += 1
    return pd.Series(scaled, index=counts.index)[lambda s: s > 0]


def rr_probability(epsilon: float, categories: int) -> float:
    """The probability that k-ary randomised response tells the truth: e^ε / (e^ε + k − 1)."""
    return math.exp(epsilon) / (math.exp(epsilon) + categories - 1)


def randomised_cell(cell: str, cells: list[str], epsilon: float) -> str:
    """My cell through k-ary randomised response (OpenDP ``make_randomized_response``): ε-local DP."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    meas = dp.m.make_randomized_response(categories=cells, prob=rr_probability(epsilon, len(cells)))
    return str(meas(cell))


@dataclass(frozen=True)
class Contribution(Result):
    """Exactly what would leave my machine, under which mechanism and ε, and the receipt I keep."""

    mechanism: str
    epsilon: float
    payload: dict[str, Any]
    receipt: ConsentReceipt
    trips_read: int
    trips_contributed: int
    od_cells: int
    outside: int
    ledger: BudgetLedger = field(repr=False)

    def figures(self) -> dict[str, Figure]:
        """The trips and cells contributed, the mechanism, ε, the payload."""
        return {
            "trips_contributed": figure(self.trips_contributed),
            "od_cells": figure(self.od_cells),
            "epsilon": figure(self.epsilon),
            "mechanism": figure(self.mechanism),
            "epsilon_spent": figure(self.ledger.spent),
            "payload": figure(self.payload),
        }

    def notes(self) -> list[str]:
        """Trips left out (outside the grid)."""
        return (
            [f"{fr.plural(self.outside, 'trajet')} hors de la grille de l'agglomération : non contribué(s)."]
            if self.outside
            else []
        )


MECHANISMS = {
    "central": "DP centrale : comptes bornés envoyés à la coopérative, bruit de Laplace à la publication (OpenDP)",
    "local": "DP locale : une seule cellule, randomisée sur ma machine avant l'envoi (réponse randomisée, OpenDP)",
}


def contribution(
    trips: pd.DataFrame,
    *,
    mechanism: str = "central",
    epsilon: float = 1.0,
    max_trips: int = 60,
    cell_km: float = CELL_KM,
    recipient: str = "Coopérative de données de mobilité de l'agglomération (simulation)",
    ledger: BudgetLedger | None = None,
) -> Contribution:
    """My trips as zone-to-zone counts (:func:`od_rows`), as they would be sent: ``central`` — my counts
    clamped to ``max_trips`` (the cooperative adds Laplace noise of scale ``max_trips / ε`` to the sum of
    everyone's); ``local`` — one of my cells drawn at random and randomised on my machine (ε-local DP).
    The ledger records the ε spent; the receipt says what, to whom, for what, for how long.
    """
    if mechanism not in MECHANISMS:
        from selfdata_lib.errors import ParameterError

        msg = f"mécanisme « {mechanism} » inconnu : « central » ou « local »"
        raise ParameterError(msg)
    rows = od_rows(trips, cell_km)
    counts = cell_key(rows).value_counts().sort_index()
    ledger = ledger or BudgetLedger(total_epsilon=10.0)
    if mechanism == "central":
        kept = clamp_counts(counts, max_trips)
        payload: dict[str, Any] = {"cellules": {k: int(v) for k, v in kept.items()}}
        contributed = int(kept.sum())
        detail = {"max_trips": max_trips, "laplace_scale": max_trips / epsilon}
    else:
        rng = np.random.default_rng()
        cells = domain(cell_km)
        if len(rows):
            truth = str(rng.choice(cell_key(rows).to_numpy()))
            payload = {"cellule": randomised_cell(truth, cells, epsilon)}
        else:
            payload = {"cellule": None}
        contributed = 1 if len(rows) else 0
        detail = {"categories": len(cells), "truth_probability": rr_probability(epsilon, len(cells))}
    ledger.spend(epsilon, "matrice origine–destination", mechanism=MECHANISMS[mechanism], **detail)
    receipt = ConsentReceipt(
        purpose="Repenser l'offre de mobilité de l'agglomération (matrice origine–destination)",
        recipient=recipient,
        payload=payload,
        epsilon=epsilon,
        mechanism=MECHANISMS[mechanism],
        retention="jusqu'à la publication suivante (un an au plus), puis effacée",
    )
    return Contribution(
        mechanism,
        epsilon,
        payload,
        receipt,
        len(trips),
        contributed,
        len(counts),
        len(trips) - len(rows),
        ledger,
    )


# --- the research: what the city gets back -----------------------------------------------------------------


def _tv(a: pd.Series, b: pd.Series) -> float:
    """Total-variation distance between two count vectors as distributions."""
    a, b = a.clip(lower=0), b.clip(lower=0)
    if a.sum() <= 0 or b.sum() <= 0:
        return 1.0
    return float(0.5 * (a / a.sum() - b / b.sum()).abs().sum())


def clamped_totals(people: pd.DataFrame, cells: list[str], *, max_trips: int) -> pd.Series:
    """Everyone's cell counts, each person's clamped to ``max_trips`` (:func:`clamp_counts`), summed per cell."""
    clamped = people.groupby("person", group_keys=False)["cell"].apply(
        lambda s: clamp_counts(s.value_counts(), max_trips)
    )
    return clamped.groupby(level=-1).sum().reindex(cells, fill_value=0).astype(float)


def central_release(totals: pd.Series, *, epsilon: float, max_trips: int, threshold: float) -> pd.Series:
    """The cooperative's release of the clamped ``totals`` (:func:`clamped_totals`): Laplace noise of
    scale ``max_trips / ε`` on every cell of the domain (OpenDP, L1 sensitivity ``max_trips``), cells below
    ``threshold`` suppressed (set to 0 — post-processing).
    """
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = (dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.l1_distance(T=float))
    meas = dp.m.make_laplace(*space, scale=max_trips / epsilon)
    noisy = pd.Series(np.asarray(meas(totals.tolist()), dtype=float), index=totals.index)
    return noisy.where(noisy >= threshold, 0.0)


def local_release(people: pd.DataFrame, cells: list[str], *, epsilon: float, seed: int = 0) -> pd.Series:
    """Local DP: each person reports one of their cells (drawn at random) through k-ary randomised
    response; the collector debiases the histogram of reports, (observed − n·q) / (p − q), and scales it
    to the mean number of trips per person.
    """
    rng = np.random.default_rng(seed)
    index = {c: i for i, c in enumerate(cells)}
    k = len(cells)
    p = rr_probability(epsilon, k)
    picks = people.groupby("person")["cell"].agg(lambda s: s.iloc[int(rng.integers(len(s)))])
    truth_idx = picks.map(index).to_numpy()
    n = len(truth_idx)
    keep = rng.random(n) < p
    other = rng.integers(0, k - 1, n)
    other = np.where(other >= truth_idx, other + 1, other)  # any other category, uniformly
    reported = np.where(keep, truth_idx, other)
    observed = np.bincount(reported, minlength=k).astype(float)
    estimate, _ = debias_reports(observed, epsilon=epsilon)
    per_person = len(people) / max(n, 1)
    return pd.Series(np.clip(estimate, 0, None) * per_person, index=cells)


def debias_reports(observed: Any, *, epsilon: float) -> tuple[np.ndarray, np.ndarray]:
    """The unbiased estimate of how many people's true cell is each cell, from the histogram of their
    randomised reports (k-ary randomised response at ``epsilon`` over ``len(observed)`` cells):
    (observed − n·q) / (p − q), and its standard deviation, √(n·q·(1 − q)) / (p − q) for a cell nobody
    truly holds (Wang et al., « Locally Differentially Private Protocols for Frequency Estimation », 2017).
    """
    observed = np.asarray(observed, dtype=float)
    k = len(observed)
    n = float(observed.sum())
    p = rr_probability(epsilon, k)
    q = (1 - p) / (k - 1)
    estimate = (observed - n * q) / (p - q)
    sd = np.full(k, math.sqrt(n * q * (1 - q)) / (p - q))
    return estimate, sd


def reports_needed(n: int, *, epsilon: float, categories: int, false_cells: float = 0.05) -> int:
    """The fewest reports a cell needs before it is published from local-DP reports: the smallest c such
    that, if nobody truly held any cell, the expected number of cells reaching c reports by chance alone
    (each gets Poisson(n·q) false reports) stays under ``false_cells`` over the whole domain.
    """
    from scipy.stats import poisson

    q = (1 - rr_probability(epsilon, categories)) / (categories - 1)
    c = 1
    while categories * float(poisson.sf(c - 1, n * q)) > false_cells:
        c += 1
    return c


def noise_threshold(scale: float, categories: int, *, false_cells: float = 0.05) -> float:
    """The count under which a cell of a Laplace-noised release (``scale``) is suppressed: the level that
    noise alone reaches in an empty cell with probability ½·e^(−τ/scale), so that over ``categories``
    cells fewer than ``false_cells`` empty cells are expected to show: τ = scale · ln(categories / (2 ·
    false_cells)). Twice the scale, the research notebook's rule, lets thousands of empty cells of a
    large grid through.
    """
    return scale * math.log(categories / (2 * false_cells))


def population_payloads(
    population: pd.DataFrame,
    *,
    mechanism: str = "central",
    epsilon: float = 1.0,
    max_trips: int = 60,
    cell_km: float = CELL_KM,
    seed: int = 0,
) -> dict[Any, dict[str, Any]]:
    """What each person of a generated population (:func:`simulated_crowd`) would send, as
    :func:`contribution` builds it for me: ``{person: payload}`` — clamped cell counts (``central``) or one
    cell drawn at random and randomised (``local``, OpenDP's randomised response built once).
    """
    rows = od_rows(population, cell_km)
    people = pd.DataFrame({"person": rows["person"], "cell": cell_key(rows)})
    out: dict[Any, dict[str, Any]] = {}
    if mechanism == "central":
        for person, cells in people.groupby("person", sort=True)["cell"]:
            kept = clamp_counts(cells.value_counts().sort_index(), max_trips)
            out[person] = {"cellules": {k: int(v) for k, v in kept.sort_index().items()}}
        return out
    import opendp.prelude as dp

    dp.enable_features("contrib")
    cells_all = domain(cell_km)
    meas = dp.m.make_randomized_response(categories=cells_all, prob=rr_probability(epsilon, len(cells_all)))
    rng = np.random.default_rng(seed)
    for person, cells in people.groupby("person", sort=True)["cell"]:
        out[person] = {"cellule": str(meas(str(cells.iloc[int(rng.integers(len(cells)))])))}
    return out


def k_anonymous_release(people: pd.DataFrame, *, k: int = 5) -> tuple[pd.DataFrame, int]:
    """A k-anonymous publication of each person's usual trip (most frequent cell: origin, destination,
    band, mode): records whose combination is shared by fewer than ``k`` people are suppressed; the
    k actually reached is measured with pyCANON when it is installed (else counted here).
    """
    usual = people.groupby("person")["cell"].agg(lambda s: s.value_counts().index[0])
    parts = usual.str.extract(r"(?P<origin>[^>]+)>(?P<destination>[^|]+)\|(?P<band>[^|]+)\|(?P<mode>.+)")
    sizes = parts.groupby(list(parts.columns))["origin"].transform("size")
    published = parts[sizes >= k].reset_index(drop=True)
    try:
        from pycanon import anonymity

        reached = int(anonymity.k_anonymity(published, list(published.columns))) if len(published) else 0
        published.attrs["measured_by"] = "pyCANON"
    except ImportError:
        reached = int(published.groupby(list(published.columns)).size().min()) if len(published) else 0
        published.attrs["measured_by"] = "taille de la plus petite classe (pyCANON absent)"
    return published, reached


def evaluation_table(
    population: pd.DataFrame,
    *,
    epsilons: tuple[float, ...] = (0.1, 0.5, 1.0, 2.0, 5.0),
    cell_km: float = CELL_KM,
    max_trips: int = 60,
    threshold: float | None = None,
    k: int = 5,
    seed: int = 0,
    repeats: int = 3,
) -> pd.DataFrame:
    """For each mechanism and ε: the total-variation error of the OD matrix, the mean relative error on the
    20 largest true flows, the share of trips in cells published as 0, and the re-identification risk
    (DP: the bound e^ε on how much more likely one world becomes; k-anonymity: 1/k for a published
    record and the share of people left out; raw: the share of people whose usual trip is unique).
    """
    rows = od_rows(population, cell_km)
    people = pd.DataFrame({"person": rows["person"], "cell": cell_key(rows)})
    cells = domain(cell_km)
    truth = people["cell"].value_counts().reindex(cells, fill_value=0).astype(float)
    top = truth.sort_values(ascending=False).head(20).index
    out = []

    def score(name: str, eps: float | None, releases: list[pd.Series], risk: float, note: str) -> None:
        """The metrics averaged over the noise draws of a mechanism."""
        tops, losts, tvs = [], [], []
        for release in releases:
            tops.append(float(((release[top] - truth[top]).abs() / truth[top]).mean()))
            losts.append(float(truth[(release <= 0) & (truth > 0)].sum() / truth.sum()))
            tvs.append(_tv(truth, release))
        out.append(
            {
                "mechanism": name,
                "epsilon": eps,
                "tv_distance": float(np.mean(tvs)),
                "top20_relative_error": float(np.mean(tops)),
                "suppressed_share": float(np.mean(losts)),
                "reidentification_risk": risk,
                "note": note,
            }
        )

    totals = clamped_totals(people, cells, max_trips=max_trips)
    for eps in epsilons:
        scale = max_trips / eps
        tau = threshold if threshold is not None else 2 * scale
        draws = [
            central_release(totals, epsilon=eps, max_trips=max_trips, threshold=tau) for _ in range(repeats)
        ]
        score(
            "central",
            eps,
            draws,
            math.exp(eps),
            f"Laplace d'échelle {scale:g}, seuil {tau:g}, {repeats} tirages",
        )
        local = [local_release(people, cells, epsilon=eps, seed=seed + r) for r in range(repeats)]
        score("local", eps, local, math.exp(eps), f"un trajet par personne, {repeats} tirages")
    usual = people.groupby("person")["cell"].agg(lambda s: s.value_counts().index[0])
    unique_share = float((usual.map(usual.value_counts()) == 1).mean())
    published, reached = k_anonymous_release(people, k=k)
    kept_cells = (
        published["origin"]
        + ">"
        + published["destination"]
        + "|"
        + published["band"]
        + "|"
        + published["mode"]
    )
    share_people = len(published) / max(len(usual), 1)
    kanon = kept_cells.value_counts().reindex(cells, fill_value=0).astype(float) * (
        len(people) / max(len(usual), 1)
    )
    score(
        "k-anonymat",
        None,
        [kanon],
        1 / max(reached, 1),
        f"k = {reached} ({published.attrs['measured_by']}), {fr.percent(1 - share_people)} des personnes retirées",
    )
    score("brut", None, [truth], unique_share, "matrice exacte ; risque = part des trajets habituels uniques")
    return pd.DataFrame(out)


@dataclass(frozen=True)
class Verdict(Result):
    """The evaluation table on a generated population, and which option and ε make sense."""

    table: pd.DataFrame
    best: dict[str, Any]
    people: int

    @property
    def shown(self) -> pd.DataFrame:
        """The evaluation table with French headers, errors and shares in %."""
        t = self.table.copy()
        for col in ("tv_distance", "top20_relative_error", "suppressed_share"):
            t[col] = (100 * t[col]).round(1)
        return t.rename(
            columns={
                "mechanism": "option",
                "epsilon": "ε",
                "tv_distance": "variation totale (%)",
                "top20_relative_error": "erreur sur les 20 grands flux (%)",
                "suppressed_share": "trajets publiés à zéro (%)",
                "reidentification_risk": "risque de ré-identification",
                "note": "détail",
            }
        )

    def figures(self) -> dict[str, Figure]:
        """The recommended mechanism and ε, the number of simulated contributors, the error table."""
        shown = self.table.assign(epsilon=self.table["epsilon"].fillna(0)).round(3)
        return {
            "contributors_simulated": figure(self.people),
            "recommended": figure(self.best) if self.best else missing("aucun ε testé ne suffit"),
            "error_table": figure(shown.drop(columns=["note"]).to_dict("records")),
        }


def verdict(table: pd.DataFrame, *, people: int, max_top20_error: float = 0.10) -> Verdict:
    """The smallest ε whose release gets the 20 largest flows within ``max_top20_error`` (central before
    local at the same ε): the strongest protection that still tells the city where people travel.
    """
    dp_rows = table[table["mechanism"].isin(["central", "local"])]
    ok = dp_rows[dp_rows["top20_relative_error"] <= max_top20_error].sort_values(["epsilon", "mechanism"])
    best = ok.iloc[0].to_dict() if len(ok) else {}
    keys = ("mechanism", "epsilon", "top20_relative_error", "suppressed_share")
    return Verdict(table, {k: best[k] for k in keys} if best else {}, people)


def evaluate(population: pd.DataFrame, **kwargs: Any) -> Verdict:
    """:func:`evaluation_table` on the population, and its :func:`verdict`."""
    return verdict(evaluation_table(population, **kwargs), people=int(population["person"].nunique()))


def simulated_crowd(n: int = 3000, *, seed: int = 17) -> pd.DataFrame:
    """The generated population of the agglomeration (:func:`selfdata_lib.synth.commuters.population`)."""
    from selfdata_lib.synth.commuters import population

    return population(n, seed=seed)


def describe_verdict(v: Verdict) -> Reading:
    """The research notebook's verdict, in French, computed from its table."""
    t = v.table
    if not v.best:
        return Reading(
            [
                f"Pour {fr.number(v.people)} contributeurs, aucun ε testé ne donne les 20 plus grands flux à 10 % près."
            ]
        )
    b = v.best
    local = t[t["mechanism"] == "local"]
    head = [
        f"Pour une agglomération de {fr.number(v.people)} contributeurs, la DP {'centrale' if b['mechanism'] == 'central' else 'locale'} "
        f"à ε = {fr.number(b['epsilon'], 1)} donne les 20 plus grands flux à {fr.percent(b['top20_relative_error'])} près, "
        f"mais les petits flux disparaissent ({fr.percent(b['suppressed_share'])} des trajets dans des cellules publiées à zéro).",
        f"La DP locale reste inutilisable sur {fr.number(len(domain()))} cellules : même à ε = {fr.number(local['epsilon'].max(), 1)}, "
        f"l'erreur sur les grands flux est de {fr.percent(float(local['top20_relative_error'].min()))}.",
    ]
    kanon = t[t["mechanism"] == "k-anonymat"]
    details = []
    if len(kanon):
        details.append(
            f"La publication k-anonyme ({kanon['note'].iloc[0]}) ne borne pas ce qu'un attaquant apprend en croisant d'autres sources."
        )
    return Reading(head, details)


def ledger_table(mine: Contribution) -> pd.DataFrame:
    """The releases my ε went to, in French."""
    frame = mine.ledger.as_frame()
    cols = {"purpose": "finalité", "epsilon": "ε", "mechanism": "mécanisme", "at": "le"}
    return frame[[c for c in cols if c in frame.columns]].rename(columns=cols)


def payload_table(mine: Contribution) -> pd.DataFrame:
    """What would leave my machine, one row per cell, in French."""
    cells = mine.payload.get("cellules") or (
        {mine.payload["cellule"]: 1} if mine.payload.get("cellule") else {}
    )
    rows = []
    for key, count in cells.items():
        od, band, mode = key.split("|")
        origin, destination = od.split(">")
        rows.append(
            {
                "zone de départ": origin,
                "zone d'arrivée": destination,
                "tranche horaire": band,
                "mode": MODE_FR.get(mode, mode),
                "trajets": count,
            }
        )
    return pd.DataFrame(
        rows, columns=["zone de départ", "zone d'arrivée", "tranche horaire", "mode", "trajets"]
    )


def interpret(unique: Unicity, mine: Contribution) -> Reading:
    """The French reading of what my trips reveal and of what I would contribute."""
    head = []
    if unique.points_needed is not None:
        head.append(
            f"Dans une foule de {fr.number(unique.crowd)} habitants simulés de l'agglomération, "
            f"{fr.plural(unique.points_needed, 'point')} de mes trajets (une zone, un jour, une heure) "
            "suffisent à me retrouver dans 95 % des cas : publier mes trajets bruts, c'est publier qui je suis."
        )
    else:
        head.append("Mes points de trajet ne suffisent pas à m'isoler dans la foule simulée.")
    what = (
        f"{fr.plural(mine.trips_contributed, 'trajet')} en comptes par cellule (zone de départ, zone d'arrivée, "
        "tranche horaire, mode), bornés : le bruit est ajouté par la coopérative à la publication"
        if mine.mechanism == "central"
        else "une seule cellule, tirée parmi mes trajets et randomisée sur ma machine : même la coopérative "
        "ne sait pas si elle est vraie"
    )
    head.append(f"Ce que je contribuerais (ε = {fr.number(mine.epsilon, 1)}) : {what}.")
    return Reading(head, [f"Budget de confidentialité dépensé : ε = {fr.number(mine.ledger.spent, 1)}."])
