"""Every model, imported in one place for Alembic and the test fixtures."""

from moderation.accounts.models import User
from moderation.authors.models import Author, AuthorNote, Sanction
from moderation.callbacks.models import Delivery, DeliveryAttempt
from moderation.comments.models import Comment, CommentRevision, Decision, Event
from moderation.db import Base
from moderation.flags.models import Flag
from moderation.queue.models import ReviewItem
from moderation.sites.models import Site

__all__ = [
    "Author",
    "AuthorNote",
    "Base",
    "Comment",
    "CommentRevision",
    "Decision",
    "Delivery",
    "DeliveryAttempt",
    "Event",
    "Flag",
    "ReviewItem",
    "Sanction",
    "Site",
    "User",
]
