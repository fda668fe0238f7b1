"""Who holds data about me, and how do I get it back: the holders of my territory (the ``data-holders``
catalogue), which of them my files already come from, and a ready French letter for each of the others.

Self Data starts with two rights of the GDPR (Regulation (EU) 2016/679): access (art. 15 — a copy of my data
and how they are used, in a commonly used electronic form when I ask electronically, art. 15.3) and
portability (art. 20 — the data I provided, in a structured, commonly used and machine-readable format,
for processing based on my consent or a contract). The holder answers within one month of receiving the
request, a period it may extend by two further months if it tells me so, with the reasons, within the
first month (art. 12.3); the request is free (art. 12.5); without an answer, I can lodge a complaint with
the CNIL (art. 77).

The letters are written here, as text; :func:`selfdata_lib.app.letters.write_letters` puts them in the
run's outputs folder. Nothing is ever sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from selfdata_lib.exports._base import FORMATS, normalise
from selfdata_lib.results import Figure, Reading, Result, figure

TO_CHECK = "à vérifier"
#: The territories whose local holders the catalogue lists (the others get the national ones).
TERRITORIES = ("Lyon", "Nantes", "La Rochelle", "Rennes")
#: The radius of « living there » around a territory's centre (its territory file's ``centre``).
TERRITORY_RADIUS_M = 30_000.0
#: The bank layout recognised by :mod:`selfdata_lib.exports.bank` → the holder of the catalogue.
BANK_LAYOUTS = {
    "la-banque-postale": "La Banque Postale",
    "credit-agricole": "Crédit Agricole",
    "boursobank": "BoursoBank",
    "credit-mutuel-cic": "Crédit Mutuel",
}
STATUS = {
    "have": "j'ai ses données",
    "asked": "demande envoyée",
    "answered": "réponse reçue",
    "to_ask": "à demander",
}


def _core(name: str) -> str:
    """A holder's name without its parenthesis or its « — register » part: ``"tcl"``, ``"ville de lyon"``."""
    return normalise(re.split(r"\s+\(|\s+—\s+", str(name))[0])


def _aliases(name: str) -> set[str]:
    inside = re.findall(r"\(([^)]*)\)", str(name))
    return {_core(name)} | {normalise(part) for text in inside for part in text.split(",") if part.strip()}


def find_holder(name: str, catalogue: pd.DataFrame) -> dict[Any, Any] | None:
    """The catalogue row of a holder named as a person would write it (``"TCL"``, ``"CAF"``, ``"Eau du
    Grand Lyon"``): the exact name, else the only row whose short name or acronym it is; ``None`` when it
    is nobody, or several.
    """
    typed = normalise(name)
    if not typed:
        return None
    rows = catalogue.to_dict("records")
    exact = [r for r in rows if normalise(r["holder"]) == typed]
    if exact:
        return exact[0]
    named = [r for r in rows if typed in _aliases(r["holder"])]
    holders = {r["holder"] for r in named}
    if len(holders) == 1:
        return named[0]
    return None


def holders_of(catalogue: pd.DataFrame, territory: str | None) -> pd.DataFrame:
    """The holders of ``territory`` and the national ones (only the national ones when ``None``)."""
    places = {"France"} | ({territory} if territory else set())
    return catalogue[catalogue["territory"].isin(places)].reset_index(drop=True)


