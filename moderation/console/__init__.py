"""The moderator web console: Jinja pages under /console/, made interactive with htmx."""
