"""Exceptions raised by ``selfdata_lib``; each subclasses a builtin so plain ``except`` works."""

from __future__ import annotations


class ExportFormatError(ValueError):
    """A personal export file is not in the format it claims, or no known format at all."""


class DataUnavailableError(LookupError):
    """An open dataset is in none of the places searched (cache, snapshots, samples)."""


class NetworkUnavailableError(DataUnavailableError):
    """A download the user asked for failed on the network (no Internet, a server down or refusing):
    its message, in French, says what failed (:func:`selfdata_lib._http.network_error`).
    """


class NetworkDisabledError(ConnectionError):
    """A network access was needed but the user has not asked for one, or is offline."""


class UseCaseCardError(ValueError):
    """A use-case card (``use_case.yaml``) is missing a field or has a wrong value."""


class NotebookRunError(RuntimeError):
    """A notebook failed while running; the message names the cell and the error."""


class ParameterError(ValueError):
    """A run was given an unknown parameter, a value of the wrong type, or a missing required one."""


class OutputError(OSError):
    """The outputs of a run cannot be written (a read-only folder, another run writing there)."""


class BrowserError(RuntimeError):
    """Headless Chromium is missing or failed, for a screenshot or a PDF (French message)."""
