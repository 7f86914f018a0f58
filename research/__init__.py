"""Research on the classifier, outside the product: cross-validation, ceilings (README.md)."""
