"""Postmortem (src/postmortem): the last failed cell's exception, its chain and its frames, read after the fact."""
