"""Enedis Linky exports, one module per format: the customer-space load-curve CSV
(:mod:`.load_curve`), Data Connect JSON (:mod:`.dataconnect`), the « Index » CSV with daily indexes
and maximum power (:mod:`.index`) and the 2023+ « Mes données » CSV (:mod:`.measures`). Importing the
package registers them, in this order.
"""

from selfdata_lib.exports.enedis._common import ALLOWED_STEPS_MIN, infer_steps
from selfdata_lib.exports.enedis.dataconnect import read_enedis_dataconnect
from selfdata_lib.exports.enedis.index import read_enedis_index, read_enedis_max_power
from selfdata_lib.exports.enedis.load_curve import read_enedis_load_curve
from selfdata_lib.exports.enedis.measures import read_enedis_measures_csv

__all__ = [
    "ALLOWED_STEPS_MIN",
    "infer_steps",
    "read_enedis_dataconnect",
    "read_enedis_index",
    "read_enedis_load_curve",
    "read_enedis_max_power",
    "read_enedis_measures_csv",
]
