"""Server configuration for the UI tests. Never use it in production: it opens
the server without a token and exposes JupyterLab objects to the page."""
from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
