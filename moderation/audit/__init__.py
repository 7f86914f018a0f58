"""The audit trail of a comment, for moderators."""
