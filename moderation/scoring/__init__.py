"""Scoring: the pipeline that turns a stored comment revision into a decision, and the sweeper."""
