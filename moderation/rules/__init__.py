"""House rules (SPEC §6): YAML rule files loaded, validated and evaluated.

Public entry points: ``loader.load_ruleset`` / ``loader.compile_ruleset``,
``store.RulesStore`` (the live ruleset of a process), ``engine.Ruleset.evaluate``
and ``cli.rules_cli``.
"""
