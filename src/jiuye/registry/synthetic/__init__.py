"""The pieces of the synthetic registry generator (``jiuye synth``); the entry point is
:mod:`jiuye.registry.synth`.

Every module draws with numpy generators seeded from the registry seed, one array per column,
never a Python loop per row; each documents in code the distributions it uses and why.
"""
