"""Celery entry point and tasks: thin wrappers that take ids and call one service."""