def _frames(inventory: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    return dict(inventory.attrs.get("frames", {}))


def territory_of(inventory: pd.DataFrame) -> tuple[str | None, str]:
    """The territory of my files — the INSEE code of a contract's address (its commune, else its
    département, in a territory file's ``codes``), else the place my location history labels as home,
    within 30 km of a territory's centre — and how it was found (French).
    """
    from selfdata_lib import territories
    from selfdata_lib.geo import haversine_m

    french = [t for t in territories.all_territories() if t.is_france]
    frames = _frames(inventory)
    for (file, kind), frame in frames.items():
        if kind == "address" and len(frame):
            code = str(frame["insee_code"].iloc[0])
            for key, value in (("insee_commune", code), ("departement", code[:2])):
                hit = [t for t in french if t.codes.get(key) == value]
                if hit:
                    return hit[0].name, f"adresse du contrat ({file})"
    for (file, kind), frame in frames.items():
        if kind == "visits" and len(frame) and "label" in frame:
            home = frame[frame["label"] == "HOME"]
            if len(home) and french:
                lat, lon = float(home["lat"].median()), float(home["lon"].median())
                dist = {t.name: float(haversine_m(lat, lon, *t.centre)) for t in french}
                nearest = min(dist, key=lambda t: dist[t])
                if dist[nearest] <= TERRITORY_RADIUS_M:
                    return nearest, f"domicile de mon historique de localisation ({file})"
    return None, "aucune adresse ni domicile dans mes fichiers"


def _match_file(fmt_id: str, frames: list[pd.DataFrame], rows: list[dict[Any, Any]]) -> dict[Any, Any] | None:
    """The holder a recognised file comes from: the one row reading its format whose name the format's
    holder says — or, for formats shared by several holders, the bank or retailer the file names.
    """
    candidates = [r for r in rows if fmt_id in {f.strip() for f in r["format_ids"].split(",")}]
    if not candidates:
        return None
    said = normalise(FORMATS[fmt_id].holder) if fmt_id in FORMATS else ""
    named = [r for r in candidates if _core(r["holder"]) and _core(r["holder"]) in said]
    if len(named) == 1:
        return named[0]
    for frame in frames:  # a format shared by several holders: the file says which one
        bank = BANK_LAYOUTS.get(str(frame.attrs.get("bank", "")))
        if bank:
            return next((r for r in candidates if r["holder"] == bank), None)
        if "retailer" in frame.columns and len(frame):
            retailer = normalise(frame["retailer"].iloc[0])
            hit = [r for r in candidates if _core(r["holder"]) and _core(r["holder"]) in retailer]
            if len(hit) == 1:
                return hit[0]
    return None


def _right(row: dict[Any, Any]) -> str:
    """Portability where it applies (consent, contract), access everywhere else — access always holds."""
    return "portability" if row["portability"] in ("oui", "en partie") else "access"


def _split(text: str) -> list[str]:
    return [t.strip() for t in str(text).split(",") if t.strip()]


@dataclass(frozen=True)
class MyHolders(Result):
    """The holders of my territory, and where I stand with each: my files, my requests, what to ask."""

    territory: str | None
    how: str
    holders: pd.DataFrame  # catalogue rows + status, my_files, right
    unmatched: tuple[str, ...] = ()

    @property
    def table(self) -> pd.DataFrame:
        """One line per holder, in French: where I stand, how to ask, what it unlocks."""
        rows = []
        for r in self.holders.to_dict("records"):
            rows.append(
                {
                    "détenteur": r["holder"],
                    "domaine": r["domain"],
                    "où j'en suis": r["status_text"],
                    "mes fichiers": r["my_files"] or "—",
                    "droit à exercer": "portabilité (art. 20)"
                    if r["right"] == "portability"
                    else "accès (art. 15)",
                    "comment demander": r["how_to_ask"],
                    "site": r["site"],
                    "format rendu": r["export_format"] or TO_CHECK,
                    "lu par le projet": bool(r["format_ids"]),
                    "cas d'usage": ", ".join(_split(r["use_cases"])) or "—",
                }
            )
        return pd.DataFrame(rows)

    def _with(self, status: str) -> pd.DataFrame:
        return self.holders[self.holders["status"] == status]

    @property
    def use_cases_by_asking(self) -> list[str]:
        """Use cases fed by holders still to ask, and by none of those I have data from."""
        have = {u for t in self._with("have")["use_cases"] for u in _split(t)}
        ask = {u for t in self._with("to_ask")["use_cases"] for u in _split(t)}
        return sorted(ask - have)

    def figures(self) -> dict[str, Figure]:
        """The territory, its holders (with a known export format), those I have data from, those to ask."""
        known = int((self.holders["format_ids"] != "").sum())
        return {
            "territory": figure(
                self.territory,
                reason=f"territoire inconnu ({self.how}) : seuls les détenteurs "
                "nationaux sont listés ; indiquez territory",
            ),
            "holders_in_territory": figure(len(self.holders)),
            "holders_with_known_format": figure(known),
            "holders_with_my_data": figure(self._with("have")["holder"].tolist()),
            "requests_in_progress": figure(len(self._with("asked")) + len(self._with("answered"))),
            "holders_to_ask": figure(len(self._with("to_ask"))),
            "use_cases_by_asking": figure(self.use_cases_by_asking),
        }

    def notes(self) -> list[str]:
        """How the territory was found; files the catalogue cannot attribute."""
        notes = [f"Territoire : {self.territory or 'inconnu'} ({self.how})."]
        if self.unmatched:
            notes.append(
                "Fichiers reconnus dont le catalogue ne dit pas le détenteur (un format commun à plusieurs "
                f"services) : {', '.join(self.unmatched)}."
            )
        return notes


def _resolved(path: Any) -> str:
    from pathlib import Path

    try:
        return str(Path(str(path)).resolve()) if path else ""
    except (OSError, ValueError):
        return ""


def _received_files(frames: dict[tuple[str, str], pd.DataFrame], table: pd.DataFrame) -> dict[str, str]:
    """``{resolved path: holder}`` of the files my requests log says each holder sent."""
    from pathlib import Path

    out = {}
    for (_name, kind), frame in frames.items():
        if kind != "requests" or not frame.attrs.get("source_file"):
            continue
        folder = Path(str(frame.attrs["source_file"])).parent
        for req in frame.to_dict("records"):
            hit = find_holder(str(req["holder"]), table)
            if hit is not None and req.get("file"):
                out[_resolved(folder / str(req["file"]))] = hit["holder"]
    return out


def my_holders(inventory: pd.DataFrame, catalogue: pd.DataFrame, *, territory: str = "auto") -> MyHolders:
    """Where I stand with each holder of my territory, from the inventory of my folder
    (:func:`selfdata_lib.app.mydata.inventory`): the files I have from it, the requests of my log (a
    ``requests`` file of the folder), or « à demander ».

    ``territory`` is a territory's id or name (``selfdata territory list``), or ``auto`` (:func:`territory_of`).
    """
    if territory == "auto":
        found, how = territory_of(inventory)
    else:
        from selfdata_lib import territories

        try:
            found, how = territories.get(territory).name, "indiqué en paramètre"
        except territories.TerritoryError as exc:
            raise ValueError(f"{exc} Ou « auto ».") from None
    if found is not None and found not in set(catalogue["territory"]):
        how += (
            f" ; le catalogue ne recense encore aucun détenteur local pour {found} : seuls les détenteurs "
            "nationaux sont listés (ajoutez ceux du territoire au catalogue data-holders)"
        )
    table = holders_of(catalogue, found)
    rows = table.to_dict("records")
    frames = _frames(inventory)
    paths = {str(e.get("file")): _resolved(e.get("path")) for e in inventory.attrs.get("inputs", [])}
    received = _received_files(frames, table)  # my log says which holder sent which file
    files: dict[str, list[str]] = {}
    unmatched = []
    ok = inventory[inventory["status"] == "ok"] if len(inventory) else inventory
    for r in ok.to_dict("records"):
        mine = [f for (name, _kind), f in frames.items() if name == r["file"]]
        hit = _match_file(str(r["format"]), mine, rows)
        holder = hit["holder"] if hit is not None else received.get(paths.get(str(r["file"]), ""))
        if holder is not None:
            files.setdefault(holder, []).append(str(r["file"]))
        elif not any(f.attrs.get("kind") in ("requests", "household") for f in mine):
            unmatched.append(str(r["file"]))
    asked: dict[str, tuple[str, pd.Timestamp]] = {}
    for (_name, kind), frame in frames.items():
        if kind != "requests":
            continue
        for req in frame.to_dict("records"):
            hit = find_holder(str(req["holder"]), table)
            if hit is not None:
                state = "answered" if pd.notna(req["answered"]) else "asked"
                asked[hit["holder"]] = (state, req["answered"] if state == "answered" else req["date"])
    out = []
    for r in rows:
        if r["holder"] in files:
            status, text = "have", STATUS["have"]
        elif r["holder"] in asked:
            status, day = asked[r["holder"]]
            from selfdata_lib import fr

            text = f"{STATUS[status]} le {fr.date(day)}"
        else:
            status, text = "to_ask", STATUS["to_ask"]
        out.append(
            {
                **r,
                "status": status,
                "status_text": text,
                "my_files": ", ".join(files.get(r["holder"], [])),
                "right": _right(r),
            }
        )
    frame = pd.DataFrame(out, columns=[*table.columns, "status", "status_text", "my_files", "right"])
    return MyHolders(found, how, frame, tuple(unmatched))


# --- the letters ---------------------------------------------------------------------------------------

RIGHT_TITLE = {
    "access": "Demande d'accès à mes données personnelles (article 15 du RGPD)",
    "portability": "Demande de portabilité de mes données personnelles (article 20 du RGPD) et d'accès (article 15)",
}


def request_letter(
    holder: dict[Any, Any],
    *,
    right: str = "access",
    name: str = "",
    address: str = "",
    today: Any = None,
) -> str:
    """A French request letter to ``holder`` (a catalogue row): access (art. 15) or portability (art. 20,
    with the rest under art. 15), the deadline of art. 12.3 (one month, extendable by two), free of charge
    (art. 12.5), the complaint to the CNIL (art. 77). ``name`` and ``address`` left empty stay as blanks
    to fill in; nothing is sent.
    """
    from selfdata_lib import fr

    if right not in RIGHT_TITLE:
        msg = f"right must be 'access' or 'portability', got {right!r}"
        raise ValueError(msg)
    day = pd.Timestamp(today).date() if today is not None else pd.Timestamp.now(tz="Europe/Paris").date()
    who = name.strip() or "[Prénom Nom]"
    where = address.strip() or "[Adresse postale]"
    site = holder.get("site") or TO_CHECK
    contact = holder.get("dpo_contact") or TO_CHECK
    to_line = f"Adresse du délégué à la protection des données : {contact}" + (
        f" (à trouver sur {site})" if contact == TO_CHECK and site != TO_CHECK else ""
    )
    held = holder.get("data_held") or "les données me concernant"
    if right == "portability":
        body = [
            "En application de l'article 20 du règlement (UE) 2016/679 (RGPD), je vous demande de me transmettre "
            "les données à caractère personnel me concernant que je vous ai fournies, y compris celles que "
            "mon utilisation de vos services a produites, notamment : "
            + held
            + ", dans un format structuré, "
            "couramment utilisé et lisible par machine (CSV ou JSON, par exemple), accompagnées de la "
            "description de ce format.",
            "Pour les autres données me concernant, je vous demande, en application de l'article 15 du RGPD, "
            "une copie de ces données et les informations prévues à cet article : les finalités des traitements, "
            "les catégories de données, les destinataires, la durée de conservation, la source des données qui "
            "n'ont pas été collectées auprès de moi et l'existence éventuelle d'une prise de décision automatisée.",
        ]
    else:
        body = [
            "En application de l'article 15 du règlement (UE) 2016/679 (RGPD), je vous demande une copie de "
            "l'ensemble des données à caractère personnel me concernant que vous traitez, notamment : "
            + held
            + ".",
            "Je vous demande également les informations prévues à cet article : les finalités des traitements, les "
            "catégories de données, les destinataires, la durée de conservation, la source des données qui n'ont "
            "pas été collectées auprès de moi et l'existence éventuelle d'une prise de décision automatisée.",
            "Je souhaite recevoir cette copie sous forme électronique, dans un format couramment utilisé (article "
            "15.3) — de préférence un fichier structuré (CSV ou JSON) plutôt qu'un PDF, pour pouvoir le lire avec "
            "mes propres outils.",
        ]
    lines = [
        who,
        where,
        "",
        str(holder["holder"]),
        "À l'attention du délégué à la protection des données",
        to_line,
        "",
        f"Le {fr.date(day)}",
        "",
        f"Objet : {RIGHT_TITLE[right]}",
        "",
        "Madame, Monsieur,",
        "",
        *[p for para in body for p in (para, "")],
        "Conformément à l'article 12.3 du RGPD, vous disposez d'un délai d'un mois à compter de la réception de "
        "cette demande pour y répondre. Ce délai peut être prolongé de deux mois, compte tenu de la complexité et "
        "du nombre de demandes, à condition de m'en informer dans le premier mois en m'indiquant les motifs de la "
        "prolongation. Cette demande est gratuite (article 12.5).",
        "",
        "Si vous avez un doute raisonnable sur mon identité, vous pouvez me demander les informations "
        "supplémentaires nécessaires pour la confirmer (article 12.6).",
        "",
        "Faute de réponse dans ce délai, je pourrai introduire une réclamation auprès de la Commission "
        "nationale de l'informatique et des libertés (CNIL), en application de l'article 77 du RGPD.",
        "",
        "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        "",
        who,
        "",
    ]
    return "\n".join(lines)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(text)).strip("-")[:60] or "detenteur"


