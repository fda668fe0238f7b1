"""The seeded fictional world the samples are written from: weather, households and their load curves
and water use, Vélo'v stations and their availability, the water cooperative's members, a Tempo
calendar. Pure generation: nothing here reads or writes a file.
"""
