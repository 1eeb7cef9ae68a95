"""Open data: the directory as JSON and CSV, read from the same model as the pages."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .model import Dataset, Network

COLUMNS = [
    "id", "name_th", "name_en", "provinces", "form", "form_status", "sectors", "members",
    "pre_existing", "approach", "approach_status", "counts_as", "source_lines",
]


def network_row(network: Network) -> dict:
    """One network as a flat record; lists stay lists (CSV joins them with '; ')."""
    return {
        "id": network.id,
        "name_th": network.name.th,
        "name_en": network.name.en,
        "provinces": list(network.provinces),
        "form": network.form.value,
        "form_status": network.form.status,
        "sectors": list(network.sectors),
        "members": [{"th": m.name.th, "en": m.name.en, "role_th": m.role.th if m.role else None, "role_en": m.role.en if m.role else None} for m in network.members],
        "pre_existing": network.origin == "pre-existing",
        "approach": network.approach.value,
        "approach_status": network.approach.status,
        "counts_as": network.counts_as,
        "source_lines": [c.label.replace("–", "-") for c in network.sources],
    }


def to_json(data: Dataset) -> str:
    return json.dumps([network_row(n) for n in data.networks], ensure_ascii=False, indent=2) + "\n"


def to_csv(data: Dataset) -> str:
    """UTF-8 with BOM so that Excel shows Thai; members as Thai names joined by '; '."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for network in data.networks:
        row = network_row(network)
        row["members"] = [m["th"] for m in row["members"]]
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else v for k, v in row.items()})
    return "\ufeff" + out.getvalue()


def write_exports(data: Dataset, site_dir: Path) -> None:
    target = site_dir / "directory"
    target.mkdir(parents=True, exist_ok=True)
    (target / "networks.json").write_text(to_json(data), encoding="utf-8")
    (target / "networks.csv").write_text(to_csv(data), encoding="utf-8", newline="")
