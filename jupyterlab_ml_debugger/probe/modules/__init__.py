"""Modules (src/modules): the loaded modules with versions and origins, and what is off about them (Not My Version)."""
