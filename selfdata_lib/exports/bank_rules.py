r"""Transparent rules that give bank operations a category, which anyone can read and extend.

A rule is ``(category, regular expression on the normalised label)``; the first rule that matches
wins. Extend with your own rules (they come first)::

    categorise(bank, extra_rules=[("public_transport", r"\bsytral\b")])

or a YAML file ``{category: [pattern, ...]}`` passed to :func:`load_rules`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from selfdata_lib.exports._base import normalise

# (category, pattern) — patterns match the lower-case label without accents.
DEFAULT_RULES: list[tuple[str, str]] = [
    (
        "fuel",
        r"\b(total ?energies|totalenergies|esso|shell|bp |avia|station[- ]service|carburant|"
        r"intermarche carbu|leclerc station|carrefour station|dac )",
    ),
    ("tolls", r"\b(autoroute|peage|aprr|sanef|vinci autoroutes|asf|area |bip ?& ?go|ulys)\b"),
    ("parking", r"\b(parking|indigo|effia|saemes|onepark|zenpark|lpa |stationnement|paybyphone|flowbird)"),
    (
        "public_transport",
        r"\b(tcl|sytral|tan |naolib|yelo|rtm |star rennes|keolis|transdev|ratp|navigo|"
        r"sncf|ter |ouigo|blablacar bus|flixbus|rtcr)",
    ),
    ("bike_share", r"\b(velo'?v|velov|bicloo|yelo velo|le velo star|smoove|lime|dott|tier)\b"),
    ("car_insurance", r"\b(assurance auto|maif|macif|matmut|gmf|maaf|allianz|axa).*(auto|vehicule)"),
    ("car_maintenance", r"\b(norauto|feu vert|midas|speedy|point s|garage|controle technique|dekra)\b"),
    (
        "energy",
        r"\b(edf|engie|enedis|grdf|total ?energies electricite|ekwateur|enercoop|octopus|"
        r"mint energie|planete oui|ilek)\b",
    ),
    (
        "water",
        r"\b(eau du grand lyon|eau de nantes|suez|veolia|saur|eau 17|regie des eaux|"
        r"eau du bassin rennais)\b",
    ),
    (
        "supermarket",
        r"\b(carrefour|leclerc|auchan|intermarche|super u|hyper u|lidl|aldi|casino|monoprix|"
        r"franprix|biocoop|naturalia|netto|grand frais)\b",
    ),
    ("telecom", r"\b(orange|sfr|bouygues telecom|free mobile|free telecom|sosh|red by sfr)\b"),
    ("rent", r"\b(loyer|foncia|nexity|citya|opac|office public de l'habitat|bailleur)\b"),
]


def load_rules(path: str | Path) -> list[tuple[str, str]]:
    """Rules from a YAML file ``{category: [pattern, ...]}``."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [(cat, pat) for cat, pats in data.items() for pat in ([pats] if isinstance(pats, str) else pats)]


def categorise(
    bank: pd.DataFrame, *, extra_rules: list[tuple[str, str]] | None = None, overwrite: bool = False
) -> pd.DataFrame:
    """Add ``rule_category`` (and fill ``category`` where empty) from the rules; ``rule`` says which.

    Parameters
    ----------
    extra_rules
        The user's own rules, tried before the defaults.
    overwrite
        Replace the bank's own category too (default: only fill empty ones).
    """
    rules = [(c, re.compile(p)) for c, p in [*(extra_rules or []), *DEFAULT_RULES]]
    labels = bank["label"].map(lambda s: normalise(str(s)) + " ")
    cats, which = [], []
    for label in labels:
        for cat, pattern in rules:
            if pattern.search(label):
                cats.append(cat)
                which.append(pattern.pattern)
                break
        else:
            cats.append("")
            which.append("")
    out = bank.copy()
    out["rule_category"] = cats
    out["rule"] = which
    fill = out["rule_category"] != ""
    if not overwrite:
        fill &= out["category"].fillna("") == ""
    out.loc[fill, "category"] = out.loc[fill, "rule_category"]
    return out
