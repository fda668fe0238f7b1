"""Build the project's own small open-data samples in ``data/samples/opendata/``.

Samples are generated from public facts (with their source), never copied from a real snapshot. Each
sample folder gets a ``README.md`` saying how it was made and a ``_provenance.json`` marking it as a
sample. ``selfdata samples build`` (re)writes them; a test checks the committed files match.
"""

from __future__ import annotations

from pathlib import Path

from selfdata_lib import settings
from selfdata_lib.samples.opendata import climate, energy, food, gbfs, leisure, mobility, social, velov, water
from selfdata_lib.samples.opendata.boundaries import build_lyon_arrondissements
from selfdata_lib.samples.opendata.districts import (
    build_iris_contours_sample,
    build_osm_admin_boundaries_sample,
)
from selfdata_lib.samples.opendata.holders import build_data_holders_sample
from selfdata_lib.samples.opendata.osm_leisure import build_larochelle_leisure_places_sample
from selfdata_lib.samples.opendata.school import (
    build_calendar_sample,
    build_directory_sample,
    build_dnb_sample,
    build_ips_sample,
)

BUILDERS = {
    "lyon-arrondissements": build_lyon_arrondissements,
    "iris-contours": build_iris_contours_sample,
    "osm-admin-boundaries": build_osm_admin_boundaries_sample,
    "lyon-water-reference": water.build_water_reference,
    "water-national-reference": water.build_national_reference,
    "ademe-transport-factors": mobility.build_emission_factors_sample,
    "larochelle-bus-stops": mobility.build_bus_stops_sample,
    "fuel-prices": mobility.build_fuel_prices_sample,
    "owid-travel-factors": mobility.build_owid_travel_factors_sample,
    "paris-transit-stops": mobility.build_paris_transit_stops_sample,
    "barcelona-transit-stops": mobility.build_barcelona_transit_stops_sample,
    "nantes-transit-stops": mobility.build_nantes_transit_stops_sample,
    "rennes-transit-stops": mobility.build_rennes_transit_stops_sample,
    "es-fuel-prices": mobility.build_es_fuel_prices_sample,
    "regulated-tariffs": energy.build_tariffs_sample,
    "nantes-weather": energy.build_nantes_weather_sample,
    "tempo-days": energy.build_tempo_sample,  # after nantes-weather: uses its temperatures
    "enedis-residential-iris": energy.build_residential_reference_sample,
    "nantes-solar-resource": energy.build_solar_resource_sample,
    "solar-support": energy.build_solar_support_sample,
    "climate-normals": climate.build_climate_normals_sample,
    "velov-stations": velov.build_velov_samples,
    "velov-availability-history": velov.build_velov_history_sample,
    **gbfs.builders(),  # the GBFS catalogue, and each shipped system's feeds and history
    "lyon-leisure-tariffs": leisure.build_leisure_tariffs_sample,
    "lyon-leisure-places": leisure.build_leisure_places_sample,
    "lyon-tcl-stations": leisure.build_tcl_stations_sample,
    "lyon-solidarity-contacts": social.build_contacts_sample,
    "agribalyse-food": food.build_agribalyse_sample,
    "food-seasons": food.build_seasons_sample,
    "off-products": food.build_off_sample,
    "nantes-markets": food.build_markets_sample,
    "larochelle-leisure-places": build_larochelle_leisure_places_sample,
    "data-holders": build_data_holders_sample,
    "education-directory": build_directory_sample,
    "education-ips": build_ips_sample,
    "education-dnb": build_dnb_sample,
    "school-calendar": build_calendar_sample,
}
#: Samples whose content is random by design (differential-privacy noise cannot be seeded): the
#: tests check their properties instead of comparing bytes.
NOT_REPRODUCIBLE = {"lyon-water-reference"}


def build_opendata_samples(root: Path | None = None, names: list[str] | None = None) -> list[Path]:
    """(Re)write the open-data samples (every one, or ``names``) under ``root`` (default
    ``data/samples/opendata``).
    """
    root = root or settings.opendata_samples_folder
    written: list[Path] = []
    for name in names or list(BUILDERS):
        written += BUILDERS[name](root / name)
    return written
