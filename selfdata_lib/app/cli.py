"""The ``selfdata`` command: list, run and add use cases, detect exports, manage open data."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import sys
import textwrap
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, NoReturn

import typer
import yaml

from selfdata_lib import __version__, settings

app = typer.Typer(
    help=(
        "Self Data Territorial notebooks: cross your own data exports with the open data of your "
        "territory, on your own machine.\n\nStart with `selfdata list`, then `selfdata run ID`."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
data_app = typer.Typer(
    help="The open-data catalogue: list datasets, fetch live copies into the cache.", no_args_is_help=True
)
samples_app = typer.Typer(
    help="Regenerate the bundled samples (personas and open data).", no_args_is_help=True
)
personas_app = typer.Typer(
    help="The sample personas (fictional households, real export formats).", no_args_is_help=True
)
app.add_typer(data_app, name="data")
app.add_typer(samples_app, name="samples")
app.add_typer(personas_app, name="personas")
territory_app = typer.Typer(
    help="Territories: list them, see what each can run, describe a new one.", no_args_is_help=True
)
app.add_typer(territory_app, name="territory")
collect_app = typer.Typer(help="Collect open data over time (online, on request).", no_args_is_help=True)
app.add_typer(collect_app, name="collect")


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _interrupt_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt, so that an interrupted run cleans up after itself."""
    import signal

    def stop(_signum: int, _frame: FrameType | None) -> NoReturn:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"selfdata_lib {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    pass


@app.command("list")
def list_cmd() -> None:
    """List the use cases and research notebooks, with their territory, title and presets."""
    from selfdata_lib.app.usecases import list_use_cases
    from selfdata_lib.errors import UseCaseCardError

    try:
        cards = list_use_cases()
    except UseCaseCardError as exc:
        _fail(str(exc))
    for kind, heading in (
        ("use_case", "Cas d'usage"),
        ("research", "Point de départ et carnets de recherche"),
    ):
        group = [c for c in cards if c.kind == kind]
        if not group:
            continue
        typer.secho(heading, bold=True)
        width = max(len(c.id) for c in group)
        for c in group:
            typer.echo(f"  {c.id:<{width}}  [{c.territory}] {c.title}")
            typer.echo(f"  {'':<{width}}  préréglages : {', '.join(c.presets)}")


@app.command("params")
def params_cmd(use_case: Annotated[str, typer.Argument(help="Use case id (see `selfdata list`).")]) -> None:
    """List a notebook's parameters: what each one means, the value expected, which ones are your files."""
    from selfdata_lib.app.parameters import parameter_specs, parameters_table
    from selfdata_lib.app.usecases import get_use_case
    from selfdata_lib.errors import UseCaseCardError

    try:
        card = get_use_case(use_case)
    except UseCaseCardError as exc:
        _fail(str(exc))
    specs = parameter_specs(card)
    typer.secho(f"{card.id} — {card.title}", bold=True)
    typer.echo(parameters_table(specs))
    if card.personal_parameters:
        typer.echo(
            "\nVos fichiers et vos lieux : "
            + ", ".join(card.personal_parameters)
            + ". En donner un lance une exécution sur vos données (aucun fichier d'exemple n'est alors utilisé)."
        )
    asked = [n for n, s in specs.items() if s.mine == "required"]
    if asked:
        typer.echo("À donner aussi avec vos fichiers : " + ", ".join(asked) + ".")
    typer.echo(f"Exemple : selfdata run {card.id} -p NOM VALEUR")


def _parse_value(raw: str) -> object:
    """``-p`` values are read as YAML scalars: 2 → int, true → bool, null → None, else text."""
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw
    return value if isinstance(value, (int, float, bool, type(None), list, dict)) else raw


