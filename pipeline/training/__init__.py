"""Close the review loop: turn reviewer corrections into training data, train the polarity
classifier, save a complete versioned pipeline and evaluate it honestly against a gold set.

Modules: :mod:`errors` (coded errors), :mod:`textcat` (the classifier training shared with
``scripts/train_polarity.py``), :mod:`corrections` (read review databases, native, Prodigy and
doccano files), :mod:`data` (merge with the shipped set, strip gold, split by article),
:mod:`gold` (score a pipeline on the gold chronology), :mod:`registry` (alias corrections into
the model's registries), :mod:`models` (the models folder and its default), :mod:`train`
(the whole ``train`` command).
"""
