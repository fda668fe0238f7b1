"""What the Enedis readers share: the time zone, the standard steps, encoding sniffing, step inference."""

from __future__ import annotations

import numpy as np
import pandas as pd

TZ = "Europe/Paris"
ALLOWED_STEPS_MIN = (5, 10, 15, 20, 30, 60)
SNIFF = 65536


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(data) - 4  # a character cut at the end of the sample
    return True


_META_HEADER = "Identifiant PRM;Type de donnees"


def infer_steps(ends: pd.Series, declared_min: float | None = None) -> np.ndarray:
    """Interval length (minutes) of each timestamp of a load curve.

    Each interval ends at its timestamp. With ``before``/``after`` the gaps to the previous and next
    timestamps: a steady series has ``before == after``; ``before < after`` means a gap or a longer
    step follows, so the interval is ``before``; ``before > after`` is either the last interval of a
    longer-step regime (the previous gap was ``before`` too) or the first after a gap of missing
    intervals (then the interval is ``after``). Non-standard lengths carry the previous row's step.
    """
    if declared_min:
        return np.full(len(ends), float(declared_min))
    t = ends.to_numpy(dtype="datetime64[ns]").astype("int64") // 60_000_000_000
    n = len(t)
    if n == 0:
        return np.zeros(0)
    if n == 1:
        return np.array([30.0])
    diff = np.diff(t).astype(float)
    before = np.concatenate([[np.inf], diff])
    after = np.concatenate([diff, [np.inf]])
    prev_before = np.concatenate([[np.nan], before[:-1]])
    step = np.where(before <= after, before, np.where(prev_before == before, before, after))
    ok = np.isin(step, ALLOWED_STEPS_MIN)
    step = np.where(ok, step, np.nan)
    return pd.Series(step).ffill().bfill().fillna(30.0).to_numpy()
