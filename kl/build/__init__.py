"""The figure machinery and the build: every artifact `kl` makes, without a site generator.

Above the lecture model: figures are discovered, drawn and cached (`kl.build.gallery`,
`kl.build.render`, `kl.build.cache`), pages, captions and alt texts templated
(`kl.build.templating`), formulas converted to MathML (`kl.build.mathml`) and the math
font cut to what they use (`kl.build.mathfont`). `kl.build.artifacts` builds them all
into memory or a folder. Nothing here imports MkDocs or Markdown.
"""
