"""Google location exports, one module per format: Takeout's Semantic Location History
(:mod:`.semantic`), the legacy ``Records.json`` (:mod:`.records`, streamed), the Android on-device
``Timeline.json`` (:mod:`.timeline`) and the iOS ``location-history.json`` (:mod:`.ios`). Importing the
package registers them.
"""

from selfdata_lib.exports.google._common import parse_google_time
from selfdata_lib.exports.google.ios import (
    read_google_ios_points,
    read_google_ios_trips,
    read_google_ios_visits,
)
from selfdata_lib.exports.google.records import iter_record_batches, read_google_records
from selfdata_lib.exports.google.semantic import read_google_semantic_trips, read_google_semantic_visits
from selfdata_lib.exports.google.timeline import (
    read_google_timeline_points,
    read_google_timeline_trips,
    read_google_timeline_visits,
)

__all__ = [
    "iter_record_batches",
    "parse_google_time",
    "read_google_ios_points",
    "read_google_ios_trips",
    "read_google_ios_visits",
    "read_google_records",
    "read_google_semantic_trips",
    "read_google_semantic_visits",
    "read_google_timeline_points",
    "read_google_timeline_trips",
    "read_google_timeline_visits",
]
