"""The site integration: the only code that imports MkDocs or Python-Markdown.

The top layer: the ``kl`` MkDocs plugin (`kl.site.mkdocs_plugin`, the one module that
imports MkDocs), the Markdown extensions the pages are written with (math, glossary,
answers appendix), the complete docs tree any engine publishes (`kl.site.tree`, which
renders the pages with those extensions), the site's configuration read from
``mkdocs.yml`` (`kl.site.config`) and the ``kl`` command (`kl.site.cli`).
"""
