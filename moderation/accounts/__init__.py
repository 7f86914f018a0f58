"""Accounts domain slice."""
