"""Server configuration for the UI tests. Never use it in production: it opens
the server without a token and exposes JupyterLab objects to the page."""
from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
# Notebook 7's pages (/tree, /notebooks/<path>) expose their application too.
c.JupyterNotebookApp.expose_app_in_browser = True  # noqa: F821
