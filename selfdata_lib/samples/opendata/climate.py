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
    # Paris (not a seed): Météo-France's Paris-Montsouris, rounded like the others — à vérifier
    "75114001": (
        "Paris-Montsouris",
        48.822,
        2.338,
        (5.4, 6.2, 9.2, 12.1, 15.6, 18.9, 21.1, 20.9, 17.3, 13.3, 8.7, 5.9),
    ),
}
#: Stations outside France: the national service's normals, with their source (transcribed, à vérifier).
FOREIGN_STATIONS = {
    "0076": (
        "Barcelona Aeropuerto",
        41.293,
        2.070,
        (10.0, 10.6, 12.8, 14.9, 18.3, 22.1, 25.0, 25.4, 22.4, 18.7, 13.9, 10.9),
        "AEMET, valores climatológicos normales 1991-2020, Barcelona Aeropuerto (indicativo 0076)",
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
    for sid, (name, lat, lon, temps, source) in FOREIGN_STATIONS.items():
        lines.append(f"# {name}: {source} — transcribed by the project, à vérifier")
        lines += [f"{sid};{name};{lat};{lon};{m};{t}" for m, t in enumerate(temps, start=1)]
    return write_sample(
        folder,
        {"normales_mensuelles_1991-2020.csv": "\n".join(lines) + "\n"},
        retrieved="2026-11-29",
        note="monthly normals rounded from the station sheets",
        readme=(
            "# climate-normals — monthly mean temperature of the territories' reference stations\n\n"
            "Written by `selfdata samples build` (`selfdata_lib/samples/opendata/climate.py`). Monthly mean temperature, "
            "1991–2020 normals, of the reference station of each territory: in France (Nantes-Bouguenais, Lyon-Bron, "
            "La Rochelle, Rennes-Saint-Jacques, Paris-Montsouris) rounded to 0.1 °C from the Météo-France station "
            "sheets (« fiches climatologiques »), to check against the open dataset « Normales climatologiques » of "
            "meteo.data.gouv.fr (Licence Ouverte 2.0); in Spain (Barcelona Aeropuerto) from AEMET's « valores "
            "climatológicos normales » (its source is on the comment line above its rows). All values are "
            "transcribed by the project — **à vérifier** against the services' own tables.\n\n"
            "Used only when no daily weather covers a user's period: the heating sensitivity is then estimated "
            "month by month from degree-days derived from these normals (approximate).\n"
        ),
    )
