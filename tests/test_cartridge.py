"""The course packages (builder/cartridge.py): downloads/phanthamit-<lang>.imscc, IMS Common Cartridge 1.1.

No independent Common Cartridge reader can be installed here: edX's cc2olx is not on PyPI, the
npm package `imscc` only writes cartridges (and is not on the registry either), Debian packages no
LMS, and the parsers that exist (Ruby gems, a Rust crate, a Go module, Moodle's PHP) come from
registries this project cannot reach or need a whole LMS. So the packages are checked by:
- the IMS CC 1.1 XML schemas and the Schematron rules embedded in them (lxml), loaded here from
  builder/schemas/imscc-1.1 and not through the builder;
- `Package` below, a reader written from the CC 1.1 profile (the way Moodle's and Canvas's
  importers walk a cartridge): the organization's items, each item's resource, each resource's
  files and dependencies, every web link's URL, and every local reference inside the HTML pages and
  their stylesheet, which must all be in the zip — and nothing in the zip that no resource names;
- Chromium, opening every page of the unpacked package from file:// with no other request.
A gate shows that the validators and the reader catch broken packages.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import etree, html, isoschematron

from builder import curriculum
from builder.errors import BuildError
from builder.labels import label
from conftest import ROOT

SCHEMAS = ROOT / "builder" / "schemas" / "imscc-1.1"
NS = {
    "cp": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
    "lomm": "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest",
    "lom": "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource",
    "wl": "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1",
}
LANGS = ["th", "en"]
THAI = re.compile(r"[\u0e00-\u0e7f]")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")


def site_url() -> str:
    from mkdocs.utils import yaml_load

    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        return yaml_load(f)["site_url"].rstrip("/") + "/"


@pytest.fixture(scope="module")
def validators():
    """(manifest schema, its Schematron rules, web-link schema), straight from the IMS files."""
    manifest = etree.parse(str(SCHEMAS / "ccv1p1_imscp_v1p2_v1p0.xsd"))
    return (etree.XMLSchema(manifest),
            isoschematron.Schematron(manifest, validate_schema=False, store_report=True),
            etree.XMLSchema(etree.parse(str(SCHEMAS / "ccv1p1_imswl_v1p1.xsd"))))


def schema_errors(files: dict[str, bytes], validators) -> list[str]:
    manifest_xsd, rules, weblink_xsd = validators
    manifest = etree.fromstring(files["imsmanifest.xml"]).getroottree()
    errors = []
    if not manifest_xsd.validate(manifest):
        errors += [f"imsmanifest.xml:{e.line}: {e.message}" for e in manifest_xsd.error_log]
    if not rules.validate(manifest):
        errors += [" ".join(f.itertext()).strip() for f in rules.validation_report.iter("{*}failed-assert")]
    for resource in manifest.iterfind(".//cp:resource[@type='imswl_xmlv1p1']", NS):
        for file in resource.iterfind("cp:file", NS):
            link = etree.fromstring(files[file.get("href")]).getroottree()
            if not weblink_xsd.validate(link):
                errors += [f"{file.get('href')}:{e.line}: {e.message}" for e in weblink_xsd.error_log]
    return errors


class Package:
    """A Common Cartridge 1.1 as an importer reads it: manifest, items, resources, files."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.manifest = etree.fromstring(files["imsmanifest.xml"])
        self.resources = {r.get("identifier"): r for r in self.manifest.iterfind("cp:resources/cp:resource", NS)}
        self.root = self.manifest.find("cp:organizations/cp:organization/cp:item", NS)

    @classmethod
    def open(cls, path: Path) -> "Package":
        with zipfile.ZipFile(path) as archive:
            return cls({name: archive.read(name) for name in archive.namelist()})

    @property
    def title(self) -> tuple[str, str]:
        string = self.manifest.find("cp:metadata/lomm:lom/lomm:general/lomm:title/lomm:string", NS)
        return string.get("language"), string.text

    def folders(self) -> list[etree._Element]:
        return self.root.findall("cp:item", NS)

    @staticmethod
    def item_title(item: etree._Element) -> str:
        return item.findtext("cp:title", namespaces=NS)

    def leaves(self, folder: etree._Element) -> list[tuple[str, etree._Element]]:
        """(title, resource) of each item in a folder."""
        return [(self.item_title(i), self.resources.get(i.get("identifierref"))) for i in folder.findall("cp:item", NS)]

    def own_files(self, resource: etree._Element) -> list[str]:
        return [f.get("href") for f in resource.iterfind("cp:file", NS)]

    def reachable_files(self, resource: etree._Element) -> set[str]:
        """A resource's files and those of the resources it depends on."""
        found = set(self.own_files(resource))
        for dependency in resource.iterfind("cp:dependency", NS):
            found |= set(self.own_files(self.resources[dependency.get("identifierref")]))
        return found

    def weblink_url(self, resource: etree._Element) -> str:
        link = etree.fromstring(self.files[self.own_files(resource)[0]])
        return link.find("wl:url", NS).get("href")

    def is_for_instructors(self, resource: etree._Element) -> bool:
        roles = resource.findall("cp:metadata/lom:lom/lom:educational/lom:intendedEndUserRole/lom:value", NS)
        return any(role.text == "Instructor" for role in roles)

    def problems(self) -> list[str]:
        """Everything an importer would trip on: dangling references, missing or stray files."""
        found = []
        if self.root is None:
            return ["no organization"]
        for item in self.root.iter("{%s}item" % NS["cp"]):
            ref = item.get("identifierref")
            if ref is not None and ref not in self.resources:
                found.append(f"item {item.get('identifier')} points at missing resource {ref}")
            if item is not self.root and not self.item_title(item):
                found.append(f"item {item.get('identifier')} has no title")
        named = set()
        for rid, resource in self.resources.items():
            own = self.own_files(resource)
            named |= set(own)
            found += [f"resource {rid}: file {path} is not in the package" for path in own if path not in self.files]
            href = resource.get("href")
            if href is not None and href not in own:
                found.append(f"resource {rid}: href {href} is not one of its files")
            for dependency in resource.iterfind("cp:dependency", NS):
                if dependency.get("identifierref") not in self.resources:
                    found.append(f"resource {rid}: dependency on missing {dependency.get('identifierref')}")
            if resource.get("type") == "imswl_xmlv1p1":
                found += self._weblink_problems(rid, resource)
            elif href is not None and href.endswith(".html") and href in self.files:
                found += self._page_problems(rid, resource, href)
        stray = set(self.files) - named - {"imsmanifest.xml"}
        found += [f"{path} is in the zip but no resource names it" for path in sorted(stray)]
        return found

    def _weblink_problems(self, rid: str, resource: etree._Element) -> list[str]:
        own = self.own_files(resource)
        if len(own) != 1 or resource.get("href") is not None or resource.find("cp:dependency", NS) is not None:
            return [f"web link {rid}: must have one file, no href and no dependency"]
        if own[0] not in self.files:
            return []
        url = urlsplit(self.weblink_url(resource))
        return [] if url.scheme in ("http", "https") and url.netloc else [f"web link {rid}: {url.geturl()!r} is not absolute"]

    def _page_problems(self, rid: str, resource: etree._Element, page: str) -> list[str]:
        """Every local href/src of the page, and every url() of its local stylesheets, in the package."""
        reachable, found = self.reachable_files(resource), []
        doc = html.fromstring(self.files[page])
        refs = [(page, value) for node in doc.iter() for attr in ("href", "src") if (value := node.get(attr))]
        for source, ref in refs:  # a worklist: each local stylesheet adds its own url()s
            if urlsplit(ref).scheme or ref.startswith("#"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(urlsplit(ref).path)))
            if target not in reachable or target not in self.files:
                found.append(f"resource {rid}: {source} refers to {ref}, not in the package")
            elif target.endswith(".css"):
                refs += [(target, u) for u in CSS_URL.findall(self.files[target].decode("utf-8"))]
        return found


