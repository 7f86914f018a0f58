"""Review queue: items moderators claim and resolve."""
