"""Authors domain slice."""
