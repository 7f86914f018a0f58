"""Personal data is tested on the EU duties' ruleset (rejects threats, holds doubtful text)."""

from tests.dsa.conftest import house  # noqa: F401 (the moderators score with it)
