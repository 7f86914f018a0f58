"""Training the classifier: corpora, the stacked fit, calibration, evaluation, the CLI."""