def _parse_params(args: list[str]) -> dict[str, object]:
    """Parse ``-p NAME VALUE`` pairs left over by the option parser."""
    params: dict[str, object] = {}
    i = 0
    while i < len(args):
        flag = args[i]
        if flag not in ("-p", "--param"):
            _fail(f"argument inattendu {flag!r} : les paramètres se donnent avec -p NOM VALEUR")
        if i + 2 >= len(args):
            _fail(f"{flag} attend un NOM et une VALEUR, par exemple -p occupants 3")
        params[args[i + 1]] = _parse_value(args[i + 2])
        i += 3
    return params


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def run(
    ctx: typer.Context,
    use_case: Annotated[
        str | None, typer.Argument(help="Use case id (see `selfdata list`).", show_default=False)
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option("--preset", help="Named parameter set of the card (default: its first preset)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default outputs/ID/PRESET).")
    ] = None,
    all_: Annotated[
        bool,
        typer.Option(
            "--all", help="Run every preset of every use case and research notebook, then the gallery."
        ),
    ] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Parallel runs for --all (0: one per core).")] = 0,
) -> None:
    """Run a use-case notebook on a preset or on your own files, and write its report.

    Override any notebook parameter with -p NAME VALUE (repeatable), for example
    `selfdata run lyon-water-district -p water_export my_data/eau.json -p occupants 3`.
    Values are read as YAML (3 is a number, true a boolean, null nothing).

    Parameters are checked before anything runs (`selfdata params ID` lists them). Giving any of your
    own files makes the run yours: no sample file is used for the others, and the outputs go to
    outputs/ID/mes-donnees/ (outputs/ID/PRESET/ for a preset). Each run writes notebook.ipynb (executed),
    report.html and results.json. Your files never leave the machine.
    """
    from selfdata_lib.app.runner import run_use_case
    from selfdata_lib.errors import OutputError, ParameterError, UseCaseCardError

    param = _parse_params(list(ctx.args))
    if all_:
        if use_case or preset or param:
            _fail("--all lance tous les préréglages : ne le combinez pas avec un cas d'usage, --preset ou -p")
        _run_all(jobs=jobs, out_root=out)
        return
    if not use_case:
        _fail("donnez un cas d'usage (voir `selfdata list`) ou --all")
    _interrupt_on_sigterm()
    try:
        outcome = run_use_case(use_case, preset, overrides=param, out_dir=out)
    except (UseCaseCardError, ParameterError, OutputError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail(
            "Exécution interrompue : rien n'a été remplacé, les résultats précédents sont intacts.", code=130
        )
    if not outcome.ok:
        _fail(f"{outcome.error}\nSorties (avec l'erreur) : {outcome.out_dir}")
    _print_summary(use_case, outcome)


def _print_summary(use_case: str, outcome: Any) -> None:
    """The run in a few lines: files read, the headline, the key figures, where the report is."""
    data = json.loads(outcome.results_path.read_text(encoding="utf-8"))
    typer.secho(
        f"{use_case} [{data.get('label', outcome.preset)}] terminé en {outcome.duration_s:.0f} s", fg="green"
    )
    for entry in data.get("inputs", []):
        tag = "exemple du projet" if entry.get("sample") else "votre fichier"
        if not entry.get("format"):
            typer.echo(f"  ignoré : {entry.get('file')} (pas un export reconnu)")
            continue
        by_kind = entry.get("by_kind") or {"": entry}
        from selfdata_lib.app.notebook import KIND_FR, format_title

        counts = "; ".join(
            f"{KIND_FR.get(kind, kind) + ' : ' if len(by_kind) > 1 else ''}gardées {c.get('rows_kept')}, écartées "
            f"{c.get('rows_rejected')}"
            for kind, c in by_kind.items()
        )
        typer.echo(f"  lu : {entry.get('file')} ({format_title(entry.get('format'))}, {tag}) — {counts}")
        for note in entry.get("notes", []):
            typer.echo(f"    note : {note}")
        for warning in entry.get("warnings", []):
            typer.secho(f"    ⚠ {warning}", fg="yellow")
    said = {w for entry in data.get("inputs", []) for w in entry.get("warnings", [])}
    if data.get("headline"):
        typer.echo("")
        for line in textwrap.wrap(data["headline"].replace("**", ""), 100):
            typer.echo(f"  {line}")
        typer.echo("")
    figures = data.get("figures") or []
    key = [f for f in figures if f.get("headline")] or figures[:8]
    for fig in key:
        typer.echo(f"  {fig['label']} : {fig['text']}")
        shown = [
            ("chiffre douteux : voir l'avertissement sur le fichier ci-dessus" if w in said else w)
            for w in fig.get("warnings", [])
        ]
        for warning in dict.fromkeys(shown):
            typer.secho(f"    ⚠ {warning}", fg="yellow")
    if len(figures) > len(key):
        typer.echo(f"  … et {len(figures) - len(key)} autres résultats dans le rapport")
    from selfdata_lib.app.gallery import write_gallery

    typer.echo(f"Rapport : {outcome.out_dir / 'report.html'}")
    root = settings.outputs_folder.resolve()
    if outcome.out_dir.resolve().is_relative_to(root):  # the gallery of the outputs folder stays current
        typer.echo(f"Galerie : {write_gallery(root)}")


def _run_all(*, jobs: int, out_root: Path | None) -> None:
    from tqdm import tqdm

    from selfdata_lib.app.gallery import write_gallery
    from selfdata_lib.app.runner import RunOutcome, all_runs, run_all

    runs = all_runs()
    root = out_root or settings.outputs_folder
    workers = jobs or None
    bar = tqdm(total=len(runs), desc="notebooks", unit="run", file=sys.stderr)

    def done(outcome: RunOutcome) -> None:
        bar.update(1)
        bar.set_postfix_str(f"{outcome.use_case}/{outcome.preset}")
        if not outcome.ok:
            tqdm.write(outcome.error or "failed", file=sys.stderr)

    outcomes = run_all(jobs=workers, out_root=root, runs=runs, on_done=done)
    bar.close()
    gallery = write_gallery(root)
    failed = [o for o in outcomes if not o.ok]
    typer.echo(f"{len(outcomes) - len(failed)} exécutions réussies sur {len(outcomes)}.")
    typer.secho(f"Galerie : {gallery.resolve()}", bold=True)
    if failed:
        raise typer.Exit(1)


@app.command()
def gallery(out: Annotated[Path | None, typer.Option("--out", help="Outputs folder.")] = None) -> None:
    """(Re)write the gallery index.html from the runs already in the outputs folder."""
    from selfdata_lib.app.gallery import write_gallery

    typer.echo(write_gallery(out or settings.outputs_folder).resolve())


@app.command()
def export(
    dest: Annotated[Path, typer.Argument(help="Folder to write the static gallery and reports to.")],
    pdf: Annotated[
        list[str] | None,
        typer.Option(
            "--pdf", help="Also print this run to PDF (USE_CASE/RUN, e.g. lyon-water-district/camille)."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Outputs folder to export.")] = None,
) -> None:
    """Export the gallery and reports for a room: a folder that opens offline on another laptop."""
    from selfdata_lib.app.export import export_gallery
    from selfdata_lib.errors import BrowserError, OutputError

    try:
        summary = export_gallery(dest, root=out, pdf=tuple(pdf or ()))
    except (OutputError, BrowserError) as exc:
        _fail(str(exc))
    typer.secho(
        f"{summary.reports} rapports et la galerie exportés : {summary.folder / 'index.html'}", fg="green"
    )
    for path in summary.pdfs:
        typer.echo(f"PDF : {path}")
    for hit in summary.online_resources:
        typer.secho(f"  ⚠ a besoin d'internet : {hit}", fg="yellow")


@app.command()
def detect(paths: Annotated[list[Path], typer.Argument(help="Files or folders to inspect.")]) -> None:
    """Say which export format each file is, and what importing it gives (rows kept and rejected, with
    the first rejected lines and the notes on units). Files that are not exports (a Takeout's
    Settings.json, a README) are listed as ignored; the exit code is 1 only when nothing could be read
    or a recognised export could not be read.
    """
    from selfdata_lib.errors import ExportFormatError
    from selfdata_lib.exports import detect_format, display_name, scan_folder
    from selfdata_lib.exports._base import KIND_NAMES

    unreadable, recognised = False, 0
    for path in paths:
        if not path.exists():
            typer.secho(f"{path}: introuvable", fg="red")
            unreadable = True
            continue
        is_zip = path.is_file() and path.suffix.lower() == ".zip"
        items = scan_folder(path) if path.is_dir() or is_zip else [(path, None, None)]
        for file, fmt, err in items:
            name = display_name(file, path if path.is_dir() else path.parent)
            if fmt is None and err is None:
                try:
                    fmt = detect_format(file)
                except ExportFormatError as exc:
                    err = str(exc)
            if fmt is None:
                assert err is not None  # no format comes with its reason (scan_folder, detect_format)
                typer.secho(f"{name}: ignoré — {err.split(': ', 1)[-1]}", fg="yellow")
                continue
            try:
                frame = fmt.read(file)
            except ExportFormatError as exc:
                unreadable = True
                typer.secho(f"{name}: {fmt.title}, mais illisible — {str(exc).split(': ', 1)[-1]}", fg="red")
                continue
            recognised += 1
            rep = frame.attrs["import_report"]
            period = ""
            time_col = next((c for c in ("start", "time", "date") if c in frame.columns), None)
            if time_col and len(frame):
                period = f", du {frame[time_col].min():%Y-%m-%d} au {frame[time_col].max():%Y-%m-%d}"
            typer.echo(
                f"{name}: {fmt.title} ({KIND_NAMES.get(fmt.kind, fmt.kind)}) — lues {rep['rows_read']}, "
                f"gardées {rep['rows_kept']}, écartées {rep['rows_rejected']}{period}"
            )
            for reason, count in rep["rejected_by_reason"].items():
                typer.echo(f"    écartées {count} : {reason}")
            for issue in rep["issues"][:5]:
                detail = f" ({issue['detail']})" if issue.get("detail") else ""
                typer.echo(f"      {issue['where']} : {issue['reason']}{detail}")
            if rep["rows_rejected"] > 5:
                typer.echo("      … (toutes les lignes écartées sont dans le rapport d'import)")
            for note in rep.get("notes", []):
                typer.echo(f"    note : {note}")
            for warning in rep.get("warnings", []):
                typer.secho(f"    ⚠ {warning}", fg="yellow")
    if unreadable or not recognised:
        raise typer.Exit(1)


@data_app.command("list")
def data_list() -> None:
    """List the open datasets, where each one would be read from now, and its licence."""
    from selfdata_lib.app.notebook import ORIGIN_FR
    from selfdata_lib.errors import DataUnavailableError
    from selfdata_lib.opendata import CATALOGUE, locate

    for name, ds in sorted(CATALOGUE.items()):
        try:
            _, prov = locate(name)
            where = f"{ORIGIN_FR.get(str(prov['origin']), prov['origin'])} : {prov['path']}"
        except DataUnavailableError:
            where = "absent de cette machine"
        typer.secho(f"{name}  [{ds.territory}] {ds.title}", bold=True)
        typer.echo(f"    source : {ds.source} — {ds.licence}\n    page : {ds.url}\n    lu depuis : {where}")
        live = f"selfdata data fetch {name} (en ligne)" if ds.live else "pas de source en ligne"
        typer.echo(f"    mise à jour : {live}")


@data_app.command("fetch")
def data_fetch(
    name: Annotated[str, typer.Argument(help="Dataset name (see `selfdata data list`).")],
    force: Annotated[bool, typer.Option("--force", help="Download again.")] = False,
) -> None:
    """Download the live dataset into your cache (only public data is requested, nothing is sent)."""
    from selfdata_lib.errors import DataUnavailableError, NetworkDisabledError
    from selfdata_lib.opendata import fetch

    try:
        folder = fetch(name, force=force)
    except (DataUnavailableError, NetworkDisabledError, OSError) as exc:
        _fail(str(exc))
    typer.echo(f"{name} cached in {folder}")


@samples_app.command("build")
def samples_build(
    out: Annotated[Path | None, typer.Option("--out", help="Samples folder (default data/samples).")] = None,
) -> None:
    """Regenerate the sample personas' exports and the open-data samples (deterministic)."""
    from selfdata_lib.samples import build_samples

    root = out or settings.samples_folder
    written = build_samples(root)
    typer.echo(f"{len(written)} fichiers écrits sous {root}")


@personas_app.command("build")
def personas_build(
    out: Annotated[
        Path | None, typer.Option("--out", help="Personas folder (default data/samples/personas).")
    ] = None,
) -> None:
    """Regenerate the sample personas' exports (deterministic: same files every time)."""
    from selfdata_lib.samples.personas import build_personas

    written = build_personas(out or settings.personas_folder)
    typer.echo(f"{len(written)} fichiers écrits sous {out or settings.personas_folder}")


@personas_app.command("list")
def personas_list() -> None:
    """List the sample personas and the exports each one has."""
    from selfdata_lib.samples.personas import PERSONAS

    for name in PERSONAS:
        folder = settings.personas_folder / name
        files = sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and p.name != "README.md"
        )
        typer.secho(name, bold=True)
        for f in files:
            typer.echo(f"  {f}")


@collect_app.command("velov")
def collect_velov(
    dest: Annotated[Path, typer.Argument(help="Folder of the history (one Parquet file per poll).")],
    every: Annotated[float, typer.Option("--every", help="Minutes between two polls.")] = 5.0,
    times: Annotated[int, typer.Option("--times", help="Number of polls.")] = 12,
    url: Annotated[
        str | None, typer.Option("--url", help="Any system's GBFS gbfs.json (default: Vélo'v, Lyon).")
    ] = None,
) -> None:
    """Poll a bike-share system's GBFS feed (Vélo'v by default, any with --url) into a history the
    availability model can learn from (online); the history has the same columns for every system.
    """
    from selfdata_lib.errors import DataUnavailableError, NetworkDisabledError
    from selfdata_lib.opendata import collect_history

    if every <= 0 or times < 1:
        _fail("--every doit être positif et --times au moins 1.")
    typer.echo(
        f"{times} relevés du flux GBFS, toutes les {every:g} minutes, dans {dest} (Ctrl-C pour arrêter)."
    )
    try:
        written = collect_history(dest, every_min=every, times=times, url=url)
    except (NetworkDisabledError, DataUnavailableError) as exc:
        _fail(str(exc))
    typer.secho(
        f"{len(written)} relevés écrits dans {dest} : donnez ce dossier au notebook "
        "velov-availability-model (-p history_file DOSSIER).",
        fg="green",
    )


@app.command()
def contribute(
    use_case: Annotated[str, typer.Argument(help="Use case id of a finished run (see `selfdata list`).")],
    dest: Annotated[Path, typer.Argument(help="Folder to write the contribution into (to hand over).")],
    preset: Annotated[
        str, typer.Option("--preset", help="The run's preset (default: my own files).")
    ] = "mes-donnees",
    out: Annotated[Path | None, typer.Option("--out", help="Outputs folder.")] = None,
) -> None:
    """Write my contribution (the payload my run showed, its consent receipt, sealed with a sha256) into a
    folder I hand over to the cooperative myself: nothing is sent.
    """
    from selfdata_lib import settings
    from selfdata_lib.analysis.pooling import ContributionError, write_contribution

    results = (out or settings.outputs_folder) / use_case / preset / "results.json"
    if not results.is_file():
        _fail(f"pas de run terminé dans {results.parent} : lancez d'abord selfdata run {use_case}.")
    try:
        path = write_contribution(results, dest)
    except ContributionError as exc:
        _fail(str(exc))
    typer.secho(
        f"Contribution écrite : {path}. Rien n'a été envoyé ; gardez l'identifiant de foyer du nom de fichier "
        "pour retirer votre consentement plus tard.",
        fg="green",
    )


@app.command()
def pool(
    source: Annotated[Path, typer.Argument(help="Folder of contributions (JSON or JSON-lines files).")],
    dest: Annotated[Path, typer.Argument(help="Folder of the published releases (open-data snapshots).")],
    engine: Annotated[str, typer.Option("--engine", help="pandas, duckdb or dask.")] = "duckdb",
    release: Annotated[str | None, typer.Option("--release", help="Only this release (e.g. 2025).")] = None,
    withdrawals: Annotated[
        Path | None, typer.Option("--withdrawals", help="File of withdrawn household ids, one per line.")
    ] = None,
) -> None:
    """The cooperative's side: validate the contributions, aggregate those of each use case on an engine,
    publish each release (differentially private with OpenDP; the observatory above a number of
    participants) with its release record.
    """
    from selfdata_lib.analysis.pooling import ENGINES, pool_all, read_withdrawals

    if engine not in ENGINES:
        _fail(f"moteur « {engine} » inconnu : {', '.join(ENGINES)}")
    if not source.is_dir():
        _fail(f"{source} n'est pas un dossier de contributions (fichiers .json ou .jsonl)")
    if withdrawals is not None and not withdrawals.is_file():
        _fail(f"{withdrawals} : fichier des retraits introuvable (un identifiant de foyer par ligne attendu)")
    checked, published = pool_all(
        source, dest, engine=engine, release=release, withdrawals=read_withdrawals(withdrawals)
    )
    read = len(checked.accepted) + len(checked.rejected)
    for rel in published:
        rec = rel.record
        eps = (
            "publication à seuil, sans bruit"
            if rec["epsilon"] is None
            else f"ε = {rec['epsilon']:g} par foyer"
        )
        typer.echo(
            f"{rec['use_case']} : {rec['contributions_accepted']} contributions retenues sur "
            f"{rec['contributions_read']} lues ; "
            f"{eps} ; publié dans {rel.folder}"
        )
        if rec["groups_suppressed"]:
            typer.echo(f"  non publiés (trop peu de contributions) : {', '.join(rec['groups_suppressed'])}")
    for rejected in checked.rejected.to_dict("records"):
        who = f" (foyer {rejected['household']})" if rejected["household"] else ""
        typer.echo(f"  écartée : {rejected['file']}{who} — {rejected['reason']}")
    for rel in published:
        for rejected in rel.record["rejected"]:
            if not rejected["file"]:  # refused at publication (an ε consented below the release's)
                typer.echo(f"  écartée : foyer {rejected['household']} — {rejected['reason']}")
    if not published:
        _fail(f"aucune contribution retenue sur {read} : rien n'a été publié")


@app.command()
def foyer(
    out: Annotated[Path, typer.Argument(help="The household file to write (foyer.yaml).")],
    bank: Annotated[Path | None, typer.Option("--banque", help="My bank statement (CSV or OFX).")] = None,
    address: Annotated[
        Path | None, typer.Option("--adresse", help="A contract's address (Enedis DataConnect JSON).")
    ] = None,
    periode: Annotated[str | None, typer.Option("--periode", help="Month computed, AAAA-MM.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Draft my household file from my exports (« déclarer une fois »): rent and salary from the bank
    statement, commune from a contract's address, each with where it came from; the rest to complete.
    """
    from selfdata_lib.analysis import social
    from selfdata_lib.errors import ExportFormatError
    from selfdata_lib.exports import read, read_contract_address

    if out.exists() and not force:
        _fail(f"{out} existe déjà : choisissez un autre nom, ou --force pour le remplacer.")
    try:
        frame = read(bank, kind="bank") if bank else None
        where = read_contract_address(address) if address else None
    except ExportFormatError as exc:
        _fail(str(exc))
    out.write_text(social.prefill_household(frame, where, periode=periode), encoding="utf-8")
    typer.secho(
        f"Brouillon écrit dans {out} : complétez les lignes « à compléter » (âges, enfants, statut du "
        "logement), vérifiez les valeurs « depuis », puis donnez-le au notebook "
        "(selfdata run lyon-social-rights -p household_file FICHIER).",
        fg="green",
    )


@territory_app.command("list")
def territory_list() -> None:
    """The territories described (territories/*.yaml and SELFDATA_TERRITORIES) and the use cases each runs."""
    from selfdata_lib import territories
    from selfdata_lib.app.territory_tools import use_case_matrix

    try:
        known = territories.all_territories()
    except territories.TerritoryError as exc:
        _fail(str(exc))
    for stem, problem in territories.broken_files().items():
        typer.secho(f"{stem:<14} fichier invalide, ignoré : {problem}", fg="red")
    for t in known:
        described = sum(t.coverage().values())
        typer.echo(
            f"{t.id:<14} {t.name} ({t.country}) — {described}/{len(territories.KINDS)} types de données"
        )
    typer.echo("")
    typer.echo(use_case_matrix().to_string())
    typer.echo(
        "\n« — » : le notebook est lié à son territoire ; `selfdata territory show ID` dit ce qui manque."
    )


@territory_app.command("show")
def territory_show(name: Annotated[str, typer.Argument(help="Territory id or name.")]) -> None:
    """What a territory describes, which use cases it can run, and what is missing with where to get it."""
    from selfdata_lib import territories
    from selfdata_lib.app.territory_tools import can_run, missing_data, offline_source

    try:
        t = territories.get(name)
    except territories.TerritoryError as exc:
        _fail(str(exc))
    typer.secho(f"{t.name} ({t.country}, {t.id}) — {t.path}", bold=True)
    typer.echo(f"  codes : {t.codes}  centre : {t.centre}  bbox : {t.bbox}  {t.timezone}, {t.language}")
    from selfdata_lib.opendata import _catalog

    for kind, entry in t.open_data.items():
        offline = offline_source(t, kind)
        named = [str(entry[k]) for k in ("dataset", "history") if entry.get(k)]
        unknown = [n for n in named if n not in _catalog.CATALOGUE]
        if unknown:
            close = difflib.get_close_matches(unknown[0], list(_catalog.CATALOGUE), n=1, cutoff=0.6)
            hint = f" (vouliez-vous « {close[0]} » ?)" if close else " (voir selfdata data list)"
            typer.secho(f"  ✗ {kind:<17} jeu de données inconnu « {unknown[0]} »{hint}", fg="red")
            continue
        if offline:
            where = f"hors ligne : {offline}" + (f" ({entry['source']})" if entry.get("source") else "")
        else:
            where = "en ligne seulement : " + str(
                entry.get("gbfs")
                or entry.get("gtfs")
                or entry.get("url")
                or ("contours IRIS (OpenDataSoft, georef-france-iris)" if entry.get("iris") else "?")
            )
        typer.echo(f"  ✓ {kind:<17} {where}")
    from selfdata_lib.app.usecases import list_use_cases

    typer.secho("Cas d'usage :", bold=True)
    for card in list_use_cases():
        if card.kind == "use_case":
            status, detail = can_run(card, t)
            typer.echo(f"  {card.id:<34} {status}" + (f" ({detail})" if detail else ""))
    gaps = missing_data(t)
    if len(gaps):
        typer.secho("Données ouvertes manquantes :", bold=True)
        for row in gaps.to_dict("records"):
            uses = f" — nécessaire à {row['needed_by']}" if row["needed_by"] else ""
            typer.echo(f"  ✗ {row['kind']:<17} {row['what']}{uses}\n      où la trouver : {row['where']}")


@territory_app.command("new")
def territory_new(
    name: Annotated[str, typer.Argument(help="The place's name, e.g. Grenoble or Gent.")],
    country: Annotated[str, typer.Option(help="ISO country code (FR, ES, BE…).")] = "FR",
    centre: Annotated[str, typer.Option(help="Centre as LAT,LON (else --geocode).")] = "",
    insee: Annotated[str, typer.Option(help="INSEE code of the commune (France).")] = "",
    geocode: Annotated[bool, typer.Option(help="Find the place online (its name is sent).")] = False,
    folder: Annotated[Path | None, typer.Option(help="Where to write (default territories/).")] = None,
) -> None:
    """Describe a new territory: write territories/ID.yaml, then list what it can run and what is missing."""
    from selfdata_lib.app.territory_tools import TerritoryToolError, scaffold
    from selfdata_lib.errors import DataUnavailableError, NetworkDisabledError
    from selfdata_lib.geo import parse_latlon
    from selfdata_lib.territories import TerritoryError

    place = parse_latlon(centre) if centre else None
    if centre and place is None:
        _fail(f"--centre attend « lat,lon », par exemple 45.1885,5.7245 ; reçu {centre!r}")
    codes = {"insee_commune": insee} if insee else {}
    try:
        path = scaffold(name, country=country, centre=place, codes=codes, geocode=geocode, folder=folder)
    except (TerritoryToolError, TerritoryError, NetworkDisabledError, DataUnavailableError, OSError) as exc:
        _fail(str(exc))
    typer.echo(f"Écrit : {path}")
    from selfdata_lib.territories import folders

    if path.parent.resolve() in [f.resolve() for f in folders()]:
        territory_show(path.stem)
    else:
        typer.echo("(dossier hors du projet : ajoutez-le à SELFDATA_TERRITORIES pour l'utiliser)")


@app.command()
def new(
    use_case: Annotated[str, typer.Argument(help="Id of the new use case, e.g. rennes-school-data.")],
    title: Annotated[str, typer.Option(help="Title in French (the question).")] = "Mon nouveau cas d'usage",
    territory: Annotated[
        str, typer.Option(help="A territory's name (see selfdata territory list) or France.")
    ] = "Lyon",
) -> None:
    """Create use_cases/ID/ with a card and a working notebook to start from."""
    from selfdata_lib.app.usecases import known_territories, load_card

    TERRITORIES = known_territories()

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", use_case):
        _fail("l'identifiant est fait de mots en minuscules reliés par « - », par ex. rennes-school-data")
    if territory not in TERRITORIES:
        _fail(f"territoire inconnu « {territory} » : l'un de {', '.join(TERRITORIES)}")
    folder = settings.use_cases_folder / use_case
    if folder.exists():
        _fail(f"{folder} existe déjà : choisissez un autre identifiant ou supprimez ce dossier")
    template = Path(__file__).parent / "templates" / "use_case"
    folder.mkdir(parents=True)
    for src in template.iterdir():
        text = src.read_text(encoding="utf-8")
        text = (
            text.replace("__ID__", use_case)
            .replace("__TITLE__", title.replace('"', "'"))
            .replace("__TERRITORY__", territory)
        )
        name = src.name.replace("__ID__", use_case)
        (folder / name).write_text(text, encoding="utf-8")
    try:
        load_card(folder / "use_case.yaml")
    except Exception:
        shutil.rmtree(folder)
        raise
    typer.echo(f"{folder}/ créé : lancez-le avec `selfdata run {use_case}`, puis modifiez le notebook.")


def main() -> None:  # pragma: no cover
    """Entry point of the ``selfdata`` command."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
