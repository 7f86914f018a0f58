"""Text handling shared by intake, the rules engine and the classifier."""
