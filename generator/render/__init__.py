"""Render: the catalogue as text (one Jinja environment, a function per page family, the console
report). Produces (path, text) pairs; writes nothing."""
