"""GDPR duties: retention of identifiers, an author's export and erasure."""
