"""Process harness shared by the integration tests, the benchmarks, fault injection and make run."""
