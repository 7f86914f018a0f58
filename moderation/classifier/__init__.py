"""The comment classifier at run time: load a verified artifact, its features, score, explain."""
