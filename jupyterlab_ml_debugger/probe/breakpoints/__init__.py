"""Breakpoint Actions (src/breakpoints): conditions, hit counts, log messages and recorded values
run on each hit, and the rows they trace."""
