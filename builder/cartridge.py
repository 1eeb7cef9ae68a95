"""The curriculum as course packages: one IMS Common Cartridge per language, for Moodle, Canvas and
other LMSs to import (downloads/phanthamit-<lang>.imscc), written after the PDFs.

Common Cartridge 1.1: Moodle imports 1.0 and 1.1 in full (1.2 and 1.3 only in part) and Canvas
imports 1.0 to 1.3, so 1.1 is the newest version both take whole; it has web links
(imswl_xmlv1p1) and per-resource roles.

The package holds an organization titled in its language: a first folder with the whole-course PDF
and web links to the directory and the sample programmes on the website (site_url), then one
folder per module in curriculum order with the module's participant and facilitator pages (the
print templates' HTML, with print.css and the Sarabun fonts in web_resources/) and its PDFs.
Facilitator material carries the LOM role "Instructor", which Moodle and Canvas import hidden
from learners.

The manifest is built with lxml (never by joining strings) and checked against the IMS CC 1.1
schemas and their embedded Schematron rules (builder/schemas/imscc-1.1/) before it is written,
so a bad package fails the build. The zip has sorted entries, one fixed timestamp (the report's
date) and identifiers made from the data's ids: two builds give the same bytes.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree, isoschematron

from . import curriculum
from .errors import BuildError
from .labels import label
from .model import Dataset, Module
from .pdf import FONTS, TEMPLATES, Printer, PrintDoc
from .render import LANGS

SCHEMAS = Path(__file__).parent / "schemas" / "imscc-1.1"
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOMM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
LOMR = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
WL = "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATIONS = {  # where IMS publishes them; the build reads the copies in SCHEMAS
    CP: "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd",
    LOMM: "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd",
    LOMR: "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd",
}
WL_LOCATION = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imswl_v1p1.xsd"
STYLESHEET = "web_resources/print.css"  # print.css finds its fonts in web_resources/fonts/

# Words the package needs that the site's labels do not have.
WORDS = {
    "about": {"th": "เกี่ยวกับหลักสูตร", "en": "About this course"},
    "online": {"th": "อ่านหน้านี้บนเว็บไซต์", "en": "This page on the website"},
}


def cartridge_path(lang: str) -> str:
    """Where a language's package goes under the site (the offline copy and reuse/ link to it)."""
    return f"downloads/phanthamit-{lang}.imscc"


@dataclass
class Resource:
    """One <resource>: its files by their paths in the package (the first is what its item opens)."""

    id: str
    title: str
    files: dict[str, bytes] = field(default_factory=dict)
    instructor: bool = False
    weblink: bool = False
    shared: bool = False  # the stylesheet and fonts: no item of its own, a dependency of the pages


@dataclass
class Folder:
    id: str
    title: str
    resources: list[Resource]


def site_url(root: Path) -> str:
    """mkdocs.yml's site_url (SITE_URL when set), ending in '/'."""
    from mkdocs.utils import yaml_load

    config_file = root / "mkdocs.yml"
    with open(config_file, encoding="utf-8") as f:
        url = str(yaml_load(f).get("site_url") or "")
    if not url.startswith(("https://", "http://")):
        raise BuildError(f"{config_file}: site_url: the course packages link to the website, so it must be an "
                         f"absolute http(s) address (set SITE_URL), not {url!r}")
    return url.rstrip("/") + "/"


