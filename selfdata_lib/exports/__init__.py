"""Importers for personal data exports, recognised by content.

``read(path)`` detects the format and returns a tidy frame (see :data:`SCHEMAS`); specific readers
(``read_enedis_load_curve`` …) are public too. Bad input raises
:class:`~selfdata_lib.errors.ExportFormatError` naming the file, the line and what was expected.
"""

from selfdata_lib.exports._base import (
    FORMATS,
    KINDS,
    SCHEMAS,
    ExportFormat,
    ImportReport,
    detect_format,
    display_name,
    open_archive,
    read,
    read_all,
    read_each,
    read_kinds,
    register_format,
    scan_folder,
)

__all__ = [
    "FORMATS",
    "KINDS",
    "SCHEMAS",
    "ExportFormat",
    "ImportReport",
    "detect_format",
    "display_name",
    "open_archive",
    "read",
    "read_all",
    "read_each",
    "read_kinds",
    "register_format",
    "scan_folder",
]

# Importers register their formats on import.
from selfdata_lib.exports import (  # noqa: F401
    bank,
    datadis,
    enedis,
    google,
    gpx,
    grdf,
    household,
    receipts,
    water,
)
from selfdata_lib.exports.bank import read_bank_csv, read_ofx
from selfdata_lib.exports.bank_rules import categorise
from selfdata_lib.exports.datadis import read_datadis_csv
from selfdata_lib.exports.enedis import (
    read_enedis_dataconnect,
    read_enedis_index,
    read_enedis_load_curve,
    read_enedis_max_power,
    read_enedis_measures_csv,
)
from selfdata_lib.exports.google import (
    read_google_ios_points,
    read_google_ios_trips,
    read_google_ios_visits,
    read_google_records,
    read_google_semantic_trips,
    read_google_semantic_visits,
    read_google_timeline_points,
    read_google_timeline_trips,
    read_google_timeline_visits,
)
from selfdata_lib.exports.gpx import read_gpx, read_gpx_trips, read_tcx, read_tcx_trips
from selfdata_lib.exports.grdf import read_grdf_adict, read_grdf_json, read_grdf_xlsx
from selfdata_lib.exports.household import Household, read_contract_address, read_household
from selfdata_lib.exports.receipts import (
    read_carrefour_receipt,
    read_lidl_plus,
    read_loyalty_gdpr_csv,
    read_receipts_csv,
)
from selfdata_lib.exports.requests import check_received_file, read_requests_log
from selfdata_lib.exports.school import (  # school life: Pronote (pronotepy, Cozy's konnector), a CSV
    read_cozy_pronote_grades,
    read_cozy_pronote_homework,
    read_cozy_pronote_presence,
    read_grades_csv,
    read_pronotepy_absences,
    read_pronotepy_grades,
    read_pronotepy_homework,
)
from selfdata_lib.exports.water import read_eau_grand_lyon, read_suez_telemetry, read_water_csv

__all__ += [
    "Household",
    "categorise",
    "check_received_file",
    "read_bank_csv",
    "read_carrefour_receipt",
    "read_contract_address",
    "read_datadis_csv",
    "read_eau_grand_lyon",
    "read_enedis_dataconnect",
    "read_enedis_index",
    "read_enedis_load_curve",
    "read_enedis_max_power",
    "read_enedis_measures_csv",
    "read_google_ios_points",
    "read_google_ios_trips",
    "read_google_ios_visits",
    "read_google_records",
    "read_google_semantic_trips",
    "read_google_semantic_visits",
    "read_google_timeline_points",
    "read_google_timeline_trips",
    "read_google_timeline_visits",
    "read_gpx",
    "read_gpx_trips",
    "read_grdf_adict",
    "read_grdf_json",
    "read_grdf_xlsx",
    "read_household",
    "read_lidl_plus",
    "read_loyalty_gdpr_csv",
    "read_ofx",
    "read_receipts_csv",
    "read_requests_log",
    "read_suez_telemetry",
    "read_tcx",
    "read_tcx_trips",
    "read_water_csv",
]
__all__ += [  # school life
    "read_cozy_pronote_grades",
    "read_cozy_pronote_homework",
    "read_cozy_pronote_presence",
    "read_grades_csv",
    "read_pronotepy_absences",
    "read_pronotepy_grades",
    "read_pronotepy_homework",
]
