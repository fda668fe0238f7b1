"""The cooperative's side: households' consented, clamped contributions pooled into published references,
on an existing engine — from one laptop to a cluster.

- A **contribution** is one small JSON per household and release (:data:`FORMAT`), written by the citizen
  from a finished run (``selfdata contribute``): the payload the notebook showed, its consent receipt, and a
  sha256 of the whole (a seal against edits on the way). The tool never sends it: the citizen hands the
  file over. A folder may also hold ``.jsonl`` files, one contribution a line.
- :data:`SPECS` says what each use case contributes and how it is published:

  ``lyon-water-district`` (``histogram``)
      litres per person and day per district; Laplace on each district's histogram (OpenDP), published in
      the layout of ``lyon-water-reference``.
  ``nantes-home-energy`` (``mean``)
      yearly residential kWh per IRIS; a noisy number of households (¼ of ε) and a noisy sum of the
      clamped kWh (¾ of ε, sensitivity 30,000 kWh), both Laplace through OpenDP, the mean their ratio;
      published per year in the columns of Enedis' ``enedis-residential-iris`` so that its reader loads it.
      A mean from the 500 kWh histogram was measured worse (simulated IRIS of 100 households: 1,500 kWh
      RMSE against 640 for the sum and count), so no histogram is published.
  ``larochelle-mobility-contribution`` (``od``)
      trips as origin–destination cells; central-DP contributions (counts clamped to ``max_trips`` by the
      citizen) are summed and get Laplace noise of scale ``max_trips / ε`` (OpenDP), cells under the level
      noise alone would reach somewhere on the grid suppressed; local-DP contributions (one randomised cell each) are debiased per ε, and a
      cell is published only with enough reports that chance alone would not reach it.
  ``portability-observatory`` (``holders``)
      per request: holder, right, month, delay, status, whether data came, machine-readable, complete;
      published per holder **with a threshold, not noise** (:func:`publish_holders` says why).

- :func:`validate` checks each one — schema, seal, receipt matching the payload, bounds, duplicate
  household, withdrawn consent — and says why each rejected file never enters a release.
- The aggregations (:func:`aggregate`, :func:`aggregate_sums`, :func:`aggregate_cells`,
  :func:`aggregate_holders`) run on an engine: ``pandas`` (the baseline), ``duckdb`` (embedded SQL over
  Parquet, out of core; the default) or ``dask`` (the same pipeline on a cluster: a ``dask.distributed``
  client pointed at a scheduler, nothing else changes). Engines only aggregate clamped contributions; the
  noise is OpenDP's.
- :func:`pool` does it all for one use case, release by release, and writes the release with its record
  and a ``_provenance.json``; :func:`pool_all` pools every use case found in a folder.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np
import pandas as pd

from selfdata_lib.analysis import privacy
from selfdata_lib.results import Figure, Reading, Result, figure

FORMAT = "selfdata-contribution/1"
#: What each use case contributes: the recorded result it comes from, how it is published, its bounds,
#: its ε, the dataset folder of the release.
SPECS: dict[str, dict[str, Any]] = {
    "lyon-water-district": {
        "kind": "histogram",
        "result": "shared_payload",
        "value": "litres_per_person_day",
        "group": "district",
        "lower": 0.0,
        "upper": 400.0,
        "bin_width": 20.0,
        "unit": "l/personne/jour",
        "epsilon": 1.0,
        "min_contributors": 20,
        "dataset": "lyon-water-reference",
    },
    "nantes-home-energy": {
        "kind": "mean",
        "result": "shared_payload",
        "value": "annual_kwh",
        "group": "iris",
        "group_pattern": r"(\d{2}|2[AB])\d{7}",  # Corsica's IRIS start with 2A or 2B
        "lower": 0.0,
        "upper": 30000.0,
        "unit": "kWh/an",
        "epsilon": 1.0,
        "count_share": 0.25,
        "min_contributors": 20,
        "dataset": "cooperative-energy-reference",
    },
    "larochelle-mobility-contribution": {
        "kind": "od",
        "result": "payload",
        "max_trips": 60,
        "cell_km": 3.0,
        "epsilon": 1.0,
        "max_epsilon": 10.0,
        "dataset": "cooperative-mobility-od",
    },
    "portability-observatory": {
        "kind": "holders",
        "result": "contribution_payload",
        "max_delay_days": 365,
        "max_rows": 100,
        "min_participants": 30,
        "dataset": "portability-observatory-release",
    },
}
REQUIRED = ("format", "use_case", "release", "household", "payload", "receipt", "sha256")
ENGINES = ("pandas", "duckdb", "dask")
#: Files of a release (besides the dataset's own): the release record and the provenance.
RELEASE_FILE = "release.json"
ENERGY_FILE = "consommation-electrique-par-secteur-dactivite-iris_cooperative.csv"
OD_FILE = "od_matrix.csv"
HOLDERS_FILE = "observatory_holders.csv"
#: The keys of one observatory row, as :func:`selfdata_lib.analysis.portability.contribution_rows` writes it.
HOLDER_ROW_KEYS = (
    "holder",
    "right",
    "month",
    "delay_days",
    "status",
    "data_received",
    "machine_readable",
    "complete",
)


class ContributionError(ValueError):
    """A run has nothing to contribute, or a contribution cannot be read (French message)."""


def canonical(contribution: dict[str, Any]) -> bytes:
    """The bytes the seal is computed on: the contribution without its ``sha256``, keys sorted."""
    body = {k: v for k, v in contribution.items() if k != "sha256"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def seal(contribution: dict[str, Any]) -> dict[str, Any]:
    """The contribution with its ``sha256``."""
    return {**contribution, "sha256": hashlib.sha256(canonical(contribution)).hexdigest()}


def _has_content(spec: dict[str, Any], payload: Any) -> bool:
    kind = spec["kind"]
    if kind in ("histogram", "mean"):
        return (
            isinstance(payload, dict)
            and payload.get(spec["value"]) is not None
            and bool(payload.get(spec["group"]))
        )
    if kind == "od":
        return isinstance(payload, dict) and bool(payload.get("cellules") or payload.get("cellule"))
    return isinstance(payload, list) and bool(payload)


def _release_of(results: dict[str, Any], payload: Any) -> str:
    """The year of the release: the payload's period, else its latest month, else the end of the run's
    inputs, else the day it ran.
    """
    if isinstance(payload, dict) and payload.get("period"):
        return str(payload["period"]).split("/")[-1][:4]
    if isinstance(payload, list):
        months = [str(r.get("month") or "") for r in payload if isinstance(r, dict)]
        if any(months):
            return max(months)[:4]
    lasts = [str(i.get("last") or "") for i in results.get("inputs") or [] if isinstance(i, dict)]
    if any(lasts):
        return max(lasts)[:4]
    return str(results.get("started", ""))[:4]


def _receipt(use_case: str, spec: dict[str, Any], payload: Any, results: dict[str, Any]) -> dict[str, Any]:
    """The consent receipt's terms for a contribution of ``use_case`` (French)."""
    kind = spec["kind"]
    keep = "jusqu'à la publication annuelle, puis suppression du chiffre individuel"
    if kind == "histogram":
        return {
            "purpose": f"référence par {spec['group']} ({use_case}), histogramme différentiellement privé",
            "recipient": "coopérative de données citoyenne",
            "payload": payload,
            "epsilon": spec["epsilon"],
            "mechanism": "Laplace sur les comptes de l'histogramme (OpenDP)",
            "retention": keep,
        }
    if kind == "mean":
        return {
            "purpose": f"consommation moyenne par IRIS ({use_case}), nombre de foyers et somme différentiellement privés",
            "recipient": "coopérative de données citoyenne",
            "payload": payload,
            "epsilon": spec["epsilon"],
            "mechanism": "Laplace sur le nombre de foyers et sur la somme bornée des kWh de chaque IRIS (OpenDP)",
            "retention": keep,
        }
    if kind == "od":
        from selfdata_lib.analysis.contribution import MECHANISMS

        res = results.get("results") or {}
        mechanism = str(res.get("mechanism") or "central")
        return {
            "purpose": "matrice origine–destination de l'agglomération de La Rochelle",
            "recipient": "coopérative de données de mobilité de l'agglomération",
            "payload": payload,
            "epsilon": float(res.get("epsilon") or spec["epsilon"]),
            "mechanism_id": mechanism,
            "mechanism": MECHANISMS.get(mechanism, mechanism),
            "max_trips": spec["max_trips"],
            "retention": "jusqu'à la publication suivante (un an au plus), puis effacée",
        }
    return {
        "purpose": "observatoire de la réponse des détenteurs aux demandes d'accès et de portabilité",
        "recipient": "observatoire citoyen de la portabilité",
        "payload": payload,
        "epsilon": None,
        "mechanism": f"chiffres par détenteur publiés seulement à partir de {spec['min_participants']} "
        "participants distincts (seuil, sans bruit)",
        "retention": "jusqu'à la publication suivante, puis suppression des lignes individuelles",
    }