@pytest.fixture(scope="module")
def packages(site) -> dict[str, Package]:
    return {lang: Package.open(site / f"downloads/phanthamit-{lang}.imscc") for lang in LANGS}


def modules_in_order(dataset):
    return sorted(dataset.modules, key=lambda m: (m.number, m.id))


# --- valid and complete --------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_package_validates_against_the_ims_schemas(packages, validators, lang):
    assert schema_errors(packages[lang].files, validators) == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_resource_and_reference_resolves_inside_the_package(packages, lang):
    package = packages[lang]
    assert len(package.resources) > 20
    assert package.problems() == []


@pytest.mark.parametrize("lang", LANGS)
def test_course_title_and_language(packages, lang):
    assert packages[lang].title == (lang, label("curriculum", lang))


@pytest.mark.parametrize("lang", LANGS)
def test_one_folder_per_module_in_curriculum_order(packages, dataset, lang):
    package = packages[lang]
    titles = [package.item_title(f) for f in package.folders()]
    modules = modules_in_order(dataset)
    assert titles[-len(modules):] == [f"{label('module_n', lang).format(n=m.number)}: {m.title[lang]}" for m in modules]
    every_title = [package.item_title(i) for i in package.root.iter("{%s}item" % NS["cp"]) if i is not package.root]
    if lang == "en":
        assert not [t for t in every_title if THAI.search(t)]
    else:
        assert all(THAI.search(t) for t in titles)


