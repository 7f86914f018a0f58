"""Comments domain slice."""
