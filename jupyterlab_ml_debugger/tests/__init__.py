"""Python tests: the probe in-process, and against a real kernel."""
