"""Self Data Territorial notebooks: cross your own data exports with your territory's open data.

The library behind the use-case notebooks. Sub-packages:

- :mod:`selfdata_lib.exports` — read the files that services hand out (detect by content, import report);
- :mod:`selfdata_lib.opendata` — open-data catalogue and loaders (cache → snapshots → samples; live on request);
- :mod:`selfdata_lib.app.viz` — maps that work offline and charts;
- :mod:`selfdata_lib.app.notebook` — ``record`` results and show provenance from a notebook;
- :mod:`selfdata_lib.app.usecases`, :mod:`selfdata_lib.app.runner`, :mod:`selfdata_lib.app.gallery` — cards, runs, report.
"""

from __future__ import annotations

import os as _os

try:  # written by setuptools-scm at install time, from the git tags
    from selfdata_lib._version import __version__
except ImportError:  # a source tree that was never installed
    __version__ = "0.0.0+unknown"

if _os.environ.get("SELFDATA_BLOCK_NETWORK", "").strip().lower() in {"1", "true", "yes"}:
    from selfdata_lib._netguard import block_network as _block_network

    _block_network()
