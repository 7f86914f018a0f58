"""Callbacks domain slice."""
