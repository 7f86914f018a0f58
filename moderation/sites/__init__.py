"""Sites domain slice."""
