"""Normalisers: numbers and magnitudes, units and currencies, dates and periods, names."""
