"""Coral's external moderation phase: Coral asks, the house rules and the model decide now."""
