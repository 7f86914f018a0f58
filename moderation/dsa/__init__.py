"""EU Digital Services Act duties: statements of reasons, notices, appeals, export."""
