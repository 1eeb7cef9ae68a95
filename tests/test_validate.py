"""`python -m builder validate`: every kind of bad input gives file:line: field: message."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import main

NETWORK = "data/networks/trang-rubber.yaml"
PROBLEM_LINE = re.compile(r"^data/[\w/.-]+\.(yaml|txt):\d+: ")


def validate(project: Path, capsys) -> tuple[int, list[str]]:
    status = main(["--root", str(project), "validate"])
    lines = capsys.readouterr().err.splitlines()
    return status, lines


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_is_valid(project, capsys):
    status, lines = validate(project, capsys)
    assert status == 0, lines


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("en: Trang rubber network", "en: ''", f"{NETWORK}:2: name.en: string should have at least 1 character"),
        ("name: {th: เครือข่ายยางพาราตรัง, en: Trang rubber network}", "name: {th: เครือข่ายยางพาราตรัง}", f"{NETWORK}:2: name.en: field required"),
        ("origin: project", "origin: 3", f"{NETWORK}:4: origin: input should be 'project' or 'pre-existing'"),
        ("lost: true", "lost: 'yes'", f"{NETWORK}:15: figure.lost: input should be a valid boolean"),
        ("provinces: [trang]", "provinces: [krabi]", f"{NETWORK}:3: provinces[0]: unknown province 'krabi'"),
        ("sectors: [rubber]", "sectors: [tin]", f"{NETWORK}:8: sectors[0]: unknown sector 'tin'"),
        ("approach: {value: unknown, status: unknown}", "approach: {value: approach-9, status: stated, sources: [{lines: 812, quote: แนวทางที่ 1}]}", f"{NETWORK}:9: approach.value: unknown approach 'approach-9'"),
        ("value: unknown\n  status: unknown", "value: business\n  status: unknown", f"{NETWORK}:5: form: value and status must both be unknown, or neither"),
        ("lines: 688", "lines: 9999", f"{NETWORK}:12: members[0].sources[0].lines: line 9999 is past the report's last line (1168)"),
        ("quote: \"สหกรณ์กองทุนสวนยาง\"", "quote: \"สหกรณ์ออมทรัพย์ครู\"", f"{NETWORK}:12: members[0].sources[0].quote: quote not found on report line(s) 688"),
        ("lines: 688", "lines: \"690-689\"", f"{NETWORK}:12: members[0].sources[0].lines: range '690-689' must run forwards"),
    ],
)
def test_bad_network_field(project, capsys, old, new, expected):
    edit(project, NETWORK, old, new)
    status, lines = validate(project, capsys)
    assert status == 1
    assert any(line.startswith(expected) for line in lines), lines
    assert all(PROBLEM_LINE.match(line) for line in lines[:-1]), lines


def test_unknown_field_is_a_typo(project, capsys):
    edit(project, NETWORK, "origin: project", "origin: project\norign: project")
    status, lines = validate(project, capsys)
    assert status == 1
    assert f"{NETWORK}:5: orign: extra inputs are not permitted" in lines


def test_yaml_syntax_error_names_the_line(project, capsys):
    edit(project, NETWORK, "sectors: [rubber]", "sectors: [rubber")
    status, lines = validate(project, capsys)
    assert status == 1
    assert re.match(rf"{NETWORK}:\d+: YAML syntax error", lines[0]), lines


def test_not_utf8_names_the_line(project, capsys):
    path = project / NETWORK
    path.write_bytes(path.read_bytes().replace("ยางพาราตรัง, en".encode(), "ยางพาราตรัง".encode("tis-620") + b", en", 1))
    status, lines = validate(project, capsys)
    assert status == 1
    assert lines[0].startswith(f"{NETWORK}:2: file is not UTF-8"), lines


def test_duplicate_id_across_files(project, capsys):
    text = (project / NETWORK).read_text(encoding="utf-8")
    (project / "data/networks/trang-tin.yaml").write_text(text, encoding="utf-8")
    status, lines = validate(project, capsys)
    assert status == 1
    assert f"data/networks/trang-tin.yaml:1: id: duplicate network id 'trang-rubber' (first defined at {NETWORK}:1)" in lines
    assert "data/networks/trang-tin.yaml:1: id: id 'trang-rubber' must equal the file name 'trang-tin'" in lines


def test_duplicate_key(project, capsys):
    edit(project, NETWORK, "origin: project", "origin: project\norigin: project")
    status, lines = validate(project, capsys)
    assert f"{NETWORK}:5: origin: duplicate key" in lines


def test_unknown_network_in_counting(project, capsys):
    edit(project, "data/counting.yaml", "networks: [trang-rubber]", "networks: [trang-tin]")
    status, lines = validate(project, capsys)
    assert "data/counting.yaml:4: [0].networks[0]: unknown network 'trang-tin' (known: trang-rubber)" in lines


def test_all_problems_at_once(project, capsys):
    edit(project, NETWORK, "en: Trang rubber network", "en: ''")
    edit(project, "data/provinces/trang.yaml", "lines: 498", "lines: 5000")
    status, lines = validate(project, capsys)
    assert status == 1
    assert len(lines) == 3, lines  # two problems and the summary
    assert lines[-1] == "2 problem(s); nothing was built."


def test_thai_is_nfc_not_nfkc(project):
    """Decomposed input is normalised to NFC, and sara am stays one character."""
    from builder.dataset import load_dataset
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "น้ำ")
    edit(project, NETWORK, "en: Trang rubber network}", f"en: Trang rubber network {decomposed}}}")
    data = load_dataset(project / "data")
    assert data.network("trang-rubber").name.en.endswith("น้ำ")
    assert "\u0e33" in data.network("trang-rubber").name.en  # NFKC would have split it into ํ + า


def test_command_line_exit_status_and_no_traceback(project):
    edit(project, NETWORK, "provinces: [trang]", "provinces: trang")
    result = subprocess.run([sys.executable, "-m", "builder", "--root", str(project), "validate"], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{NETWORK}:3: provinces: input should be a valid list" in result.stderr


def test_alias_bomb_is_refused_not_expanded(project, capsys):
    """Nine lines of YAML aliases expand to a billion values: validate names the file and the
    anchor's line instead of hanging or running out of memory."""
    bomb = ["laughs:", "  - &l0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"  - &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 10)]
    path = project / NETWORK
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(bomb) + "\n", encoding="utf-8")
    anchor_line = len(path.read_text(encoding="utf-8").splitlines()) - 9
    status, lines = validate(project, capsys)
    assert status == 1
    assert any(line.startswith(f"{NETWORK}:{anchor_line}: aliases expand to more than") for line in lines), lines