def contribution_from_results(
    results: dict[str, Any],
    *,
    household: str | None = None,
    release: str | None = None,
    simulated: bool = False,
) -> dict[str, Any]:
    """The sealed contribution of a finished run (its ``results.json``): the payload it showed (the result
    named in :data:`SPECS`), the consent receipt's terms, a random household id (kept by the citizen to
    withdraw later). ``simulated`` marks a generated household's contribution.
    """
    use_case = str(results.get("use_case") or "")
    spec = SPECS.get(use_case)
    if spec is None:
        known = ", ".join(SPECS)
        msg = f"le cas d'usage « {use_case} » ne prévoit pas de contribution (cas qui en prévoient : {known})"
        raise ContributionError(msg)
    payload = (results.get("results") or {}).get(spec["result"])
    if not _has_content(spec, payload):
        msg = (
            f"la contribution serait vide : le run n'a pas calculé ce qu'il partagerait (résultat "
            f"« {spec['result']} » absent ou vide, voir son rapport)"
        )
        raise ContributionError(msg)
    item = {
        "format": FORMAT,
        "use_case": use_case,
        "release": release or _release_of(results, payload),
        "household": household or secrets.token_hex(8),
        "payload": payload,
        "receipt": _receipt(use_case, spec, payload, results),
    }
    if simulated:
        item["simulated"] = True
    return seal(item)


