"""Comment moderation service; the app factory is ``moderation.app:create_app``."""
