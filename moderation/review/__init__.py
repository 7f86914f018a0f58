"""Deciding comments: the decision writer and what moderators do (queue, undo, appeals, authors)."""
