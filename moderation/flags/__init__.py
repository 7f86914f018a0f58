"""Reader reports (flags), weighted by reporter standing and accuracy."""
