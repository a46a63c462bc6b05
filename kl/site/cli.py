"""The ``kl`` command: build the lecture's artifacts or docs tree into a folder, list its figures.

    kl build OUT_DIR     write every figure, table and value into OUT_DIR
    kl tree OUT_DIR      write the expanded docs tree (docs/ and mkdocs.yml) into OUT_DIR,
                         for MkDocs or Zensical to publish: cd OUT_DIR && zensical build
    kl figures           list the figures (id, title, source file)

Errors in the data file or a figure module are reported in one line naming the file;
set KL_TRACEBACK=1 to see the full traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from kl.build.artifacts import build_artifacts, write_artifacts
from kl.build.gallery import discover_figures
from kl.build.project import Project
from kl.errors import KLError
from kl.site.tree import write_tree


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _build(project: Project, out_dir: Path) -> None:
    start = time.perf_counter()
    artifacts = build_artifacts(project, progress=_progress)
    write_artifacts(artifacts, out_dir)
    elapsed = time.perf_counter() - start
    print(
        f"wrote {len(artifacts.files)} files to {out_dir} "
        f"({len(artifacts.drawn)} of {len(artifacts.figures)} figures drawn, "
        f"the rest from the cache) in {elapsed:.1f} s"
    )


def _tree(project: Project, out_dir: Path) -> None:
    start = time.perf_counter()
    count = write_tree(project, out_dir, progress=_progress)
    elapsed = time.perf_counter() - start
    print(f"wrote the docs tree ({count} files) to {out_dir} in {elapsed:.1f} s")


def _figures(project: Project) -> None:
    for spec in discover_figures(project.figures_dir):
        print(f"{spec.id:<24} {spec.title}  ({spec.path.relative_to(project.root)})")


def _check_project(project: Project) -> None:
    """Raise KLError unless ``project.root`` holds a lecture (its figures and data file)."""
    for needed in (project.figures_dir, project.data_file):
        if not needed.exists():
            raise KLError(
                f"{project.root} is not a lecture project: it has no "
                f"{needed.relative_to(project.root)} (run kl in the project's folder "
                "or give --root)"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kl", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write every artifact into OUT_DIR")
    build.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    tree = commands.add_parser("tree", help="write the expanded docs tree into OUT_DIR")
    tree.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    commands.add_parser("figures", help="list the figures")
    args = parser.parse_args(argv)
    project = Project(args.root.resolve())
    try:
        _check_project(project)
        if args.command == "build":
            _build(project, args.out_dir)
        elif args.command == "tree":
            _tree(project, args.out_dir)
        else:
            _figures(project)
    except KLError as exc:
        if os.environ.get("KL_TRACEBACK"):
            raise
        print(f"kl: error: {exc}", file=sys.stderr)
        return 1
    return 0
