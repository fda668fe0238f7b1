"""Open data of the territories: a catalogue of datasets and their loaders.

Loaders never touch the network unless asked: see :mod:`selfdata_lib.opendata._catalog` for the
search order (cache → snapshot folders → bundled samples) and :func:`fetch` for live downloads.
"""

from selfdata_lib.opendata._catalog import (
    CATALOGUE,
    SOURCES,
    Dataset,
    candidates,
    fetch,
    get_dataset,
    load,
    locate,
    register,
)
from selfdata_lib.opendata.boundaries import load_lyon_arrondissements
from selfdata_lib.opendata.mobility import load_bus_stops, load_emission_factors, load_fuel_prices
from selfdata_lib.opendata.water import load_water_reference, read_official_reference

__all__ = [
    "CATALOGUE", "SOURCES", "Dataset", "candidates", "fetch", "get_dataset", "load",
    "load_bus_stops", "load_emission_factors", "load_fuel_prices", "load_lyon_arrondissements", "load_water_reference", "locate", "read_official_reference", "register",
]
