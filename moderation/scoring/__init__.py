"""The scoring seam: the pipeline that turns a stored comment revision into a decision."""