def write_cartridges(data: Dataset, site_dir: Path, root: Path, epoch: str) -> list[Path]:
    """Write both languages' packages into a built site that already has its PDFs; return their paths."""
    url = site_url(root)
    printer = Printer(data)
    written = []
    for lang in LANGS:
        folders = plan(data, lang, site_dir, url, printer)
        manifest = manifest_xml(lang, folders)
        files = {"imsmanifest.xml": manifest}
        for folder in folders:
            for resource in folder.resources:
                files.update(resource.files)
        check(files)
        target = site_dir / cartridge_path(lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_zip(target, files, epoch)
        written.append(target)
    return written


# --- what goes in ----------------------------------------------------------------------------

def plan(data: Dataset, lang: str, site_dir: Path, url: str, printer: Printer) -> list[Folder]:
    """The package's folders in order, each with its resources and their files."""
    prefix = "" if lang == "th" else f"{lang}/"
    shared = Resource("r-web-resources", "web_resources", shared=True,
                      files={STYLESHEET: (TEMPLATES / "print.css").read_bytes()})
    for name in FONTS:
        shared.files[f"web_resources/fonts/{name}"] = _read(site_dir / "assets" / "fonts" / name)

    course = curriculum.course_pdf(lang)
    about = [
        Resource("r-course-pdf", f"{label('pdf_course', lang)} (PDF)",
                 {f"course/{Path(course).name}": _read(site_dir / course)}, instructor=True),
        weblink("directory", label("directory", lang), f"{url}{prefix}directory/"),
    ]
    about += [weblink(f"programme-{p.id}", p.title[lang], f"{url}{prefix}curriculum/programme/{p.id}/")
              for p in data.programmes]
    about.append(shared)
    folders = [Folder("i-about", WORDS["about"][lang], about)]
    for m in sorted(data.modules, key=lambda m: (m.number, m.id)):
        folders.append(Folder(f"i-{m.id}", f"{label('module_n', lang).format(n=m.number)}: {m.title[lang]}",
                              module_resources(m, lang, site_dir, url + prefix, printer)))
    return folders


def module_resources(m: Module, lang: str, site_dir: Path, url: str, printer: Printer) -> list[Resource]:
    """A module's two pages and its PDFs; the facilitator's are for instructors only."""
    resources = []
    for facilitator in (False, True):
        view = "facilitator" if facilitator else "participant"
        page = f"{m.id}/{m.id}-{view}-{lang}.html"
        online = f"{url}curriculum/{m.id}/" + ("facilitator/" if facilitator else "")
        doc = PrintDoc(page, "cartridge.html.j2", lang, {
            "module": m, "facilitator": facilitator, "stylesheet": f"../{STYLESHEET}",
            "online": online, "online_label": WORDS["online"][lang]})
        resources.append(Resource(f"r-{m.id}-{view}", label(f"{view}_view", lang),
                                  {page: printer.render(doc).encode("utf-8")}, instructor=facilitator))
    for facilitator in (False, True):
        view = "facilitator" if facilitator else "participant"
        path = curriculum.module_pdf(lang, m.id, facilitator)
        resources.append(Resource(f"r-{m.id}-{view}-pdf", f"{label(f'pdf_{view}', lang)} (PDF)",
                                  {f"{m.id}/{Path(path).name}": _read(site_dir / path)}, instructor=facilitator))
    for ws in m.worksheets:
        path = curriculum.worksheet_pdf(lang, m.id, ws.id)
        resources.append(Resource(f"r-{m.id}-worksheet-{ws.id}-pdf", f"{label('worksheet', lang)}: {ws.title[lang]} (PDF)",
                                  {f"{m.id}/{Path(path).name}": _read(site_dir / path)}))
    return resources


def weblink(name: str, title: str, url: str) -> Resource:
    """A web link to the website: a small imswl XML file of its own."""
    return Resource(f"r-{name}", title, {f"weblinks/{name}.xml": weblink_xml(title, url)}, weblink=True)


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise BuildError(f"{path} is missing: the course packages are made from the built site and its PDFs")
    return path.read_bytes()


# --- the manifest ----------------------------------------------------------------------------

def manifest_xml(lang: str, folders: list[Folder]) -> bytes:
    """imsmanifest.xml; every text from the data goes in as an element's text or an attribute."""
    manifest = _root(CP, "manifest", identifier=f"phanthamit-curriculum-{lang}")
    manifest.set(f"{{{XSI}}}schemaLocation", " ".join(f"{ns} {loc}" for ns, loc in SCHEMA_LOCATIONS.items()))

    metadata = _sub(manifest, CP, "metadata")
    _sub(metadata, CP, "schema", "IMS Common Cartridge")
    _sub(metadata, CP, "schemaversion", "1.1.0")
    general = _sub(_sub(metadata, LOMM, "lom"), LOMM, "general")
    _sub(_sub(general, LOMM, "title"), LOMM, "string", label("curriculum", lang), language=lang)
    _sub(general, LOMM, "language", lang)
    _sub(_sub(general, LOMM, "description"), LOMM, "string", label("curriculum_intro", lang), language=lang)

    organization = _sub(_sub(manifest, CP, "organizations"), CP, "organization",
                        identifier="org", structure="rooted-hierarchy")
    top = _sub(organization, CP, "item", identifier="root")
    for folder in folders:
        item = _sub(top, CP, "item", identifier=folder.id)
        _sub(item, CP, "title", folder.title)
        for resource in folder.resources:
            if not resource.shared:
                leaf = _sub(item, CP, "item", identifier="i-" + resource.id.removeprefix("r-"), identifierref=resource.id)
                _sub(leaf, CP, "title", resource.title)

    resources = _sub(manifest, CP, "resources")
    for folder in folders:
        for resource in folder.resources:
            _resource(resources, resource)
    return _bytes(manifest)


def _resource(parent: etree._Element, resource: Resource) -> None:
    first = next(iter(resource.files))
    if resource.weblink:  # one file and no href (CC 1.1, rule 2)
        node = _sub(parent, CP, "resource", identifier=resource.id, type="imswl_xmlv1p1")
        _sub(node, CP, "file", href=first)
        return
    node = _sub(parent, CP, "resource", identifier=resource.id, type="webcontent",
                **({} if resource.shared else {"href": first}))
    if resource.instructor:
        lom = _sub(_sub(node, CP, "metadata"), LOMR, "lom")
        role = _sub(_sub(lom, LOMR, "educational"), LOMR, "intendedEndUserRole")
        _sub(role, LOMR, "source", "IMSGLC_CC_Rolesv1p1")
        _sub(role, LOMR, "value", "Instructor")
    for path in resource.files:
        _sub(node, CP, "file", href=path)
    if first.endswith(".html"):
        _sub(node, CP, "dependency", identifierref="r-web-resources")


def weblink_xml(title: str, url: str) -> bytes:
    link = _root(WL, "webLink")
    link.set(f"{{{XSI}}}schemaLocation", f"{WL} {WL_LOCATION}")
    _sub(link, WL, "title", title)
    _sub(link, WL, "url", href=url, target="_blank")
    return _bytes(link)


def _root(ns: str, tag: str, **attrs: str) -> etree._Element:
    nsmap = {None: ns, "xsi": XSI}
    if ns == CP:
        nsmap.update(lomimscc=LOMM, lom=LOMR)
    return etree.Element(f"{{{ns}}}{tag}", attrs, nsmap=nsmap)


def _bytes(root: etree._Element) -> bytes:
    """UTF-8 with the declaration in double quotes, as the IMS examples write it."""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, ns: str, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


# --- checks ----------------------------------------------------------------------------------

class Validators:
    """The IMS CC 1.1 manifest schema, its embedded Schematron rules and the web-link schema."""

    def __init__(self):
        try:
            manifest = etree.parse(str(SCHEMAS / "ccv1p1_imscp_v1p2_v1p0.xsd"))
            self.manifest = etree.XMLSchema(manifest)
            # The rules are embedded in the XSD; their document is not strict ISO Schematron.
            self.rules = isoschematron.Schematron(manifest, validate_schema=False, store_report=True)
            self.weblink = etree.XMLSchema(etree.parse(str(SCHEMAS / "ccv1p1_imswl_v1p1.xsd")))
        except (OSError, etree.XMLSchemaParseError, etree.SchematronParseError) as err:
            raise BuildError(f"{SCHEMAS}: cannot load the IMS Common Cartridge schemas: {err}") from None

    def problems(self, files: dict[str, bytes]) -> list[str]:
        """Every way the package's XML breaks the schemas or rules, as 'file:line: message'."""
        found = []
        manifest = etree.fromstring(files["imsmanifest.xml"]).getroottree()
        if not self.manifest.validate(manifest):
            found += [f"imsmanifest.xml:{e.line}: {e.message}" for e in self.manifest.error_log]
        if not self.rules.validate(manifest):
            for failed in self.rules.validation_report.iter("{http://purl.oclc.org/dsdl/svrl}failed-assert"):
                found.append(f"imsmanifest.xml: {failed.get('location')}: {' '.join(''.join(failed.itertext()).split())}")
        for path, content in sorted(files.items()):
            if path.startswith("weblinks/") and not self.weblink.validate(etree.fromstring(content).getroottree()):
                found += [f"{path}:{e.line}: {e.message}" for e in self.weblink.error_log]
        return found


def check(files: dict[str, bytes]) -> None:
    """Refuse a package that is not valid CC 1.1, names a file it does not hold or points at a
    resource it does not have (libxml2's XSD validation leaves xs:IDREF unresolved)."""
    problems = Validators().problems(files)
    manifest = etree.fromstring(files["imsmanifest.xml"])
    for node in manifest.iter(f"{{{CP}}}file"):
        if node.get("href") not in files:
            problems.append(f"imsmanifest.xml:{node.sourceline}: file {node.get('href')!r} is not in the package")
    resources = {node.get("identifier") for node in manifest.iter(f"{{{CP}}}resource")}
    for node in manifest.iter(f"{{{CP}}}item", f"{{{CP}}}dependency"):
        ref = node.get("identifierref")
        if ref is not None and ref not in resources:
            problems.append(f"imsmanifest.xml:{node.sourceline}: identifierref {ref!r} names no resource")
    if problems:
        raise BuildError("the course package is not a valid IMS Common Cartridge 1.1:\n" + "\n".join(problems))


# --- the zip ---------------------------------------------------------------------------------

def write_zip(target: Path, files: dict[str, bytes], epoch: str) -> None:
    """A zip with sorted entries and every timestamp at the report's date."""
    stamp = datetime.fromtimestamp(int(epoch), timezone.utc).timetuple()[:6]
    with zipfile.ZipFile(target, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
