"""Queue and decision statistics, as JSON and as Prometheus metrics."""
