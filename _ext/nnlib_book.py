"""The course's local Sphinx extension (registered in ``_config.yml``).

It does three things for the Jupyter Book build:

1. **Kernel-free explorers.** ``setup`` sets ``NNLIB_BOOK_BUILD=1`` in the
   environment. The kernels that execute the notebooks inherit it, so every
   ``Explorer.show()`` returns its HTML animation instead of a live widget
   (see ``nnlib/explorers/base.py``).
2. **Folded solutions.** When Sphinx reads ``solutions/*.ipynb``, every code
   cell that contains ``### BEGIN SOLUTION`` gets the ``hide-input`` tag, so
   the book shows its output but folds the code behind a "Show code cell
   source" toggle. The marker comments themselves (``### BEGIN/END
   SOLUTION``, ``### BEGIN/END HIDDEN TESTS``, and the ``#> `` stub lines that
   ``tools/make_exercises.py`` turns into the exercise's starting code) are
   dropped from what the reader sees; they are comments, so the code that
   runs is unchanged. The page title "NN · Topic — exercises" becomes
   "NN · Topic — solutions", so the book's table of contents tells the two
   apart. Nobody edits a solution notebook by hand for this.
3. **No thebe.** Jupyter Book always loads sphinx-thebe, which puts a CDN
   address (unpkg) into every page and, added twice, raises a JavaScript
   error. The course has no live code in the book, so its handlers are
   disconnected.
4. **An offline guard.** After the HTML is written, every page is scanned
   for ``<script src>``, ``<link href>``, ``<img src>`` (and friends) that
   point to another host. Each one is a Sphinx warning, so a book that would
   need the internet fails the build (which runs with ``-W``).
"""

import json
import os
import re
from pathlib import Path

from sphinx.util import logging

BOOK_ENV = "NNLIB_BOOK_BUILD"   # the same name as nnlib.explorers.base.BOOK_ENV
SOLUTION_FOLDER = "solutions/"
BEGIN = "### BEGIN SOLUTION"
HIDDEN_TESTS_LINE = re.compile(r"^[ \t]*### (BEGIN|END) HIDDEN TESTS\s*$")
MARKER_LINE = re.compile(r"^[ \t]*(### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$|#> |#>$)")

# Attributes through which a page would fetch something by itself (links a
# reader clicks, <a href>, are fine and are not checked).
_FETCHING = re.compile(
    r"<(script|link|img|iframe|source|video|audio|embed)\b[^>]*?\b(src|href|data)\s*=\s*[\"']"
    r"(?P<url>(https?:)?//[^\"']+)[\"']",
    re.IGNORECASE,
)
_CSS_IMPORT = re.compile(r"@import\s+(url\()?[\"']?(?P<url>(https?:)?//[^\"')]+)", re.IGNORECASE)
_CSS_FETCH = re.compile(r"(@import\s+|url\(\s*)[\"']?(?P<url>(https?:)?//[^\"')\s]+)", re.IGNORECASE)

logger = logging.getLogger(__name__)


def fold_solution_cells(nb):
    """Tag solution code cells ``hide-input``; drop marker comment lines.

    Cells containing ``### BEGIN SOLUTION`` are folded, and lose their marker
    lines and ``#> `` stub lines. Every other code cell only loses the
    ``### BEGIN/END HIDDEN TESTS`` marker lines (the asserts between them
    stay). Returns the number of cells folded. ``nb`` is a notebook dict.
    """
    folded = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        lines = src.splitlines(keepends=True)
        if BEGIN in src:
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if "hide-input" not in tags:
                tags.append("hide-input")
            kept = [line for line in lines if not MARKER_LINE.match(line)]
            folded += 1
        else:
            kept = [line for line in lines if not HIDDEN_TESTS_LINE.match(line)]
        if len(kept) != len(lines):
            cell["source"] = "".join(kept).rstrip("\n")
    return folded


TITLE = re.compile(r"\A(\s*# .*?)\s+—\s+exercises[ \t]*$", re.MULTILINE)


def retitle_solutions(nb):
    """'# NN · Topic — exercises' → '# NN · Topic — solutions' in the first cell."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else src
            cell["source"] = TITLE.sub(r"\1 — solutions", src, count=1)
            return


def _on_source_read(app, docname, source):
    if not docname.startswith(SOLUTION_FOLDER):
        return
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    nb = json.loads(source[0])
    retitle_solutions(nb)
    if fold_solution_cells(nb) == 0:
        logger.warning(f"{docname}: no code cell contains '{BEGIN}', so no solution was folded",
                       location=docname)
    source[0] = json.dumps(nb, ensure_ascii=False, indent=1)


def external_fetches(html):
    """URLs on another host that an HTML page would load by itself."""
    urls = [m.group("url") for m in _FETCHING.finditer(html)]
    # <link rel="canonical"/"alternate"> etc. would not be fetched, but the
    # book has none; be strict and report every <link href> to another host.
    urls += [m.group("url") for m in _CSS_IMPORT.finditer(html)]
    return urls


def _on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in sorted(outdir.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for url in external_fetches(text):
            logger.warning(f"{page.relative_to(outdir)} loads {url} from the internet; "
                           f"the book must work offline")
    for css in sorted(outdir.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        for m in _CSS_FETCH.finditer(text):
            logger.warning(f"{css.relative_to(outdir)} loads {m.group('url')} from the internet")


def _drop_thebe(app, config):
    """Disconnect sphinx-thebe's event handlers and stylesheet."""
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)
    app.registry.css_files = [(name, attrs) for name, attrs in app.registry.css_files
                              if "thebe" not in str(name)]


def setup(app):
    os.environ[BOOK_ENV] = "1"
    app.connect("config-inited", _drop_thebe)
    app.connect("source-read", _on_source_read)
    app.connect("build-finished", _on_build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
