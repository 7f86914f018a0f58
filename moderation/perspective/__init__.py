"""Perspective API compatibility (SPEC §10.1): ``comments:analyze``, ``suggestscore``, discovery."""
