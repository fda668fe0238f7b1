"""A Tempo calendar that follows the rules, for a world without the real one."""

from __future__ import annotations

from typing import cast

import pandas as pd


def synthetic_tempo_season(daily_temp_c: pd.Series) -> pd.DataFrame:
    """A Tempo calendar following the rules (per season 1 Sept → 31 Aug: 22 red days on weekdays from
    1 Nov to 31 Mar, 43 white days not on Sundays, the rest blue) on the coldest days of ``daily_temp_c``
    (indexed by naive day). Used for the project's sample, never in place of the real colours.
    """
    temp = daily_temp_c.sort_index()
    days = cast(pd.DatetimeIndex, temp.index)
    colour = pd.Series("bleu", index=days)
    season = days.year - (days.month < 9)
    for _, t in temp.groupby(season):
        t_days = cast(pd.DatetimeIndex, t.index)
        red_ok = t[(t_days.day_of_week < 5) & ((t_days.month >= 11) | (t_days.month <= 3))]
        red = red_ok.nsmallest(22).index
        white_ok = t.drop(red)
        white = white_ok[cast(pd.DatetimeIndex, white_ok.index).day_of_week != 6].nsmallest(43).index
        colour[red] = "rouge"
        colour[white] = "blanc"
    return pd.DataFrame({"day": days, "colour": colour.to_numpy()})
