"""Export for a room: the gallery and its reports as a static folder that opens offline on another
laptop (``selfdata export DOSSIER``), and a report printed to PDF (``--pdf USE_CASE/RUN``).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from selfdata_lib import settings
from selfdata_lib.errors import OutputError

# A resource the browser would fetch from the network (a plain link the reader may click is fine).
_REMOTE = re.compile(
    r"<(?:script|img|iframe)[^>]+src=[\"']https?://|<link[^>]+href=[\"']https?://[^\"']*", re.I
)
README = """Galerie et rapports Self Data Territorial, exportés le {date}.

Ouvrez index.html dans un navigateur : tout fonctionne sans internet (cartes et graphiques compris).
Ces pages peuvent contenir des données personnelles (lieux, consommations) : ne les partagez qu'avec
l'accord des personnes concernées, et supprimez ce dossier après la séance.
"""


@dataclass
class ExportSummary:
    """What the export wrote, and what would still need the network (empty when all is offline)."""

    folder: Path
    reports: int = 0
    pdfs: list[Path] = field(default_factory=list)
    online_resources: list[str] = field(default_factory=list)


def export_gallery(dest: Path, *, root: Path | None = None, pdf: tuple[str, ...] = ()) -> ExportSummary:
    """Copy the gallery, each run's report and thumbnail into ``dest``; print the runs named in
    ``pdf`` (``lyon-water-district/camille``) to PDF with headless Chromium.

    Raises :class:`~selfdata_lib.errors.OutputError` (French) when ``dest`` is the outputs folder itself
    or cannot be written, or a run to print does not exist.
    """
    from selfdata_lib.app.display import today
    from selfdata_lib.app.gallery import collect_runs, gallery_html

    root = (root or settings.outputs_folder).resolve()
    dest = Path(dest).resolve()
    if dest == root or root in dest.parents:
        msg = f"Exportez vers un dossier hors de {root} (par exemple ~/galerie-atelier), pas dedans."
        raise OutputError(msg)
    runs = collect_runs(root)
    known = {run["_dir"] for run in runs}
    unknown = [p for p in pdf if p.strip("/") not in known]
    if unknown:
        msg = f"Aucune exécution {', '.join(unknown)} dans {root} ; exécutions connues : {', '.join(sorted(known))}."
        raise OutputError(msg)
    try:
        dest.mkdir(parents=True, exist_ok=True)
        summary = ExportSummary(dest)
        for run in runs:
            target = dest / run["_dir"]
            target.mkdir(parents=True, exist_ok=True)
            for name in (run.get("report") or "report.html", run.get("thumbnail")):
                if name and (root / run["_dir"] / name).is_file():
                    shutil.copy2(root / run["_dir"] / name, target / name)
            summary.reports += (target / (run.get("report") or "report.html")).is_file()
        (dest / "index.html").write_text(gallery_html(runs), encoding="utf-8")
        (dest / "LISEZMOI.txt").write_text(README.format(date=today()), encoding="utf-8")
    except OSError as exc:
        msg = (
            f"Impossible d'écrire l'export dans {dest} ({exc.strerror or exc}) : choisissez un autre dossier."
        )
        raise OutputError(msg) from exc
    for page in sorted(dest.rglob("*.html")):
        found = _REMOTE.findall(page.read_text(encoding="utf-8", errors="replace"))
        summary.online_resources += [f"{page.relative_to(dest)} : {hit[:120]}" for hit in found]
    if pdf:
        from selfdata_lib.app.browser import print_pdf

        for name in pdf:
            run_dir = name.strip("/")
            out = dest / (run_dir.replace("/", "--") + ".pdf")
            summary.pdfs.append(print_pdf(dest / run_dir / "report.html", out))
    return summary