@pytest.mark.parametrize("lang", LANGS)
def test_each_module_has_its_pages_and_pdfs(packages, dataset, site, lang):
    package = packages[lang]
    folders = package.folders()[-len(dataset.modules):]
    for module, folder in zip(modules_in_order(dataset), folders):
        hrefs = [resource.get("href") for _, resource in package.leaves(folder)]
        pdfs = [curriculum.module_pdf(lang, module.id, f) for f in (False, True)]
        pdfs += [curriculum.worksheet_pdf(lang, module.id, ws.id) for ws in module.worksheets]
        assert [h for h in hrefs if h.endswith(".html")] == [
            f"{module.id}/{module.id}-participant-{lang}.html", f"{module.id}/{module.id}-facilitator-{lang}.html"]
        assert [h for h in hrefs if h.endswith(".pdf")] == [f"{module.id}/{Path(p).name}" for p in pdfs]
        for path in pdfs:  # the very PDFs the site offers
            assert package.files[f"{module.id}/{Path(path).name}"] == (site / path).read_bytes()


@pytest.mark.parametrize("lang", LANGS)
def test_facilitator_material_is_for_instructors_only(packages, lang):
    package = packages[lang]
    hidden = {rid for rid, r in package.resources.items() if package.is_for_instructors(r)}
    facilitator = {rid for rid, r in package.resources.items()
                   if any("-facilitator-" in path or "phanthamit-course-" in path for path in package.own_files(r))}
    assert facilitator and hidden == facilitator


@pytest.mark.parametrize("lang", LANGS)
def test_directory_is_a_web_link_to_the_site(packages, lang):
    package = packages[lang]
    links = {package.item_title(i): package.weblink_url(package.resources[i.get("identifierref")])
             for i in package.root.iter("{%s}item" % NS["cp"])
             if package.resources.get(i.get("identifierref")) is not None
             and package.resources[i.get("identifierref")].get("type") == "imswl_xmlv1p1"}
    prefix = "" if lang == "th" else "en/"
    assert links[label("directory", lang)] == f"{site_url()}{prefix}directory/"


# --- the pages, as a browser shows them from the unpacked package ----------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_pages_render_from_the_unpacked_package(packages, dataset, page, tmp_path, lang):
    package = packages[lang]
    for name, content in package.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    failed, other_hosts = [], []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("request", lambda request: other_hosts.append(request.url) if not request.url.startswith("file://") else None)
    for module in dataset.modules:
        for view in ("participant", "facilitator"):
            page.goto((tmp_path / module.id / f"{module.id}-{view}-{lang}.html").as_uri())
            assert page.locator("h1").inner_text() == module.title[lang]
            families = page.evaluate("document.fonts.ready.then(fs => [...fs].filter(f => f.status === 'loaded').map(f => f.family))")
            assert any("Sarabun" in family for family in families)
            assert (page.locator(".answer").count() > 0) == (view == "facilitator")  # answers only for the facilitator
            online = page.locator("p.online a").get_attribute("href")
            assert online.startswith(site_url()) and f"curriculum/{module.id}/" in online
    assert failed == [] and other_hosts == []


# --- the gate: broken packages are caught ----------------------------------------------------

def _edited(files: dict[str, bytes], edit) -> dict[str, bytes]:
    manifest = etree.fromstring(files["imsmanifest.xml"])
    edit(manifest)
    return {**files, "imsmanifest.xml": etree.tostring(manifest, xml_declaration=True, encoding="UTF-8")}


