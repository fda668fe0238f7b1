"""Pure computations on frames: one module per domain (energy, solar, water, Vélo'v, mobility and
travel modes, places, routing, privacy). They take what :mod:`selfdata_lib.exports`,
:mod:`selfdata_lib.opendata` and :mod:`selfdata_lib.synth` give and return frozen results; they never
write a file nor open a notebook.
"""
