"""kl: the engine behind Lecture 34, "KL Divergence".

One sub-package per layer, each importing only the layers below it (the import contract
in ``pyproject.toml``, checked in CI):

- `kl.measures`: entropy, cross-entropy and KL divergence (discrete, Gaussian closed
  forms, numeric continuous), fitting, coding; no lecture, no matplotlib, no MkDocs;
- `kl.lecture`: the data file and the values and tables of each section;
- `kl.build`: the figures, the templated pages and the complete docs tree, written into
  any folder with no site generator involved;
- `kl.site`: the MkDocs plugin and the Markdown extensions, the only code that imports
  MkDocs or Markdown.

`kl.errors` holds the errors every layer raises (all `kl.errors.KLError`).
"""
