"""Counters (src/counters): memory, device memory, threads and handles sampled over time, and the
counters that only grow."""
