"""The lecture model: the data file, and the values and tables each section reads.

Above the measures, below the build: `kl.lecture.data` reads and validates
``docs/data/lecture.toml``; `kl.lecture.sections` computes, per section of the lecture,
the named values (`kl.lecture.values`) and tables (`kl.lecture.tables`) the pages quote,
formatted by `kl.lecture.formatting`. No matplotlib, no MkDocs, no Markdown.
"""
