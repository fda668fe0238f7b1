"""The application: use-case cards and parameters, the runner (papermill), the notebook helpers and
charts, the gallery and the ``selfdata`` command line.
"""
