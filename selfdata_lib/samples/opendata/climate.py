"""Climate normals sample: the reference stations' monthly mean temperatures, transcribed."""

from __future__ import annotations

from pathlib import Path

from selfdata_lib.samples.opendata._write import write_sample

#: Reference stations of the seed territories: Météo-France id, name, position, and monthly mean
#: temperature 1991–2020 (°C, January to December), rounded from the station sheets.
REFERENCE_STATIONS = {
    "44020001": (
        "Nantes-Bouguenais",
        47.150,
        -1.609,
        (6.1, 6.6, 9.1, 11.2, 14.6, 17.9, 19.8, 19.7, 16.9, 13.5, 9.2, 6.5),
    ),
    "69029001": (
        "Lyon-Bron",
        45.721,
        4.949,
        (4.0, 5.1, 8.8, 11.9, 15.8, 19.7, 22.1, 21.8, 17.7, 13.5, 8.1, 4.8),
    ),
    "17300009": (
        "La Rochelle-Le Bout Blanc",
        46.147,
        -1.159,
        (7.0, 7.4, 9.9, 12.2, 15.6, 18.8, 20.8, 20.8, 18.4, 15.1, 10.7, 7.8),
    ),
    "35281001": (
        "Rennes-Saint-Jacques",
        48.069,
        -1.734,
        (5.6, 6.0, 8.4, 10.5, 13.9, 17.0, 19.0, 18.9, 16.1, 12.7, 8.7, 6.0),
    ),
}


def build_climate_normals_sample(folder: Path) -> list[Path]:
    """Write the climate-normals sample: monthly normals of a few reference stations."""
    lines = [
        "# Monthly mean temperature 1991-2020 (°C), rounded from the Météo-France station sheets",
        "station;name;lat;lon;month;tmean_c",
    ]
    for sid, (name, lat, lon, temps) in REFERENCE_STATIONS.items():
        lines += [f"{sid};{name};{lat};{lon};{m};{t}" for m, t in enumerate(temps, start=1)]
    return write_sample(
        folder,
        {"normales_mensuelles_1991-2020.csv": "\n".join(lines) + "\n"},
        retrieved="2026-11-29",
        note="monthly normals rounded from the station sheets",
        readme=(
            "# climate-normals — monthly mean temperature of four reference stations\n\n"
            "Written by `selfdata samples build` (`selfdata_lib/samples/opendata/climate.py`). Monthly mean temperature, "
            "1991–2020 normals, of the reference station of each seed territory (Nantes-Bouguenais, Lyon-Bron, "
            "La Rochelle, Rennes-Saint-Jacques), rounded to 0.1 °C from the Météo-France station sheets "
            "(« fiches climatologiques »). Values transcribed by the project, to check against the open dataset "
            "« Normales climatologiques » of meteo.data.gouv.fr (Licence Ouverte 2.0).\n\n"
            "Used only when no daily weather covers a user's period: the heating sensitivity is then estimated "
            "month by month from degree-days derived from these normals (approximate).\n"
        ),
    )
