"""The scikit-learn comment classifier: training, artifacts, scoring and explanations."""
