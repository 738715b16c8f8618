"""The kernel half of the Crash report: files that say where the kernel was when it died.

The Jupyter server extension (``jupyterlab_ml_debugger/server/``) reads them after the death.
"""