def write_contribution(results_path: str | Path, dest: str | Path) -> Path:
    """Write the contribution of the run whose ``results.json`` is given into the folder ``dest``."""
    results = json.loads(Path(results_path).read_text(encoding="utf-8"))
    contribution = contribution_from_results(results)
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{contribution['use_case']}_{contribution['release']}_{contribution['household']}.json"
    path.write_text(json.dumps(contribution, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_jsonl(items: list[dict[str, Any]], path: str | Path) -> Path:
    """Contributions into one ``.jsonl`` file, one a line (keys sorted: the same items, the same bytes)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def simulated_contributions(
    members: pd.DataFrame,
    *,
    use_case: str = "lyon-water-district",
    release: str = "2025",
    seed: int = 0,
    mechanism: str = "central",
    epsilon: float | None = None,
) -> list[dict[str, Any]]:
    """Sealed contributions of generated households, for tests, benchmarks, notebooks and examples:

    - water: a membership of :func:`selfdata_lib.synth.cooperative.simulate_cooperative`;
    - energy: one of :func:`selfdata_lib.synth.cooperative.simulate_energy_cooperative`;
    - mobility: a population's trips (:func:`selfdata_lib.synth.commuters.population`), each person's
      payload as the notebook builds it (``mechanism``, ``epsilon``);
    - observatory: a campaign (:func:`selfdata_lib.synth.requests.simulate_campaign`), each participant's
      requests judged and shared as :func:`selfdata_lib.analysis.portability.my_contribution` does.
    """
    spec = SPECS[use_case]
    kind = spec["kind"]
    if kind in ("histogram", "mean"):
        values = members[spec["value"]].astype(float).round().clip(spec["lower"], spec["upper"])
        payloads: dict[str, Any] = {
            f"sim{i:06d}": {
                spec["group"]: group,
                spec["value"]: float(value),
                "period": f"{release}-01-01/{release}-12-31",
            }
            for i, (group, value) in enumerate(zip(members[spec["group"]].astype(str), values, strict=True))
        }
        extra: dict[str, Any] = {}
    elif kind == "od":
        from selfdata_lib.analysis.contribution import population_payloads

        eps = float(epsilon if epsilon is not None else spec["epsilon"])
        found = population_payloads(
            members,
            mechanism=mechanism,
            epsilon=eps,
            max_trips=spec["max_trips"],
            cell_km=spec["cell_km"],
            seed=seed,
        )
        payloads = {f"sim{int(k):06d}": v for k, v in found.items()}
        extra = {"mechanism": mechanism, "epsilon": eps}
    else:
        from selfdata_lib.analysis.portability import campaign_payloads

        payloads = {f"sim-{k}": v for k, v in campaign_payloads(members).items()}
        extra = {}
    out = []
    for household, payload in payloads.items():
        results = {"use_case": use_case, "results": {spec["result"]: payload, **extra}}
        rel = None if kind == "holders" else release
        out.append(contribution_from_results(results, household=household, release=rel, simulated=True))
    return out


# --- validation ---------------------------------------------------------------------------------------------

ACCEPTED_COLUMNS = ["household", "use_case", "release", "group", "value", "simulated", "payload"]


@dataclass(frozen=True)
class Validation(Result):
    """The contributions accepted (one row per household and release) and the files rejected, each with
    why. ``accepted``: ``household``, ``use_case``, ``release``, ``group`` and ``value`` (the group and the
    clamped figure for water and energy; the mechanism and the ε consented for mobility; ``""`` and the
    number of requests for the observatory), ``simulated`` and the ``payload`` itself.
    """

    accepted: pd.DataFrame
    rejected: pd.DataFrame

    def figures(self) -> dict[str, Figure]:
        """Accepted and rejected counts, and the reasons."""
        return {
            "contributions_accepted": figure(len(self.accepted)),
            "contributions_rejected": figure(len(self.rejected)),
            "rejected_by_reason": figure(self.rejected["reason"].value_counts().to_dict()),
        }

    def of(self, use_case: str) -> Validation:
        """Only the contributions of ``use_case`` (and the files whose use case could not be read)."""
        rej = self.rejected
        return Validation(
            self.accepted[self.accepted["use_case"] == use_case].reset_index(drop=True),
            rej[rej["use_case"].isin([use_case, ""])].reset_index(drop=True),
        )


@functools.lru_cache(maxsize=4)
def _od_domain(cell_km: float) -> frozenset[str]:
    from selfdata_lib.analysis.contribution import domain

    return frozenset(domain(cell_km))


def _is_number(value: Any) -> TypeGuard[int | float]:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _check_scalar(spec: dict[str, Any], payload: Any) -> str | None:
    value = payload.get(spec["value"]) if isinstance(payload, dict) else None
    group = payload.get(spec["group"]) if isinstance(payload, dict) else None
    if not _is_number(value) or not group:
        return f"schéma : « {spec['value']} » et « {spec['group']} » attendus dans le contenu"
    pattern = spec.get("group_pattern")
    if pattern and not re.fullmatch(pattern, str(group)):
        return f"schéma : « {group} » n'est pas un code {spec['group'].upper()} (9 caractères attendus, ex. 441090901 ou 2A0040000)"
    if not spec["lower"] <= float(value) <= spec["upper"]:
        return f"valeur {value} hors des bornes [{spec['lower']:g}, {spec['upper']:g}] : non bornée par le citoyen"
    return None


def _check_od(spec: dict[str, Any], payload: Any, receipt: dict[str, Any]) -> str | None:
    mechanism, eps = receipt.get("mechanism_id"), receipt.get("epsilon")
    if mechanism not in ("central", "local"):
        return f"reçu : mécanisme « {mechanism} » inconnu (attendu central ou local)"
    if not _is_number(eps) or not 0 < eps <= spec["max_epsilon"]:
        return f"reçu : ε = {eps} hors de ]0, {spec['max_epsilon']:g}]"
    cells = _od_domain(spec["cell_km"])
    grid = f"hors de la grille de {spec['cell_km']:g} km de l'agglomération"
    if not isinstance(payload, dict):
        return "schéma : un objet « cellules » (DP centrale) ou « cellule » (DP locale) attendu"
    if mechanism == "local":
        cell = payload.get("cellule")
        if not isinstance(cell, str) or set(payload) != {"cellule"}:
            return "schéma : une seule « cellule » attendue en DP locale"
        return None if cell in cells else f"cellule « {cell} » {grid}"
    counts = payload.get("cellules")
    if not isinstance(counts, dict) or not counts or set(payload) != {"cellules"}:
        return "schéma : des « cellules » avec leurs comptes attendues en DP centrale"
    for key, count in counts.items():
        if key not in cells:
            return f"cellule « {key} » {grid}"
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            return f"compte {count!r} de la cellule « {key} » : un entier positif attendu"
    total = sum(counts.values())
    if total > spec["max_trips"]:
        return f"{total} trajets : plus que la borne de {spec['max_trips']} par personne (comptes non bornés)"
    return None


def _check_holders(spec: dict[str, Any], payload: Any) -> str | None:
    from selfdata_lib.analysis.portability import ANSWERED, STATUS_FR

    if not isinstance(payload, list) or not payload:
        return "schéma : une liste de demandes attendue"
    if len(payload) > spec["max_rows"]:
        return f"{len(payload)} demandes : plus que la borne de {spec['max_rows']} par participant"
    top = spec["max_delay_days"]
    for i, row in enumerate(payload, start=1):
        if not isinstance(row, dict) or set(row) != set(HOLDER_ROW_KEYS):
            return f"demande {i} : schéma, champs attendus {', '.join(HOLDER_ROW_KEYS)}"
        holder, delay, status = row["holder"], row["delay_days"], row["status"]
        if not isinstance(holder, str) or not holder.strip() or len(holder) > 200:
            return f"demande {i} : détenteur vide ou trop long"
        if row["right"] not in ("access", "portability"):
            return f"demande {i} : droit « {row['right']} » inconnu (access ou portability attendu)"
        if not isinstance(row["month"], str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", row["month"]):
            return f"demande {i} : mois « {row['month']} » (AAAA-MM attendu)"
        if status not in STATUS_FR:
            return f"demande {i} : statut « {status} » inconnu"
        for key in ("data_received", "machine_readable", "complete"):
            if not isinstance(row[key], bool):
                return f"demande {i} : « {key} » doit valoir vrai ou faux"
        if status in ANSWERED:
            if not _is_number(delay) or not 0 <= delay <= top:
                return f"demande {i} : délai {delay} hors des bornes [0, {top}] jours"
        elif delay is not None or row["data_received"]:
            return f"demande {i} : sans réponse, elle ne peut avoir ni délai ni données"
        if (row["machine_readable"] or row["complete"]) and not row["data_received"]:
            return f"demande {i} : lisible par machine ou complète sans données reçues"
    return None


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
    payload, receipt = item["payload"], item["receipt"]
    if not isinstance(receipt, dict) or receipt.get("payload") != payload or payload is None:
        return "reçu absent ou différent de ce qui est contribué"
    if spec["kind"] in ("histogram", "mean"):
        return _check_scalar(spec, payload)
    if spec["kind"] == "od":
        return _check_od(spec, payload, receipt)
    return _check_holders(spec, payload)


def _items(source: str | Path | list[dict[str, Any]]) -> list[tuple[str, Any]]:
    if isinstance(source, list):
        return [(f"contribution {i + 1}", item) for i, item in enumerate(source)]
    folder = Path(source)
    if not folder.is_dir():
        msg = f"{folder} : un dossier de contributions (fichiers .json ou .jsonl) attendu"
        raise ContributionError(msg)
    out: list[tuple[str, Any]] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".json", ".jsonl")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            out.append((path.name, None))
            continue
        lines = [(f"{path.name}:{n}", ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip()]
        for name, chunk in lines if path.suffix == ".jsonl" else [(path.name, text)]:
            try:
                out.append((name, json.loads(chunk)))
            except json.JSONDecodeError:
                out.append((name, None))
    return out


def read_withdrawals(path: str | Path | None) -> set[str]:
    """Household ids whose consent is withdrawn: one per line (``#`` comments allowed)."""
    if not path:
        return set()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return {ln.split("#")[0].strip() for ln in lines if ln.split("#")[0].strip()}


def _accepted_row(item: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    payload = item["payload"]
    if spec["kind"] in ("histogram", "mean"):
        group, value = str(payload[spec["group"]]), float(payload[spec["value"]])
    elif spec["kind"] == "od":
        group, value = str(item["receipt"]["mechanism_id"]), float(item["receipt"]["epsilon"])
    else:
        group, value = "", float(len(payload))
    return {
        "household": str(item["household"]),
        "use_case": item["use_case"],
        "release": str(item["release"]),
        "group": group,
        "value": value,
        "simulated": bool(item.get("simulated", False)),
        "payload": payload,
    }


def validate(
    source: str | Path | list[dict[str, Any]],
    *,
    release: str | None = None,
    withdrawals: set[str] | None = None,
) -> Validation:
    """Every contribution of ``source`` (a folder of ``.json``/``.jsonl`` files, or a list) checked; the
    first of a household in a release kept, later ones rejected as duplicates; withdrawn households removed.
    """
    withdrawals = withdrawals or set()
    accepted, rejected, seen = [], [], set()
    for name, item in _items(source):
        if not isinstance(item, dict):
            rejected.append({"file": name, "household": "", "use_case": "", "reason": "JSON illisible"})
            continue
        use_case = str(item.get("use_case", ""))
        spec = SPECS.get(use_case)
        why = _check(item, spec)
        household = str(item.get("household", ""))
        key = (use_case, str(item.get("release")), household)
        if why is None and release is not None and str(item["release"]) != release:
            why = f"autre publication ({item['release']}, attendu {release})"
        if why is None and key in seen:
            why = f"doublon : le foyer {household} a déjà contribué à cette publication"
        if why is None and household in withdrawals:
            why = "consentement retiré : exclu de la publication"
        if why is not None:
            rejected.append({"file": name, "household": household, "use_case": use_case, "reason": why})
            continue
        assert spec is not None
        seen.add(key)
        accepted.append(_accepted_row(item, spec))
    return Validation(
        pd.DataFrame(accepted, columns=ACCEPTED_COLUMNS),
        pd.DataFrame(rejected, columns=["file", "household", "use_case", "reason"]),
    )


# --- aggregation on an engine --------------------------------------------------------------------------------


def _bins(lower: float, upper: float, width: float) -> int:
    return int(np.ceil((upper - lower) / width))


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        msg = f"moteur « {engine} » inconnu : {', '.join(ENGINES)}"
        raise ValueError(msg)


def _duckdb_table(con: Any, source: pd.DataFrame | str | Path) -> str:
    """A name the SQL can read ``source`` as: a registered frame, or Parquet file(s)."""
    if isinstance(source, pd.DataFrame):
        con.register("contributions", source)
        return "contributions"
    path = Path(source)
    pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
    return f"read_parquet('{pattern}')"


def _duckdb(source: pd.DataFrame | str | Path, sql: str) -> pd.DataFrame:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    try:
        return con.execute(sql.format(table=_duckdb_table(con, source))).df()
    finally:
        con.close()


def _dask(source: pd.DataFrame | str | Path, columns: list[str]) -> Any:
    import dask.dataframe as dd

    if isinstance(source, pd.DataFrame):
        return dd.from_pandas(source[columns], npartitions=2)
    return dd.read_parquet(str(source), columns=columns)


def _frame(source: pd.DataFrame | str | Path) -> pd.DataFrame:
    return source if isinstance(source, pd.DataFrame) else pd.read_parquet(source)


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
    _check_engine(engine)
    nbins = _bins(lower, upper, bin_width)
    if engine == "pandas":
        frame = _frame(source)
        per = frame.groupby("household").agg(group=("group", "first"), value=("value", "mean")).reset_index()
        clamped = per["value"].clip(lower, upper)
        per["bin"] = np.minimum(((clamped - lower) // bin_width).astype(int), nbins - 1)
        out = per.groupby(["group", "bin"], observed=True).size().rename("count").reset_index()
    elif engine == "duckdb":
        sql = f"""
            WITH per AS (
                SELECT household, any_value("group") AS "group", avg(value) AS value FROM {{table}} GROUP BY household
            )
            SELECT "group", least(floor((greatest(least(value, {upper}), {lower}) - {lower}) / {bin_width}),
                                  {nbins - 1})::INTEGER AS bin, count(*) AS count
            FROM per GROUP BY 1, 2
        """
        out = _duckdb(source, sql)
    else:
        frame = _dask(source, ["household", "group", "value"])
        per = frame.groupby("household").agg({"group": "first", "value": "mean"}).reset_index()
        per["bin"] = (
            ((per["value"].clip(lower, upper) - lower) // bin_width).astype(int).clip(upper=nbins - 1)
        )
        out = per.groupby(["group", "bin"], observed=True).size().rename("count").reset_index().compute()
    out["group"] = out["group"].astype(str)
    out["bin"] = out["bin"].astype(int)
    out["count"] = out["count"].astype(int)
    return out.sort_values(["group", "bin"]).reset_index(drop=True)


def aggregate_sums(
    source: pd.DataFrame | str | Path, *, engine: str = "duckdb", lower: float = 0.0, upper: float = 30000.0
) -> pd.DataFrame:
    """Pre-noise ``contributors`` and ``clamped_sum`` per ``group``: each household's mean value (one row
    per household, or many) clamped to [``lower``, ``upper``], summed. Same inputs, same sums on every
    engine (to the float rounding of a sum).
    """
    _check_engine(engine)
    if engine == "pandas":
        frame = _frame(source)
        per = frame.groupby("household").agg(group=("group", "first"), value=("value", "mean"))
        per["value"] = per["value"].clip(lower, upper)
        out = (
            per.groupby("group")
            .agg(contributors=("value", "size"), clamped_sum=("value", "sum"))
            .reset_index()
        )
    elif engine == "duckdb":
        sql = f"""
            WITH per AS (
                SELECT household, any_value("group") AS "group", avg(value) AS value FROM {{table}} GROUP BY household
            )
            SELECT "group", count(*) AS contributors, sum(greatest(least(value, {upper}), {lower})) AS clamped_sum
            FROM per GROUP BY 1
        """
        out = _duckdb(source, sql)
    else:
        frame = _dask(source, ["household", "group", "value"])
        per = frame.groupby("household").agg({"group": "first", "value": "mean"}).reset_index()
        per["value"] = per["value"].clip(lower, upper)
        out = per.groupby("group").agg({"value": ["size", "sum"]}).compute()
        out.columns = ["contributors", "clamped_sum"]
        out = out.reset_index()
    out["group"] = out["group"].astype(str)
    out["contributors"] = out["contributors"].astype(int)
    out["clamped_sum"] = out["clamped_sum"].astype(float)
    return out.sort_values("group").reset_index(drop=True)


def aggregate_cells(source: pd.DataFrame | str | Path, *, engine: str = "duckdb") -> pd.DataFrame:
    """Pre-noise ``trips`` and ``contributors`` per ``group`` (``central``, or ``local ε=…``) and
    origin–destination ``cell``, from one row per household and cell (``household``, ``group``, ``cell``,
    ``count``; counts already clamped by the citizen, checked by :func:`validate`).
    """
    _check_engine(engine)
    if engine == "pandas":
        frame = _frame(source)
        out = (
            frame.groupby(["group", "cell"])
            .agg(trips=("count", "sum"), contributors=("household", "nunique"))
            .reset_index()
        )
    elif engine == "duckdb":
        sql = """
            SELECT "group", cell, sum("count") AS trips, count(DISTINCT household) AS contributors
            FROM {table} GROUP BY 1, 2
        """
        out = _duckdb(source, sql)
    else:
        frame = _dask(source, ["household", "group", "cell", "count"])
        grouped = frame.groupby(["group", "cell"])
        trips = grouped["count"].sum().rename("trips")
        people = grouped["household"].nunique().rename("contributors")
        out = pd.concat([trips.compute(), people.compute()], axis=1).reset_index()
    out["trips"] = out["trips"].astype(int)
    out["contributors"] = out["contributors"].astype(int)
    return out.sort_values(["group", "cell"]).reset_index(drop=True)


def aggregate_holders(source: pd.DataFrame | str | Path, *, engine: str = "duckdb") -> pd.DataFrame:
    """Per ``holder``, from one row per request (``household`` — the participant —, ``holder``,
    ``status``, ``delay_days``, ``data_received``, ``machine_readable``): distinct ``participants``,
    ``requests``, ``due`` (deadline passed), ``within_month``, ``answered``, ``with_data`` (answered with
    data), ``machine_readable`` (of those) and the ``median_delay_days`` of the answers — the counts
    :func:`selfdata_lib.analysis.portability.holder_table` divides.
    """
    from selfdata_lib.analysis.portability import ANSWERED

    _check_engine(engine)
    answered = "', '".join(ANSWERED)
    cols = ["participants", "requests", "due", "within_month", "answered", "with_data", "machine_readable"]
    if engine == "duckdb":
        sql = f"""
            WITH r AS (
                SELECT household, holder, status != 'pending' AS due, status = 'within_month' AS within,
                       status IN ('{answered}') AS answered, delay_days, data_received, machine_readable
                FROM {{table}}
            )
            SELECT holder, count(DISTINCT household) AS participants, count(*) AS requests,
                   sum(due::INTEGER) AS due, sum(within::INTEGER) AS within_month,
                   sum(answered::INTEGER) AS answered, sum((answered AND data_received)::INTEGER) AS with_data,
                   sum((answered AND data_received AND machine_readable)::INTEGER) AS machine_readable,
                   median(CASE WHEN answered THEN delay_days END) AS median_delay_days
            FROM r GROUP BY holder
        """
        out = _duckdb(source, sql)
    else:
        columns = ["household", "holder", "status", "delay_days", "data_received", "machine_readable"]
        frame = _frame(source)[columns] if engine == "pandas" else _dask(source, columns)
        ans = frame["status"].isin(list(ANSWERED))
        with_data = ans & frame["data_received"].astype(bool)
        r = frame.assign(
            due=(frame["status"] != "pending").astype(int),
            within_month=(frame["status"] == "within_month").astype(int),
            answered=ans.astype(int),
            with_data=with_data.astype(int),
            machine_readable=(with_data & frame["machine_readable"].astype(bool)).astype(int),
            delay=frame["delay_days"].astype(float).where(ans),
            one=1,
        )
        grouped = r.groupby("holder")
        sums = grouped[["one", "due", "within_month", "answered", "with_data", "machine_readable"]].sum()
        parts: list[Any] = [
            sums.rename(columns={"one": "requests"}),
            grouped["household"].nunique().rename("participants"),
            grouped["delay"].median().rename("median_delay_days"),
        ]
        if engine == "dask":
            parts = [part.compute() for part in parts]
        out = pd.concat(parts, axis=1).reset_index()
    for c in cols:
        out[c] = out[c].fillna(0).astype(int)
    out["median_delay_days"] = out["median_delay_days"].astype(float)
    return out[["holder", *cols, "median_delay_days"]].sort_values("holder").reset_index(drop=True)


def od_group(mechanism: str, epsilon: float) -> str:
    """The group a mobility contribution is aggregated in: ``central``, or ``local ε=…`` (local reports
    are debiased per ε).
    """
    return "central" if mechanism == "central" else f"local ε={epsilon:g}"


def long_rows(accepted: pd.DataFrame, use_case: str) -> pd.DataFrame:
    """The accepted contributions of ``use_case`` as the long rows its engine aggregates: ``household``,
    ``group``, ``value`` (water, energy); ``household``, ``group``, ``cell``, ``count`` (mobility);
    ``household`` and the request's fields (observatory).
    """
    kind = SPECS[use_case]["kind"]
    mine = accepted[accepted["use_case"] == use_case]
    if kind in ("histogram", "mean"):
        return mine[["household", "group", "value"]].reset_index(drop=True)
    rows: list[dict[str, Any]] = []
    records: list[dict[Any, Any]] = mine.to_dict("records")
    if kind == "od":
        for r in records:
            group = od_group(r["group"], r["value"])
            cells = r["payload"].get("cellules") or {r["payload"]["cellule"]: 1}
            rows += [
                {"household": r["household"], "group": group, "cell": k, "count": int(v)}
                for k, v in cells.items()
            ]
        return pd.DataFrame(rows, columns=["household", "group", "cell", "count"])
    for r in records:
        rows += [{"household": r["household"], **row} for row in r["payload"]]
    frame = pd.DataFrame(rows, columns=["household", *HOLDER_ROW_KEYS])
    frame["delay_days"] = frame["delay_days"].astype(float)
    return frame


# --- the published releases ---------------------------------------------------------------------------------


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


def publish_means(
    sums: pd.DataFrame,
    groups: list[str],
    *,
    epsilon: float,
    count_share: float,
    min_contributors: int,
    upper: float,
    ledger: privacy.BudgetLedger | None = None,
    purpose: str = "mean by group",
) -> pd.DataFrame:
    """Per group: the number of households with Laplace noise of scale 1/(ε·``count_share``) and the sum of
    their clamped values with Laplace noise of scale ``upper``/(ε·(1 − ``count_share``)) — both OpenDP
    (a household changes the count by 1 and the sum by at most ``upper``; sequential composition of the
    two, parallel over groups). The mean is their ratio (post-processing), with its noise's standard
    deviation √2·scale/count; groups under ``min_contributors`` noisy households suppressed.
    """
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = (dp.atom_domain(T=float, nan=False), dp.absolute_distance(T=float))
    count_scale = 1.0 / (epsilon * count_share)
    sum_scale = upper / (epsilon * (1 - count_share))
    count_meas = dp.m.make_laplace(*space, scale=count_scale)
    sum_meas = dp.m.make_laplace(*space, scale=sum_scale)
    indexed = sums.set_index("group")
    rows = []
    for group in groups:
        n = float(indexed["contributors"].get(group, 0))
        total = float(indexed["clamped_sum"].get(group, 0.0))
        noisy_n, noisy_sum = float(count_meas(n)), float(sum_meas(total))
        suppressed = noisy_n < min_contributors
        sites = max(1, round(noisy_n))
        rows.append(
            {
                "group": group,
                "noisy_contributors": np.nan if suppressed else sites,
                "noisy_sum": np.nan if suppressed else max(noisy_sum, 0.0),
                "noisy_mean": np.nan if suppressed else max(noisy_sum, 0.0) / sites,
                "mean_noise_sd": np.nan if suppressed else math.sqrt(2) * sum_scale / sites,
                "suppressed": suppressed,
            }
        )
    if ledger is not None:
        for eps, what, scale in (
            (epsilon * count_share, "households", count_scale),
            (epsilon * (1 - count_share), "clamped sum", sum_scale),
        ):
            ledger.spend(
                eps,
                f"{purpose}: {what}",
                mechanism="Laplace (OpenDP)",
                scale=scale,
                composition="parallel over disjoint groups",
                groups=len(groups),
            )
    return pd.DataFrame(
        rows,
        columns=["group", "noisy_contributors", "noisy_sum", "noisy_mean", "mean_noise_sd", "suppressed"],
    )


def publish_cells(
    cells: pd.DataFrame,
    *,
    epsilon: float,
    max_trips: int,
    cell_km: float,
    ledger: privacy.BudgetLedger | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The origin–destination matrix of the pre-noise ``cells`` (:func:`aggregate_cells`):

    - ``central``: the clamped sums over the whole grid with Laplace noise of scale ``max_trips / ε``
      (OpenDP, :func:`selfdata_lib.analysis.contribution.central_release`), cells under
      :func:`~selfdata_lib.analysis.contribution.noise_threshold` suppressed (fewer than 0.05 empty cells
      expected to show over the whole grid);
    - each ``local ε=…`` group: the reports debiased
      (:func:`selfdata_lib.analysis.contribution.debias_reports`), a cell published only with at least
      :func:`~selfdata_lib.analysis.contribution.reports_needed` reports (no ε spent by the cooperative:
      each report was randomised on the citizen's machine).

    Returns the published cells (``mechanism``, ``origin``, ``destination``, ``band``, ``mode``,
    ``trips``) and, per group, the counts before and after suppression.
    """
    from selfdata_lib.analysis import contribution as od

    domain = od.domain(cell_km)
    published, summary = [], {}
    for group, part in cells.groupby("group", sort=True):
        totals = part.set_index("cell")["trips"].reindex(domain, fill_value=0).astype(float)
        if group == "central":
            scale = max_trips / epsilon
            tau = od.noise_threshold(scale, len(domain))
            noisy = od.central_release(totals, epsilon=epsilon, max_trips=max_trips, threshold=tau)
            if ledger is not None:
                ledger.spend(epsilon, "origin–destination matrix", mechanism="Laplace (OpenDP)", scale=scale)
            rule = f"bruit de Laplace d'échelle {scale:g}, cellules sous {tau:.0f} trajets retirées"
        else:
            eps = float(str(group).split("=")[1])
            estimate, _ = od.debias_reports(totals.to_numpy(), epsilon=eps)
            need = od.reports_needed(int(totals.sum()), epsilon=eps, categories=len(domain))
            noisy = pd.Series(
                np.where(totals.to_numpy() >= need, np.clip(estimate, 0, None), 0.0), index=domain
            )
            rule = f"réponses randomisées débiaisées ; une cellule publiée à partir de {need} réponses"
        kept = noisy[noisy > 0].round()
        summary[str(group)] = {
            "trips_before_noise": int(totals.sum()),
            "cells_before_noise": int((totals > 0).sum()),
            "cells_published": int((kept > 0).sum()),
            "trips_published": int(kept.sum()),
            "rule": rule,
        }
        for key, value in kept[kept > 0].items():
            od_part, band, mode = str(key).split("|")
            origin, destination = od_part.split(">")
            published.append(
                {
                    "mechanism": group,
                    "origin": origin,
                    "destination": destination,
                    "band": band,
                    "mode": mode,
                    "trips": int(value),
                }
            )
    columns = ["mechanism", "origin", "destination", "band", "mode", "trips"]
    return pd.DataFrame(published, columns=columns), summary


def publish_holders(aggregates: pd.DataFrame, *, min_participants: int) -> pd.DataFrame:
    """The observatory's release per holder: the median delay of the answers, the share answered within
    the month (of requests whose deadline passed) and the share machine-readable (of answers with data),
    for holders with at least ``min_participants`` distinct participants; the others listed unpublished.

    **A threshold, not noise.** Holders are organisations: their behaviour is what is published, and the
    participant is what is protected — by what leaves their machine (a month, a delay, three booleans, no
    file nor exact date), by the aggregation and by the threshold. Differential privacy was weighed and
    left out: a participant writes to up to six holders, so ε = 1 split over three figures and six holders
    gives each count Laplace noise of scale 18 participants, as large as a holder's whole panel at the
    threshold (30) — it would erase the differences between holders that the observatory exists to show.
    The limit of a threshold: two releases that differ by one participant (a withdrawal) can be compared;
    releases are therefore yearly, never recomputed in between.
    """
    table = aggregates.copy()
    table["published"] = table["participants"] >= min_participants
    share = np.where(table["due"] > 0, table["within_month"] / table["due"].where(table["due"] > 0), np.nan)
    readable = table["machine_readable"] / table["with_data"].where(table["with_data"] > 0)
    table["within_month_share"] = np.where(table["published"], share, np.nan)
    table["machine_readable_share"] = np.where(table["published"], readable, np.nan)
    table["median_delay_days"] = table["median_delay_days"].where(table["published"])
    cols = [
        "holder",
        "participants",
        "requests",
        "published",
        "median_delay_days",
        "within_month_share",
        "machine_readable_share",
    ]
    return table[cols].sort_values(["published", "holder"], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class PoolRelease(Result):
    """A published release: the published table, its record, where it was written."""

    table: pd.DataFrame
    record: dict[str, Any]
    folder: Path
    validation: Validation = field(repr=False)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def histograms(self) -> pd.DataFrame:
        """The water release's histograms (the published table)."""
        return self.table

    @property
    def reference(self) -> pd.DataFrame:
        """The table as its open dataset loads it (release parameters in ``attrs``)."""
        out = self.table.copy()
        out.attrs["release"] = self.meta
        return out

    def figures(self) -> dict[str, Figure]:
        """Contributors, groups published and suppressed, ε per contributor."""
        eps = self.record.get("epsilon")
        return {
            **self.validation.figures(),
            "groups_published": figure(len(self.record["groups_published"])),
            "groups_suppressed": figure(len(self.record["groups_suppressed"])),
            "epsilon_per_contributor": figure(eps, reason="publication à seuil, sans bruit : pas de ε"),
        }


def _write(folder: Path, name: str, payload: Any) -> None:
    (folder / name).write_text(
        json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )


def _provenance(spec: dict[str, Any], use_case: str, record: dict[str, Any]) -> dict[str, Any]:
    import datetime as dt

    simulated = record.get("simulated_contributions", 0)
    return {
        "sample": False,
        "cooperative": True,
        "retrieved": dt.date.today().isoformat(),
        "source": f"Publication coopérative des contributions scellées de {use_case} (selfdata pool)",
        "mechanism": record["mechanism"],
        "releases": record["releases"],
        "note": f"{record['contributions_accepted']} contributions retenues, dont {simulated} simulées",
    }


def pool(
    source: str | Path | list[dict[str, Any]] | Validation,
    dest: str | Path,
    *,
    use_case: str | None = None,
    release: str | None = None,
    engine: str = "duckdb",
    withdrawals: set[str] | None = None,
    groups: list[str] | None = None,
    epsilon: float | None = None,
) -> PoolRelease:
    """Validate the contributions (or take an already checked :class:`Validation`), aggregate those of
    ``use_case`` on ``engine`` release by release, publish them, and write the release into
    ``dest/<dataset>/`` with its ``release.json`` (ε, mechanism, counts before and after suppression,
    rejections) and a ``_provenance.json`` saying it is a cooperative release. ``use_case`` defaults to
    the only one found. Water publishes one period (``release``, else the latest found).
    """
    _check_engine(engine)
    checked = (
        source
        if isinstance(source, Validation)
        else validate(source, release=release, withdrawals=withdrawals)
    )
    if use_case is None:
        found = sorted(checked.accepted["use_case"].unique())
        if len(found) != 1:
            msg = f"contributions de {len(found)} cas d'usage ({', '.join(found) or 'aucun'}) : précisez lequel publier"
            raise ContributionError(msg)
        use_case = found[0]
    spec = SPECS[use_case]
    checked = checked.of(use_case)
    accepted = checked.accepted
    if release is not None:
        accepted = accepted[accepted["release"] == release]
    elif spec["kind"] == "histogram" and len(accepted):
        accepted = accepted[accepted["release"] == max(accepted["release"])]
    eps = float(epsilon if epsilon is not None else spec.get("epsilon") or 0) or None
    folder = Path(dest) / spec["dataset"]
    folder.mkdir(parents=True, exist_ok=True)
    releases = sorted(accepted["release"].unique())
    record: dict[str, Any] = {
        "use_case": use_case,
        "releases": releases,
        "engine": engine,
        "epsilon": eps,
        "contributions_read": len(checked.accepted) + len(checked.rejected),
        "contributions_accepted": len(accepted),
        "simulated_contributions": int(accepted["simulated"].sum()),
    }
    checked = replace(checked, accepted=accepted)
    kind = spec["kind"]
    if kind == "histogram":
        table, meta, extra = _pool_histogram(
            spec,
            accepted,
            engine,
            eps or 1.0,
            groups,
            release or (releases[-1] if releases else None),
            folder,
        )
    elif kind == "mean":
        table, meta, extra = _pool_means(spec, accepted, engine, eps or 1.0, groups, folder)
    elif kind == "od":
        table, meta, extra, checked = _pool_od(spec, accepted, engine, eps or 1.0, checked, folder)
    else:
        table, meta, extra = _pool_holders(spec, accepted, engine, folder)
    record.update(extra)
    record["contributions_accepted"] = len(checked.accepted)
    record["rejected"] = checked.rejected.to_dict("records")
    _write(folder, RELEASE_FILE, record)
    _write(folder, "_provenance.json", _provenance(spec, use_case, record))
    return PoolRelease(table, record, folder, checked, meta)


def _pool_histogram(
    spec: dict[str, Any],
    accepted: pd.DataFrame,
    engine: str,
    eps: float,
    groups: list[str] | None,
    release: str | None,
    folder: Path,
) -> tuple[pd.DataFrame, dict[str, Any], dict[str, Any]]:
    from selfdata_lib.opendata.water import HISTOGRAM_FILE, META_FILE

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
        purpose=f"{spec['value']} by {spec['group']}, {release or 'all'}",
    )
    before = accepted.groupby("group").size().reindex(names, fill_value=0)
    suppressed = sorted(hist.loc[hist["suppressed"], "district"].unique().tolist()) if len(hist) else []
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
    hist.to_csv(folder / HISTOGRAM_FILE, index=False, float_format="%.0f")
    _write(folder, META_FILE, meta)
    extra = {
        "release": release,
        "mechanism": meta["mechanism"],
        "contributors_by_group_before_noise": {k: int(v) for k, v in before.items()},
        "groups_published": [g for g in names if g not in suppressed],
        "groups_suppressed": suppressed,
    }
    return hist, meta, extra


def _pool_means(
    spec: dict[str, Any],
    accepted: pd.DataFrame,
    engine: str,
    eps: float,
    groups: list[str] | None,
    folder: Path,
) -> tuple[pd.DataFrame, dict[str, Any], dict[str, Any]]:
    ledger = privacy.BudgetLedger(total_epsilon=eps * max(1, accepted["release"].nunique()))
    rows, before, published, suppressed, sd = [], {}, [], [], {}
    for year in sorted(accepted["release"].unique()):
        part = accepted[accepted["release"] == year]
        names = groups or sorted(part["group"].unique())
        sums = aggregate_sums(
            part[["household", "group", "value"]], engine=engine, lower=spec["lower"], upper=spec["upper"]
        )
        means = publish_means(
            sums,
            names,
            epsilon=eps,
            count_share=spec["count_share"],
            min_contributors=spec["min_contributors"],
            upper=spec["upper"],
            ledger=ledger,
            purpose=f"{spec['value']} by {spec['group']}, {year}",
        )
        before[year] = {
            g: int(n) for g, n in part.groupby("group").size().reindex(names, fill_value=0).items()
        }
        for r in means.to_dict("records"):
            if r["suppressed"]:
                suppressed.append(f"{year} {r['group']}")
                continue
            published.append(f"{year} {r['group']}")
            sd[f"{year} {r['group']}"] = round(r["mean_noise_sd"])
            total_mwh = round(r["noisy_sum"] / 1000, 3)
            rows.append(
                {
                    "annee": int(year),
                    "code_iris": r["group"],
                    "nom_iris": f"IRIS {r['group']} (coopérative)",
                    "code_commune": r["group"][:5],
                    "nom_commune": "",
                    "nb_sites_secteur_residentiel_enedis": int(r["noisy_contributors"]),
                    "conso_totale_secteur_residentiel_enedis_mwh": total_mwh,
                    "conso_moyenne_secteur_residentiel_enedis_mwh": round(
                        total_mwh / r["noisy_contributors"], 3
                    ),
                }
            )
    table = pd.DataFrame(
        rows,
        columns=[
            "annee",
            "code_iris",
            "nom_iris",
            "code_commune",
            "nom_commune",
            "nb_sites_secteur_residentiel_enedis",
            "conso_totale_secteur_residentiel_enedis_mwh",
            "conso_moyenne_secteur_residentiel_enedis_mwh",
        ],
    )
    table.to_csv(folder / ENERGY_FILE, sep=";", index=False)
    mechanism = (
        f"Laplace (OpenDP) sur le nombre de foyers (ε = {eps * spec['count_share']:g}) et sur la somme des kWh "
        f"bornés à [{spec['lower']:g}, {spec['upper']:g}] (ε = {eps * (1 - spec['count_share']):g}) de chaque IRIS ; "
        "moyenne = somme bruitée / nombre bruité (post-traitement) ; IRIS de moins de "
        f"{spec['min_contributors']} foyers (bruités) non publiés ; une publication par année"
    )
    meta = {
        "epsilon_per_year": eps,
        "ledger": [{k: v for k, v in r.items() if k != "at"} for r in ledger.releases],
    }
    extra = {
        "mechanism": mechanism,
        "contributors_by_group_before_noise": before,
        "groups_published": published,
        "groups_suppressed": suppressed,
        "mean_noise_sd_kwh": sd,
        "ledger": meta["ledger"],
    }
    return table, meta, extra


def _pool_od(
    spec: dict[str, Any], accepted: pd.DataFrame, engine: str, eps: float, checked: Validation, folder: Path
) -> tuple[pd.DataFrame, dict[str, Any], dict[str, Any], Validation]:
    low = accepted[(accepted["group"] == "central") & (accepted["value"] < eps - 1e-12)]
    refused = [
        {
            "file": "",
            "household": h,
            "use_case": "larochelle-mobility-contribution",
            "reason": f"consentement pour ε = {v:g} : la publication dépense ε = {eps:g}",
        }
        for h, v in zip(low["household"], low["value"], strict=True)
    ]
    accepted = accepted.drop(low.index)
    checked = replace(
        checked,
        rejected=pd.concat(
            [checked.rejected, pd.DataFrame(refused, columns=checked.rejected.columns)], ignore_index=True
        ),
    )
    ledger = privacy.BudgetLedger(total_epsilon=eps * max(1, accepted["release"].nunique()))
    frames, summary = [], {}
    for year in sorted(accepted["release"].unique()):
        part = accepted[accepted["release"] == year]
        cells = aggregate_cells(long_rows(part, "larochelle-mobility-contribution"), engine=engine)
        published, counts = publish_cells(
            cells, epsilon=eps, max_trips=spec["max_trips"], cell_km=spec["cell_km"], ledger=ledger
        )
        labels = pd.Series([od_group(g, v) for g, v in zip(part["group"], part["value"], strict=True)])
        for group, c in counts.items():
            c["contributors"] = int((labels == group).sum())
        summary[year] = counts
        frames.append(published.assign(release=year))
    table = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["mechanism", "origin", "destination", "band", "mode", "trips", "release"])
    )
    table = table[["release", "mechanism", "origin", "destination", "band", "mode", "trips"]]
    table.to_csv(folder / OD_FILE, index=False)
    extra = {
        "mechanism": f"DP centrale : Laplace d'échelle max_trips/ε = {spec['max_trips'] / eps:g} (OpenDP) ; "
        "DP locale : réponses randomisées débiaisées",
        "max_trips": spec["max_trips"],
        "cell_km": spec["cell_km"],
        "by_release": summary,
        "groups_published": [
            f"{y} {g}" for y, s in summary.items() for g, c in s.items() if c["cells_published"]
        ],
        "groups_suppressed": [
            f"{y} {g}" for y, s in summary.items() for g, c in s.items() if not c["cells_published"]
        ],
        "ledger": [{k: v for k, v in r.items() if k != "at"} for r in ledger.releases],
    }
    return table, {}, extra, replace(checked, accepted=accepted)


def _pool_holders(
    spec: dict[str, Any], accepted: pd.DataFrame, engine: str, folder: Path
) -> tuple[pd.DataFrame, dict[str, Any], dict[str, Any]]:
    frames, before, published, suppressed = [], {}, [], []
    for year in sorted(accepted["release"].unique()):
        rows = long_rows(accepted[accepted["release"] == year], "portability-observatory")
        table = publish_holders(
            aggregate_holders(rows, engine=engine), min_participants=spec["min_participants"]
        )
        before[year] = {h: int(p) for h, p in zip(table["holder"], table["participants"], strict=True)}
        published += [f"{year} {h}" for h in table.loc[table["published"], "holder"]]
        suppressed += [f"{year} {h}" for h in table.loc[~table["published"], "holder"]]
        frames.append(table.assign(release=year))
    columns = [
        "release",
        "holder",
        "participants",
        "requests",
        "published",
        "median_delay_days",
        "within_month_share",
        "machine_readable_share",
    ]
    table = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    table.to_csv(folder / HOLDERS_FILE, index=False)
    extra = {
        "mechanism": f"seuil : un détenteur publié à partir de {spec['min_participants']} participants distincts, sans bruit",
        "min_participants": spec["min_participants"],
        "participants_by_holder": before,
        "groups_published": published,
        "groups_suppressed": suppressed,
    }
    return table, {}, extra


def pool_all(
    source: str | Path | list[dict[str, Any]],
    dest: str | Path,
    *,
    engine: str = "duckdb",
    release: str | None = None,
    withdrawals: set[str] | None = None,
) -> tuple[Validation, list[PoolRelease]]:
    """Every use case found among the contributions of ``source``, validated once and pooled
    (:func:`pool`) into ``dest``; the validation of the whole folder, and one release per use case.
    """
    checked = validate(source, release=release, withdrawals=withdrawals)
    found = sorted(checked.accepted["use_case"].unique())
    return checked, [pool(checked, dest, use_case=u, release=release, engine=engine) for u in found]


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
    return pool(
        items, folder, use_case="lyon-water-district", release=release, groups=districts, epsilon=epsilon
    )


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
