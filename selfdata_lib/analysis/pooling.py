"""The cooperative's side: households' consented, clamped contributions pooled into differentially private
references, on an existing engine — from one laptop to a cluster.

- A **contribution** is one small JSON per household and release (:data:`FORMAT`), written by the citizen
  from a finished run (``selfdata contribute``): the payload the notebook showed, its consent receipt, and a
  sha256 of the whole (a seal against edits on the way). The tool never sends it: the citizen hands the
  file over.
- :func:`validate` checks each one — schema, seal, receipt matching the payload, bounds, duplicate
  household, withdrawn consent — and says why each rejected file never enters a release.
- :func:`aggregate` counts clamped contributions per district and bin on an engine: ``pandas`` (the
  baseline), ``duckdb`` (embedded SQL over Parquet, out of core; the default) or ``dask`` (the same
  pipeline on a cluster: a ``dask.distributed`` client pointed at a scheduler, nothing else changes).
  Engines only aggregate; :func:`publish` adds the noise with OpenDP (Laplace on each district's count
  vector, sensitivity 1: a household is in one bin of one district) and suppresses districts with too
  few noisy contributors.
- :func:`pool` does it all and writes the release in the layout of ``lyon-water-reference``, so that the
  water notebook loads it as its reference (a snapshot folder on ``SELFDATA_OPENDATA_PATH``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib.analysis import privacy
from selfdata_lib.results import Figure, Reading, Result, figure

FORMAT = "selfdata-contribution/1"
#: What each use case contributes: the payload key of its value, the bounds, the unit, the release's ε.
SPECS: dict[str, dict[str, Any]] = {
    "lyon-water-district": {
        "value": "litres_per_person_day",
        "group": "district",
        "lower": 0.0,
        "upper": 400.0,
        "bin_width": 20.0,
        "unit": "l/personne/jour",
        "epsilon": 1.0,
        "min_contributors": 20,
        "dataset": "lyon-water-reference",
    }
}
REQUIRED = ("format", "use_case", "release", "household", "payload", "receipt", "sha256")
ENGINES = ("pandas", "duckdb", "dask")


class ContributionError(ValueError):
    """A run has nothing to contribute, or a contribution cannot be read (French message)."""


def canonical(contribution: dict[str, Any]) -> bytes:
    """The bytes the seal is computed on: the contribution without its ``sha256``, keys sorted."""
    body = {k: v for k, v in contribution.items() if k != "sha256"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def seal(contribution: dict[str, Any]) -> dict[str, Any]:
    """The contribution with its ``sha256``."""
    return {**contribution, "sha256": hashlib.sha256(canonical(contribution)).hexdigest()}


def contribution_from_results(results: dict[str, Any], *, household: str | None = None) -> dict[str, Any]:
    """The sealed contribution of a finished run (its ``results.json``): the ``shared_payload`` it showed,
    the consent receipt's terms, a random household id (kept by the citizen to withdraw later).
    """
    use_case = str(results.get("use_case") or "")
    spec = SPECS.get(use_case)
    payload = (results.get("results") or {}).get("shared_payload")
    if spec is None or not isinstance(payload, dict):
        known = ", ".join(SPECS)
        msg = f"le cas d'usage « {use_case} » ne prévoit pas de contribution (cas qui en prévoient : {known})"
        raise ContributionError(msg)
    if payload.get(spec["value"]) is None or not payload.get(spec["group"]):
        msg = "la contribution serait vide : le run n'a pas calculé le chiffre à partager (voir son rapport)"
        raise ContributionError(msg)
    period = str(payload.get("period") or "")
    release = period.split("/")[-1][:4] if period else str(results.get("started", ""))[:4]
    receipt = {
        "purpose": f"référence par {spec['group']} ({use_case}), histogramme différentiellement privé",
        "recipient": "coopérative de données citoyenne",
        "payload": payload,
        "epsilon": spec["epsilon"],
        "mechanism": "Laplace sur les comptes de l'histogramme (OpenDP)",
        "retention": "jusqu'à la publication annuelle, puis suppression du chiffre individuel",
    }
    return seal(
        {
            "format": FORMAT,
            "use_case": use_case,
            "release": release,
            "household": household or secrets.token_hex(8),
            "payload": payload,
            "receipt": receipt,
        }
    )


def write_contribution(results_path: str | Path, dest: str | Path) -> Path:
    """Write the contribution of the run whose ``results.json`` is given into the folder ``dest``."""
    results = json.loads(Path(results_path).read_text(encoding="utf-8"))
    contribution = contribution_from_results(results)
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{contribution['use_case']}_{contribution['release']}_{contribution['household']}.json"
    path.write_text(json.dumps(contribution, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def simulated_contributions(
    members: pd.DataFrame, *, use_case: str = "lyon-water-district", release: str = "2025"
) -> list[dict[str, Any]]:
    """Sealed contributions of a generated membership (``synth.cooperative.simulate_cooperative``): the
    other households of a cooperative, for tests, benchmarks and the governance notebook.
    """
    spec = SPECS[use_case]
    out = []
    values = members["litres_per_person_day"].astype(float).round().clip(spec["lower"], spec["upper"])
    for i, (district, value) in enumerate(zip(members["district"].astype(str), values, strict=True)):
        payload = {
            spec["group"]: district,
            spec["value"]: float(value),
            "period": f"{release}-01-01/{release}-12-31",
        }
        results = {"use_case": use_case, "results": {"shared_payload": payload}}
        out.append(contribution_from_results(results, household=f"sim{i:06d}"))
    return out


# --- validation ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Validation(Result):
    """The contributions accepted (one row per household) and the files rejected, each with why."""

    accepted: pd.DataFrame
    rejected: pd.DataFrame

    def figures(self) -> dict[str, Figure]:
        """Accepted and rejected counts, and the reasons."""
        return {
            "contributions_accepted": figure(len(self.accepted)),
            "contributions_rejected": figure(len(self.rejected)),
            "rejected_by_reason": figure(self.rejected["reason"].value_counts().to_dict()),
        }


def _check(item: dict[str, Any], spec: dict[str, Any] | None) -> str | None:
    missing_keys = [k for k in REQUIRED if k not in item]
    if missing_keys:
        return f"schéma : champ(s) manquant(s) {', '.join(missing_keys)}"
    if item["format"] != FORMAT:
        return f"schéma : format « {item['format']} » inconnu (attendu {FORMAT})"
    if spec is None:
        return f"cas d'usage « {item['use_case']} » sans contribution prévue"
    if hashlib.sha256(canonical(item)).hexdigest() != item["sha256"]:
        return "empreinte sha256 différente : la contribution a été modifiée après son scellement"
    payload = item["payload"]
    if (
        not isinstance(payload, dict)
        or not isinstance(item["receipt"], dict)
        or item["receipt"].get("payload") != payload
    ):
        return "reçu absent ou différent de ce qui est contribué"
    value = payload.get(spec["value"])
    if isinstance(value, bool) or not isinstance(value, int | float) or not payload.get(spec["group"]):
        return f"schéma : « {spec['value']} » et « {spec['group']} » attendus dans le contenu"
    if not spec["lower"] <= float(value) <= spec["upper"]:
        return f"valeur {value} hors des bornes [{spec['lower']:g}, {spec['upper']:g}] : non bornée par le citoyen"
    return None


def _items(source: str | Path | list[dict[str, Any]]) -> list[tuple[str, Any]]:
    if isinstance(source, list):
        return [(f"contribution {i + 1}", item) for i, item in enumerate(source)]
    out: list[tuple[str, Any]] = []
    for path in sorted(Path(source).glob("*.json")):
        try:
            out.append((path.name, json.loads(path.read_text(encoding="utf-8"))))
        except (json.JSONDecodeError, UnicodeDecodeError):
            out.append((path.name, None))
    return out


def read_withdrawals(path: str | Path | None) -> set[str]:
    """Household ids whose consent is withdrawn: one per line (``#`` comments allowed)."""
    if not path:
        return set()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return {ln.split("#")[0].strip() for ln in lines if ln.split("#")[0].strip()}


def validate(
    source: str | Path | list[dict[str, Any]],
    *,
    release: str | None = None,
    withdrawals: set[str] | None = None,
) -> Validation:
    """Every contribution of ``source`` (a folder of JSON files, or a list) checked; the first of a
    household kept, later ones rejected as duplicates; withdrawn households removed.
    """
    withdrawals = withdrawals or set()
    accepted, rejected, seen = [], [], set()
    for name, item in _items(source):
        if not isinstance(item, dict):
            rejected.append({"file": name, "household": "", "reason": "JSON illisible"})
            continue
        spec = SPECS.get(str(item.get("use_case")))
        why = _check(item, spec)
        household = str(item.get("household", ""))
        if why is None and release is not None and str(item["release"]) != release:
            why = f"autre publication ({item['release']}, attendu {release})"
        if why is None and household in seen:
            why = f"doublon : le foyer {household} a déjà contribué à cette publication"
        if why is None and household in withdrawals:
            why = "consentement retiré : exclu de la publication"
        if why is not None:
            rejected.append({"file": name, "household": household, "reason": why})
            continue
        assert spec is not None
        seen.add(household)
        accepted.append(
            {
                "household": household,
                "use_case": item["use_case"],
                "release": str(item["release"]),
                "group": str(item["payload"][spec["group"]]),
                "value": float(item["payload"][spec["value"]]),
            }
        )
    return Validation(
        pd.DataFrame(accepted, columns=["household", "use_case", "release", "group", "value"]),
        pd.DataFrame(rejected, columns=["file", "household", "reason"]),
    )


# --- aggregation on an engine --------------------------------------------------------------------------------


def _bins(lower: float, upper: float, width: float) -> int:
    return int(np.ceil((upper - lower) / width))


def aggregate(
    source: pd.DataFrame | str | Path,
    *,
    engine: str = "duckdb",
    lower: float = 0.0,
    upper: float = 400.0,
    bin_width: float = 20.0,
) -> pd.DataFrame:
    """Pre-noise counts per ``group`` and ``bin`` of the households' clamped values. ``source``: a frame
    or a Parquet file/folder with ``household``, ``group``, ``value`` — one row per household, or many
    (daily values: each household's mean is its contribution). A household belongs to one group (its
    district in the release), so every engine groups by household alone. Same inputs, same counts on every
    engine.
    """
    if engine not in ENGINES:
        msg = f"moteur « {engine} » inconnu : {', '.join(ENGINES)}"
        raise ValueError(msg)
    nbins = _bins(lower, upper, bin_width)
    if engine == "pandas":
        frame = source if isinstance(source, pd.DataFrame) else pd.read_parquet(source)
        per = frame.groupby("household").agg(group=("group", "first"), value=("value", "mean")).reset_index()
        clamped = per["value"].clip(lower, upper)
        per["bin"] = np.minimum(((clamped - lower) // bin_width).astype(int), nbins - 1)
        out = per.groupby(["group", "bin"], observed=True).size().rename("count").reset_index()
    elif engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute("SET threads TO 2")
        if isinstance(source, pd.DataFrame):
            con.register("contributions", source)
            table = "contributions"
        else:
            path = Path(source)
            pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
            table = f"read_parquet('{pattern}')"
        sql = f"""
            WITH per AS (
                SELECT household, any_value("group") AS "group", avg(value) AS value FROM {table} GROUP BY household
            )
            SELECT "group", least(floor((greatest(least(value, {upper}), {lower}) - {lower}) / {bin_width}),
                                  {nbins - 1})::INTEGER AS bin, count(*) AS count
            FROM per GROUP BY 1, 2
        """
        out = con.execute(sql).df()
        con.close()
    else:
        import dask.dataframe as dd

        frame = (
            dd.from_pandas(source, npartitions=2)
            if isinstance(source, pd.DataFrame)
            else dd.read_parquet(str(source), columns=["household", "group", "value"])
        )
        per = frame.groupby("household").agg({"group": "first", "value": "mean"}).reset_index()
        per["bin"] = (
            ((per["value"].clip(lower, upper) - lower) // bin_width).astype(int).clip(upper=nbins - 1)
        )
        out = per.groupby(["group", "bin"], observed=True).size().rename("count").reset_index().compute()
    out["group"] = out["group"].astype(str)
    out["bin"] = out["bin"].astype(int)
    out["count"] = out["count"].astype(int)
    return out.sort_values(["group", "bin"]).reset_index(drop=True)


# --- the differentially private release ---------------------------------------------------------------------


def publish(
    counts: pd.DataFrame,
    groups: list[str],
    *,
    epsilon: float,
    min_contributors: int,
    lower: float,
    upper: float,
    bin_width: float,
    ledger: privacy.BudgetLedger | None = None,
    purpose: str = "histogram by group",
) -> pd.DataFrame:
    """Each group's count vector with Laplace noise of scale 1/ε (OpenDP; a household adds 1 to one bin
    of one group: L1 sensitivity 1, parallel composition over groups), clipped at 0; groups whose noisy
    number of contributors is under ``min_contributors`` suppressed. The layout of ``lyon-water-reference``.
    """
    import opendp.prelude as dp

    dp.enable_features("contrib")
    nbins = _bins(lower, upper, bin_width)
    space = (dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.l1_distance(T=float))
    meas = dp.m.make_laplace(*space, scale=1.0 / epsilon)
    lows = lower + bin_width * np.arange(nbins)
    highs = np.minimum(lows + bin_width, upper)
    rows = []
    for group in groups:
        g = counts[counts["group"] == group].set_index("bin")["count"]
        vector = g.reindex(range(nbins), fill_value=0).astype(float).tolist()
        raw = np.asarray(meas(vector), dtype=float)
        rows += privacy.release_rows(group, lows, highs, raw, min_contributors, key="district")
    if ledger is not None:
        ledger.spend(
            epsilon,
            purpose,
            mechanism="Laplace on histogram counts (OpenDP)",
            composition="parallel over disjoint groups",
            groups=len(groups),
            bounds=[lower, upper],
            bin_width=bin_width,
            min_contributors=min_contributors,
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class PoolRelease(Result):
    """A published release: the histograms, its record, where it was written."""

    histograms: pd.DataFrame
    record: dict[str, Any]
    folder: Path
    validation: Validation = field(repr=False)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def reference(self) -> pd.DataFrame:
        """The histograms as ``lyon-water-reference`` loads them (release parameters in ``attrs``)."""
        out = self.histograms.copy()
        out.attrs["release"] = self.meta
        return out

    def figures(self) -> dict[str, Figure]:
        """Contributors, groups published and suppressed, ε per contributor."""
        return {
            **self.validation.figures(),
            "groups_published": figure(
                int((~self.histograms.groupby("district")["suppressed"].first()).sum())
            ),
            "groups_suppressed": figure(int(self.histograms.groupby("district")["suppressed"].first().sum())),
            "epsilon_per_contributor": figure(self.record["epsilon"]),
        }


def pool(
    source: str | Path | list[dict[str, Any]],
    dest: str | Path,
    *,
    use_case: str = "lyon-water-district",
    release: str | None = None,
    engine: str = "duckdb",
    withdrawals: set[str] | None = None,
    groups: list[str] | None = None,
    epsilon: float | None = None,
) -> PoolRelease:
    """Validate the contributions, aggregate them on ``engine``, publish with OpenDP, and write the
    release into ``dest/<dataset>/`` (histograms, meta with the ledger, the release record).
    """
    from selfdata_lib.opendata.water import HISTOGRAM_FILE, META_FILE

    spec = SPECS[use_case]
    eps = float(epsilon if epsilon is not None else spec["epsilon"])
    checked = validate(source, release=release, withdrawals=withdrawals)
    accepted = checked.accepted[checked.accepted["use_case"] == use_case]
    names = groups or sorted(accepted["group"].unique())
    counts = aggregate(
        accepted[["household", "group", "value"]],
        engine=engine,
        lower=spec["lower"],
        upper=spec["upper"],
        bin_width=spec["bin_width"],
    )
    ledger = privacy.BudgetLedger(total_epsilon=eps)
    hist = publish(
        counts,
        names,
        epsilon=eps,
        min_contributors=spec["min_contributors"],
        lower=spec["lower"],
        upper=spec["upper"],
        bin_width=spec["bin_width"],
        ledger=ledger,
        purpose=f"{use_case}: {spec['value']} by {spec['group']}, {release or 'all'}",
    )
    before = accepted.groupby("group").size().reindex(names, fill_value=0)
    record = {
        "use_case": use_case,
        "release": release,
        "engine": engine,
        "epsilon": eps,
        "contributions_read": len(checked.accepted) + len(checked.rejected),
        "contributions_accepted": len(accepted),
        "rejected": checked.rejected.to_dict("records"),
        "contributors_by_group_before_noise": {k: int(v) for k, v in before.items()},
        "groups_suppressed": sorted(hist.loc[hist["suppressed"], "district"].unique().tolist()),
    }
    meta = {
        "lower": spec["lower"],
        "upper": spec["upper"],
        "bin_width": spec["bin_width"],
        "epsilon": eps,
        "min_contributors": spec["min_contributors"],
        "period": release or "",
        "households": len(accepted),
        "simulated": False,
        "mechanism": "Laplace noise on histogram counts (OpenDP), pooled contributions",
        "ledger": [{k: v for k, v in r.items() if k != "at"} for r in ledger.releases],
    }
    folder = Path(dest) / spec["dataset"]
    folder.mkdir(parents=True, exist_ok=True)
    hist.to_csv(folder / HISTOGRAM_FILE, index=False, float_format="%.0f")
    (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / "release.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    return PoolRelease(hist, record, folder, checked, meta)


def demo_release(
    payload: dict[str, Any], districts: list[str], *, epsilon: float = 1.0, dest: str | Path | None = None
) -> PoolRelease:
    """My contribution pooled with a generated membership of ``districts`` (the cooperative's other
    households), released with OpenDP into ``dest`` (a temporary folder by default).
    """
    import tempfile

    from selfdata_lib.synth.cooperative import simulate_cooperative

    items = simulated_contributions(simulate_cooperative(districts))
    mine = {"use_case": "lyon-water-district", "results": {"shared_payload": payload}}
    items.append(contribution_from_results(mine, household="moi"))
    folder = Path(dest) if dest else Path(tempfile.mkdtemp(prefix="cooperative-"))
    release = str(payload.get("period") or "")[-10:-6] or None
    return pool(items, folder, release=release, groups=districts, epsilon=epsilon)


# --- governance models ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Governance(Result):
    """The same water question through the five Self Data governance models."""

    table: pd.DataFrame

    def figures(self) -> dict[str, Figure]:
        """What leaves my machine and the ε spent, model by model."""
        return {
            "models": figure(self.table["modèle"].tolist()),
            "epsilon_by_model": figure(dict(zip(self.table["modèle"], self.table["ε dépensé"], strict=True))),
        }


def governance_models(payload: dict[str, Any], *, days: int, epsilon: float = 1.0) -> Governance:
    """For my water contribution (``payload``, the one figure a cooperative would receive) and my ``days``
    of daily readings: what leaves my machine, who sees what, and the ε spent, in each model — personal
    cloud, trusted third party, direct transfer between holders, data cooperative, civic data trust.
    """
    from selfdata_lib import fr

    figure_text = (
        f"1 chiffre borné : {fr.number(payload.get('litres_per_person_day') or 0)} l/personne/jour, "
        f"{payload.get('district')}"
    )
    rows = [
        (
            "Cloud personnel",
            "rien : tout est calculé chez moi",
            "moi seul",
            0.0,
            "pas de référence de quartier, sauf publiée par d'autres",
        ),
        (
            "Tiers de confiance",
            f"mes {fr.number(days)} relevés quotidiens, sous contrat",
            "le tiers voit tout ; le public, des agrégats bruités",
            epsilon,
            "il faut croire le tiers sur parole",
        ),
        (
            "Transfert direct (portabilité, art. 20)",
            f"mes {fr.number(days)} relevés, du distributeur d'eau vers le service que je choisis",
            "le service destinataire, nominativement",
            float("nan"),
            "aucune protection statistique : données identifiantes",
        ),
        (
            "Coopérative de données",
            figure_text + " et son reçu",
            "la coopérative voit mon chiffre ; le public, des histogrammes bruités",
            epsilon,
            "budget ε fixé par la coopérative, retrait possible avant chaque publication",
        ),
        (
            "Fiducie de données civique",
            figure_text + ", confié à la ville sous une charte publiée",
            "la ville fiduciaire voit mon chiffre ; le public, les histogrammes et le journal des publications",
            epsilon,
            "la charte et le journal sont publics : chacun peut vérifier l'ε dépensé",
        ),
    ]
    table = pd.DataFrame(
        rows, columns=["modèle", "ce qui quitte ma machine", "qui voit quoi", "ε dépensé", "limite"]
    )
    return Governance(table)


def interpret_governance(models: Governance, release: PoolRelease, position: Any) -> Reading:
    """The French reading of the five models and of the cooperative's release, computed from them."""
    from selfdata_lib import fr

    rec = release.record
    published = release.figures()["groups_published"].value
    head = [
        "Selon le modèle, de rien (cloud personnel) à toute ma série de relevés (tiers de confiance, transfert "
        "direct) quitte ma machine ; la coopérative et la fiducie ne reçoivent qu'un chiffre borné.",
        f"La coopérative a retenu {fr.number(rec['contributions_accepted'])} contributions et publié "
        f"{fr.plural(published, 'arrondissement')} avec ε = {fr.number(rec['epsilon'], 1)} par foyer.",
    ]
    pct = getattr(position, "percentile", None)
    if pct is not None:
        head.append(
            f"Ma consommation se situe au {fr.number(pct)}e centile de l'histogramme publié de mon arrondissement."
        )
    return Reading(head)
