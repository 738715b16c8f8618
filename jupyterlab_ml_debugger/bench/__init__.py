"""Benchmarks against a real kernel: ``python -m jupyterlab_ml_debugger.bench NAME --json``.

Never embedded with the probe: these run in the developer's process, not in the kernel.
"""
