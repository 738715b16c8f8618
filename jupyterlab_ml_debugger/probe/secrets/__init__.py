"""Secrets stay secret: what looks like a secret (by its name or its shape), and masking it in
every reply that carries a value's text, so a masked value never leaves the kernel."""