def _dangling_item(manifest):
    manifest.find(".//cp:item[@identifierref]", NS).set("identifierref", "r-not-there")


def _title_in_wrong_namespace(manifest):
    manifest.find(".//cp:item/cp:title", NS).tag = "{http://example.org/other}title"


def test_validators_and_reader_catch_broken_packages(packages, validators):
    from builder.cartridge import check

    files = packages["th"].files
    wrong_namespace = _edited(files, _title_in_wrong_namespace)
    assert schema_errors(wrong_namespace, validators)
    with pytest.raises(BuildError):
        check(wrong_namespace)  # the build refuses it too

    # The profile's Schematron rules run too: rule 10b, a resource's href must be one of its files.
    elsewhere = _edited(files, lambda m: m.find(".//cp:resource[@href]", NS).set("href", "elsewhere.html"))
    assert any("RULE 10b" in e for e in schema_errors(elsewhere, validators))
    with pytest.raises(BuildError, match="RULE 10b"):
        check(elsewhere)

    # libxml2's XSD validation does not resolve xs:IDREF, so only the reader sees a dangling item.
    dangling = _edited(files, _dangling_item)
    assert any("r-not-there" in p for p in Package(dangling).problems())
    with pytest.raises(BuildError, match="r-not-there"):
        check(dangling)

    pdf = next(name for name in files if name.endswith(".pdf"))
    missing = {name: content for name, content in files.items() if name != pdf}
    assert any(pdf in p for p in Package(missing).problems())
    with pytest.raises(BuildError):
        check(missing)

    stray = {**files, "notes.txt": b"not in the manifest"}
    assert Package(stray).problems() == ["notes.txt is in the zip but no resource names it"]

    page = next(name for name in files if name.endswith("-participant-th.html"))
    unlinked = {**files, page: files[page].replace(b"web_resources/print.css", b"web_resources/gone.css")}
    assert any("gone.css" in p for p in Package(unlinked).problems())


# --- data is text, never markup --------------------------------------------------------------

def test_data_is_escaped_in_the_manifest_weblinks_and_pages(dataset):
    from builder.cartridge import Folder, Resource, manifest_xml, weblink_xml
    from builder.model import Text
    from builder.pdf import Printer, PrintDoc

    hostile = 'A <b>bold</b> & "quoted" ]]> title'
    manifest = etree.fromstring(manifest_xml("en", [Folder("i-x", hostile, [Resource("r-x", hostile, {"x/a.pdf": b""})])]))
    assert [t.text for t in manifest.iterfind(".//cp:title", NS)] == [hostile, hostile]
    link = etree.fromstring(weblink_xml(hostile, "https://example.org/?a=1&b=<2>"))
    assert link.findtext("wl:title", namespaces=NS) == hostile
    assert link.find("wl:url", NS).get("href") == "https://example.org/?a=1&b=<2>"

    module = dataset.modules[0].model_copy(update={"title": Text(th=hostile, en=hostile)})
    doc = PrintDoc("x.html", "cartridge.html.j2", "en", {
        "module": module, "facilitator": False, "stylesheet": "../web_resources/print.css",
        "online": 'https://example.org/"><script>', "online_label": hostile})
    page = html.fromstring(Printer(dataset).render(doc).encode("utf-8"))
    assert page.find(".//h1").text_content() == hostile
    assert page.find(".//script") is None and page.find(".//b") is None
    assert page.find(".//p[@class='online']/a").get("href") == 'https://example.org/"><script>'


def test_site_url_must_be_absolute(tmp_path, monkeypatch):
    from builder.cartridge import site_url as cartridge_site_url

    (tmp_path / "mkdocs.yml").write_text('site_url: !ENV [SITE_URL, "https://phanthamit.example/"]\n', encoding="utf-8")
    monkeypatch.setenv("SITE_URL", "https://example.org/phanthamit")
    assert cartridge_site_url(tmp_path) == "https://example.org/phanthamit/"
    monkeypatch.setenv("SITE_URL", "example.org/phanthamit/")
    with pytest.raises(BuildError, match=r"mkdocs\.yml: site_url: .*SITE_URL"):
        cartridge_site_url(tmp_path)
