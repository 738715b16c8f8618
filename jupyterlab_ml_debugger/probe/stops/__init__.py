"""Stops (src/stops): routing a cell's breakpoint() to the visual debugger."""
