"""Checks (src/checks): the NaN/Inf scan and origin watch, gradient health, shape errors explained,
the checked step, and data defects."""