@dataclass(frozen=True)
class Letters(Result):
    """One ready letter per holder to ask (``file``, ``holder``, ``right``, ``text``, ``how_to_ask``,
    ``site``, ``dpo_contact``); nothing is sent.
    """

    table: pd.DataFrame

    @property
    def shown(self) -> pd.DataFrame:
        """The letters in French: to whom, which right, where to send it."""
        return pd.DataFrame(
            {
                "lettre": self.table["file"],
                "détenteur": self.table["holder"],
                "droit": [
                    "portabilité (art. 20)" if r == "portability" else "accès (art. 15)"
                    for r in self.table["right"]
                ],
                "où l'envoyer": self.table["how_to_ask"],
                "site": self.table["site"],
                "contact du délégué": self.table["dpo_contact"],
            }
        )

    def figures(self) -> dict[str, Figure]:
        """How many letters, and to whom."""
        return {
            "letters_prepared": figure(len(self.table)),
            "letters_holders": figure(self.table["holder"].tolist()),
        }

    def index_text(self) -> str:
        """The ``A_LIRE.txt`` of the letters folder: how to send each letter, and the line to add to my
        requests log once it is sent.
        """
        head = [
            "Mes demandes d'accès et de portabilité — à lire avant d'envoyer",
            "",
            "Ces lettres ont été préparées sur cette machine ; rien n'a été envoyé.",
            "1. Complétez votre nom et votre adresse s'ils sont entre crochets.",
            "2. Vérifiez l'adresse du délégué à la protection des données sur le site du détenteur : le catalogue "
            "écrit « à vérifier » ce qu'il n'a pas pu contrôler.",
            "3. Envoyez par le formulaire du détenteur, par courriel ou par lettre recommandée avec accusé de "
            "réception, et gardez la preuve de la date de réception : le délai d'un mois court à partir d'elle.",
            "4. Ajoutez la demande à votre journal (demandes_rgpd.csv) pour suivre les délais :",
            "   detenteur;droit;envoyee_le;canal;reponse_le;recu;fichier",
            "",
        ]
        body = []
        for r in self.table.to_dict("records"):
            right = "portabilite" if r["right"] == "portability" else "acces"
            body += [
                f"- {r['file']} : {r['holder']}",
                f"  comment : {r['how_to_ask']}",
                f"  site : {r['site']} ; délégué : {r['dpo_contact']}",
                f"  ligne du journal : {r['holder']};{right};AAAA-MM-JJ;courriel;;;",
                "",
            ]
        return "\n".join(head + body)


