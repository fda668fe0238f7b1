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
    live_urls,
    load,
    load_context,
    load_optional,
    locate,
    register,
)
from selfdata_lib.opendata.boundaries import load_lyon_arrondissements
from selfdata_lib.opendata.climate import load_climate_normals, normals_near
from selfdata_lib.opendata.districts import (  # noqa: F401
    fetch_iris_contours,
    fetch_osm_admin_boundaries,
    iris_contours_for,
    osm_boundaries_for,
)
from selfdata_lib.opendata.energy import (
    Climate,
    clearness_by_month,
    climate_for,
    daily_mean_temperature,
    energy_reference_for,
    fetch_pvgis_tmy,
    fetch_residential_reference,
    fetch_weather,
    load_nantes_weather,
    load_residential_reference,
    load_solar_resource,
    load_tariffs,
    load_tempo_days,
    read_weather,
    reference_missing,
    residential_reference_for,
    solar_resource_for,
    support_in_force,
    tariffs_for,
    tariffs_in_force,
    tempo_colours,
    weather_for,
)
from selfdata_lib.opendata.food import fetch_off_product, load_food_factors  # noqa: F401
from selfdata_lib.opendata.holders import load_data_holders  # noqa: F401
from selfdata_lib.opendata.leisure import load_leisure_places, load_leisure_tariffs  # noqa: F401
from selfdata_lib.opendata.mobility import (
    load_bus_stops,
    load_emission_factors,
    load_fuel_prices,
    load_transit_stops,
)
from selfdata_lib.opendata.osm_leisure import load_larochelle_leisure_places  # noqa: F401
from selfdata_lib.opendata.school import load_school_calendar  # noqa: F401
from selfdata_lib.opendata.social import load_solidarity_contacts  # noqa: F401
from selfdata_lib.opendata.streets import find_graph, load_graph
from selfdata_lib.opendata.velov import (
    collect_history,
    fetch_gbfs,
    load_availability_history,
    load_velov_stations,
    read_availability_history,
    read_stations,
)
from selfdata_lib.opendata.water import (
    districts_for,
    load_water_reference,
    read_official_reference,
    water_reference,
)

__all__ = [
    "CATALOGUE",
    "SOURCES",
    "Climate",
    "Dataset",
    "candidates",
    "clearness_by_month",
    "climate_for",
    "collect_history",
    "daily_mean_temperature",
    "districts_for",
    "energy_reference_for",
    "fetch",
    "fetch_gbfs",
    "fetch_pvgis_tmy",
    "fetch_residential_reference",
    "fetch_weather",
    "find_graph",
    "get_dataset",
    "live_urls",
    "load",
    "load_availability_history",
    "load_bus_stops",
    "load_climate_normals",
    "load_context",
    "load_emission_factors",
    "load_fuel_prices",
    "load_graph",
    "load_lyon_arrondissements",
    "load_nantes_weather",
    "load_optional",
    "load_residential_reference",
    "load_solar_resource",
    "load_tariffs",
    "load_tempo_days",
    "load_transit_stops",
    "load_velov_stations",
    "load_water_reference",
    "locate",
    "normals_near",
    "read_availability_history",
    "read_official_reference",
    "read_stations",
    "read_weather",
    "reference_missing",
    "register",
    "residential_reference_for",
    "solar_resource_for",
    "support_in_force",
    "tariffs_for",
    "tariffs_in_force",
    "tempo_colours",
    "water_reference",
    "weather_for",
]
