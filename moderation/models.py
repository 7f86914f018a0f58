"""Every model, imported in one place for Alembic and the test fixtures."""

from moderation.accounts.models import User
from moderation.authors.models import Author, AuthorNote, Sanction
from moderation.callbacks.models import Delivery, DeliveryAttempt
from moderation.comments.models import Comment, CommentRevision, Decision, Event
from moderation.db import Base
from moderation.dsa.models import Appeal, Statement
from moderation.flags.models import Flag
from moderation.perspective.models import ApiKey, Feedback, ScoredText
from moderation.privacy.models import PrivacyRequest
from moderation.queue.models import ReviewItem
from moderation.sites.models import Site

__all__ = [
    "ApiKey",
    "Appeal",
    "Author",
    "AuthorNote",
    "Base",
    "Comment",
    "CommentRevision",
    "Decision",
    "Delivery",
    "DeliveryAttempt",
    "Event",
    "Feedback",
    "Flag",
    "PrivacyRequest",
    "ReviewItem",
    "Sanction",
    "ScoredText",
    "Site",
    "Statement",
    "User",
]
