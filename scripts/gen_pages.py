"""The MkDocs build step (run by the gen-files plugin): the lecture's docs tree, into the site.

It is the only place that imports mkdocs_gen_files. `kl` makes the tree's files: every
page rendered from its template with the lecture's facts, every figure and the link
listings (`kl.site.tree.make_pages`). The lecture's MkDocs plugin (`kl.site.mkdocs_plugin`)
hands them to MkDocs; it has already dropped `kl` from sys.modules, so under `mkdocs serve`
an edit to the package shows up without a restart, and it cuts the math font once MkDocs
has rendered the pages.
"""

import mkdocs_gen_files

from kl.site.mkdocs_plugin import add_tree

add_tree(mkdocs_gen_files.config, mkdocs_gen_files.open)
