"""Find the figure modules in ``figures/`` and read what each declares, without running it.

A figure module declares, as plain string literals at module level:

    ID = "hero"            # stable: it is the figure's URL and anchor (fig-hero)
    TITLE = "..."          # a short name for lists and link targets
    CAPTION = "..."        # shown under the figure; may quote {{ value name }}
    ALT = "..."            # what the figure shows, for screen readers; may quote values
    SIZE = "wide"          # optional: "wide" (16:9, default) or "tall" (4:3)
    NARROW_SIZE = "3:4"    # optional: the phone canvas, width:height ("4:3", default, "1:1",
                           # "3:4" or "3:5"); draw() sees ctx.narrow and may lay out anew

and a function ``draw(fig, ctx)`` that draws on a matplotlib Figure and returns the
figure's data as a `kl.lecture.tables.Table` (offered as a CSV download). Reading the
declarations with `ast` keeps a warm build from importing matplotlib at all.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from kl.build.style import NARROW_ASPECTS
from kl.errors import FigureError

ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
REQUIRED = ("ID", "TITLE", "CAPTION", "ALT")
SIZES = ("wide", "tall")


@dataclass(frozen=True)
class FigureSpec:
    """What a figure module declares, and where."""

    id: str
    title: str
    caption: str
    alt: str
    size: str
    narrow_size: str
    path: Path

    @property
    def anchor(self) -> str:
        return f"fig-{self.id}"

    @property
    def caption_where(self) -> str:
        """What the caption's template is called, in messages and in the template cache."""
        return f"{self.path} CAPTION"

    @property
    def alt_where(self) -> str:
        """What the alt text's template is called, in messages and in the template cache."""
        return f"{self.path} ALT"


def _where(path: Path, node: ast.AST | None = None) -> str:
    line = getattr(node, "lineno", None)
    return f"{path}:{line}" if line else str(path)


def _literal_strings(path: Path, tree: ast.Module) -> dict[str, tuple[str, ast.AST]]:
    found: dict[str, tuple[str, ast.AST]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.isupper():
                value = node.value
                if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                    raise FigureError(f"{_where(path, node)}: {target.id} must be a plain string")
                found[target.id] = (value.value, node)
    return found


def read_figure_spec(path: Path) -> FigureSpec:
    """Parse one figure module; raise FigureError naming file and line for anything missing."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FigureError(f"{path}: cannot read ({exc.strerror})") from None
    return _parse_figure_spec(path, raw)


def _parse_figure_spec(path: Path, raw: bytes) -> FigureSpec:
    try:
        source = raw.decode("utf-8")
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise FigureError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise FigureError(f"{path}: is not UTF-8 text ({exc.reason})") from None
    fields = _literal_strings(path, tree)
    for name in REQUIRED:
        if name not in fields or not fields[name][0].strip():
            raise FigureError(f"{path}: declares no {name} (a non-empty string is required)")
    fig_id, id_node = fields["ID"]
    if not ID_PATTERN.match(fig_id):
        raise FigureError(
            f"{_where(path, id_node)}: ID {fig_id!r} must be lower-case letters, digits and dashes"
        )
    size = fields.get("SIZE", ("wide", None))[0]
    if size not in SIZES:
        raise FigureError(f"{_where(path, fields['SIZE'][1])}: SIZE must be one of {SIZES}")
    narrow_size = fields.get("NARROW_SIZE", ("4:3", None))[0]
    if narrow_size not in NARROW_ASPECTS:
        raise FigureError(
            f"{_where(path, fields['NARROW_SIZE'][1])}: NARROW_SIZE must be one of "
            f"{tuple(NARROW_ASPECTS)}"
        )
    if not any(isinstance(n, ast.FunctionDef) and n.name == "draw" for n in tree.body):
        raise FigureError(f"{path}: defines no draw(fig, ctx) function")
    return FigureSpec(
        id=fig_id,
        title=fields["TITLE"][0].strip(),
        caption=fields["CAPTION"][0].strip(),
        alt=fields["ALT"][0].strip(),
        size=size,
        narrow_size=narrow_size,
        path=path,
    )


def discover_figures(folder: Path) -> list[FigureSpec]:
    """Every figure module in ``folder`` (files starting with "_" are skipped), sorted by file.

    Raises FigureError for a broken declaration or two modules with the same ID.
    """
    specs: list[FigureSpec] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = read_figure_spec(path)
        if spec.id in seen:
            raise FigureError(f"{path}: ID {spec.id!r} is already used by {seen[spec.id]}")
        seen[spec.id] = path
        specs.append(spec)
    return specs