def request_letters(
    mine: MyHolders,
    *,
    name: str = "",
    address: str = "",
    today: Any = None,
    only_useful: bool = False,
) -> Letters:
    """A letter for every holder still to ask (only those feeding a use case when ``only_useful``), the
    right chosen per holder (:func:`request_letter`), useful ones first.
    """
    todo = mine.holders[mine.holders["status"] == "to_ask"].copy()
    todo["useful"] = todo["use_cases"].str.strip() != ""
    if only_useful:
        todo = todo[todo["useful"]]
    todo = todo.sort_values(["useful", "holder_type", "holder"], ascending=[False, True, True], kind="stable")
    rows = []
    for i, r in enumerate(todo.to_dict("records"), start=1):
        rows.append(
            {
                "file": f"{i:02d}_{_slug(r['holder'])}.txt",
                "holder": r["holder"],
                "right": r["right"],
                "how_to_ask": r["how_to_ask"],
                "site": r["site"],
                "dpo_contact": r["dpo_contact"],
                "text": request_letter(r, right=r["right"], name=name, address=address, today=today),
            }
        )
    columns = ["file", "holder", "right", "how_to_ask", "site", "dpo_contact", "text"]
    return Letters(pd.DataFrame(rows, columns=columns))


def interpret(mine: MyHolders, unlocked: Any, letters: Letters | None = None) -> Reading:
    """Where I stand, in words: how many holders, those I already have data from and what it lets me run,
    the letters ready, the use cases asking would unlock.
    """
    from selfdata_lib import fr

    table = getattr(unlocked, "table", unlocked)
    ready = table[table["unlocked"]]["use_case"].tolist() if table is not None and len(table) else []
    have = mine.holders[mine.holders["status"] == "have"]["holder"].tolist()
    where = f"pour {mine.territory}" if mine.territory else "au niveau national (territoire inconnu)"
    head = [
        f"Le catalogue recense {fr.plural(len(mine.holders), 'détenteur')} de données me concernant {where}."
    ]
    if have:
        head.append(
            f"J'ai déjà des fichiers de {fr.plural(len(have), 'détenteur')} ({', '.join(have)}) : ils me permettent "
            f"de lancer {fr.plural(len(ready), 'cas', 'cas')} d'usage maintenant."
        )
    else:
        head.append("Aucun de mes fichiers ne vient encore d'un détenteur du catalogue.")
    details = []
    progress = mine.holders[mine.holders["status"].isin(["asked", "answered"])]
    if len(progress):
        details.append("Demandes déjà faites : " + ", ".join(progress["holder"]) + ".")
    if letters is not None and len(letters.table):
        head.append(
            f"{fr.plural(len(letters.table), 'lettre')} de demande {'est prête' if len(letters.table) < 2 else 'sont prêtes'} "
            "dans le dossier des sorties : rien n'a été envoyé."
        )
    names = (
        dict(zip(table["use_case"], table["title"], strict=True)) if table is not None and len(table) else {}
    )
    more = [f"« {names.get(u, u)} »" for u in mine.use_cases_by_asking if u not in ready]
    if more:
        details.append("En demandant mes données, je pourrais aussi lancer : " + ", ".join(more) + ".")
    to_check = int((mine.holders["site"] == TO_CHECK).sum())
    if to_check:
        details.append(
            f"Pour {fr.plural(to_check, 'détenteur')}, le site n'a pas pu être vérifié par le projet (« à vérifier ») ; "
            "l'adresse du délégué à la protection des données est toujours à vérifier avant l'envoi."
        )
    return Reading(head, details)
