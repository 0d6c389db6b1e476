"""Starting points for new documents and processes: complete metadata and a body suited to the type.

A new item is always an `utkast` at version 0.1 with a review date one year ahead, so that it
passes `handbook check` the moment it is written and the owner only has to fill in the text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import PurePosixPath

from .handbook import GENERATED_DIRS, Handbook
from .problems import did_you_mean
from .processes import PROCESS_ID

# Section headings of each document type, each with a hint of what to write.
SECTIONS: dict[str, list[tuple[str, str]]] = {
    "policy": [
        ("Syfte", "Beskriv varför policyn finns och vilket förhållningssätt den uttrycker."),
        ("Omfattning", "Ange vilka nämnder, förvaltningar och bolag policyn gäller för."),
        ("Ställningstaganden", "Skriv kommunens ställningstaganden, ett per stycke. Detaljer hör hemma i riktlinjer och rutiner."),
        ("Ansvar", "Ange vem som ansvarar för att policyn följs och hålls aktuell."),
        ("Uppföljning", "Beskriv hur och när policyn följs upp."),
    ],
    "strategi": [
        ("Syfte", "Beskriv vad strategin ska uppnå."),
        ("Nuläge", "Beskriv utgångsläget kort."),
        ("Mål och inriktning", "Ange de långsiktiga målen och vägvalen."),
        ("Genomförande", "Beskriv hur strategin omsätts i planer och aktiviteter."),
        ("Uppföljning", "Beskriv hur och när strategin följs upp."),
    ],
    "program": [
        ("Syfte", "Beskriv vad programmet ska uppnå."),
        ("Bakgrund", "Beskriv varför programmet behövs."),
        ("Mål", "Ange programmets mål."),
        ("Insatser", "Beskriv insatserna som leder mot målen."),
        ("Ansvar", "Ange vem som ansvarar för programmet och för insatserna."),
        ("Uppföljning", "Beskriv hur och när programmet följs upp."),
    ],
    "plan": [
        ("Syfte", "Beskriv vad planen ska uppnå och vilken period den gäller."),
        ("Omfattning", "Ange vilka verksamheter planen gäller för."),
        ("Mål", "Ange målen för perioden."),
        ("Aktiviteter", "Fyll i tabellen med planens aktiviteter."),
        ("Ansvar", "Ange vem som ansvarar för att planen genomförs."),
        ("Uppföljning", "Beskriv hur och när planen följs upp."),
    ],
    "riktlinje": [
        ("Syfte", "Beskriv varför riktlinjen finns."),
        ("Bakgrund", "Ange lagar, policyer eller beslut som riktlinjen bygger på."),
        ("Riktlinjer", "Skriv riktlinjerna, gärna som en numrerad lista."),
        ("Ansvar", "Ange vem som ansvarar för vad."),
        ("Uppföljning", "Beskriv hur och när riktlinjen följs upp."),
    ],
    "regler": [
        ("Syfte", "Beskriv varför reglerna finns."),
        ("Omfattning", "Ange vem reglerna gäller för."),
        ("Regler", "Skriv reglerna som en numrerad lista."),
        ("Ansvar", "Ange vem som ansvarar för att reglerna följs."),
        ("Avvikelser", "Beskriv vad som händer när en regel inte följs."),
    ],
    "anvisning": [
        ("Syfte", "Beskriv vad anvisningen hjälper till med."),
        ("Omfattning", "Ange vem anvisningen gäller för och när."),
        ("Anvisningar", "Skriv anvisningarna i den ordning de används."),
        ("Ansvar", "Ange vem som ansvarar för vad."),
        ("Uppföljning", "Beskriv hur och när anvisningen följs upp."),
    ],
    "rutin": [
        ("Syfte", "Beskriv varför rutinen finns och vad den ska säkerställa."),
        ("Omfattning", "Ange vem rutinen gäller för och i vilka situationer."),
        ("Ansvar", "Ange vilka roller som gör vad."),
        ("Genomförande", "Beskriv stegen i den ordning de görs."),
        ("Uppföljning", "Beskriv hur och när rutinen följs upp."),
    ],
    "instruktion": [
        ("Syfte", "Beskriv vad instruktionen hjälper dig att göra."),
        ("Förutsättningar", "Ange vad som behövs innan du börjar, till exempel behörigheter eller verktyg."),
        ("Gör så här", "Skriv stegen i den ordning de görs."),
        ("Om något går fel", "Ange vart man vänder sig när något inte fungerar."),
    ],
    "processbeskrivning": [
        ("Syfte", "Beskriv varför processen finns och vilket värde den skapar."),
        ("Omfattning", "Ange var processen börjar och slutar."),
        ("Aktiviteter", "Beskriv aktiviteterna i ordning."),
        ("Roller och ansvar", "Ange vilka roller som deltar och vad de ansvarar för."),
        ("Mätning och uppföljning", "Ange hur processen mäts och följs upp."),
    ],
    "mall": [
        ("Så använder du mallen", "Beskriv när mallen används och hur den fylls i. Text inom hakparentes ersätts."),
        ("Mall", "[Rubrik]\n\n[Text]"),
    ],
    "checklista": [
        ("Syfte", "Beskriv när checklistan används."),
        ("Checklista", ""),
        ("Ansvar", "Ange vem som går igenom checklistan och vem som följer upp den."),
    ],
    "handbok": [
        ("Syfte", "Beskriv vad handboken hjälper läsaren med."),
        ("Innehåll", "Beskriv handbokens delar."),
        ("Ansvar", "Ange vem som ansvarar för handboken."),
        ("Uppföljning", "Beskriv hur och när handboken ses över."),
    ],
}
GENERIC = [
    ("Syfte", "Beskriv varför dokumentet finns."),
    ("Innehåll", "Skriv dokumentets innehåll."),
    ("Ansvar", "Ange vem som ansvarar för vad."),
    ("Uppföljning", "Beskriv hur och när dokumentet följs upp."),
]
# Extra Markdown placed under a section, for types where a list or table is the point.
EXTRAS = {
    ("rutin", "Genomförande"): "1. Första steget.\n2. Andra steget.\n3. Tredje steget.",
    ("instruktion", "Gör så här"): "1. Första steget.\n2. Andra steget.\n3. Tredje steget.",
    ("regler", "Regler"): "1. Första regeln.\n2. Andra regeln.",
    ("riktlinje", "Riktlinjer"): "1. Första riktlinjen.\n2. Andra riktlinjen.",
    ("plan", "Aktiviteter"): "| Aktivitet | Ansvarig | Klart senast |\n|---|---|---|\n| Första aktiviteten | Roll | ÅÅÅÅ-MM-DD |",
    ("checklista", "Checklista"): "- [ ] Första punkten\n- [ ] Andra punkten\n- [ ] Tredje punkten",
}
START_VERSION = "0.1"
START_STATE = "utkast"
START_CLASS = "K1"
_PLAIN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def one_year_after(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def _quoted(text: str) -> str:
    """A YAML double-quoted string (JSON's quoting is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _id(text: str) -> str:
    return text if _PLAIN.match(text) else _quoted(text)


def title_from_path(path: str) -> str:
    stem = PurePosixPath(path).stem.replace("-", " ").replace("_", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Nytt dokument"


def document_text(doc_type: str, title: str, klassa: str, owner: str, today: dt.date) -> str:
    """A new governed document: complete front matter and a body skeleton for its type."""
    lines = [
        "---",
        f"title: {_quoted(title)}",
        f"doc_type: {doc_type}",
        f"klassa: {_quoted(klassa)}",
        f"owner: {_id(owner)}",
        f"version: {_quoted(START_VERSION)}",
        f"review_date: {one_year_after(today).isoformat()}",
        f"state: {START_STATE}",
        f"information_class: {START_CLASS}",
        "# När dokumentet fastställs: ändra state till fastställd och lägg till",
        "# valid_from: ÅÅÅÅ-MM-DD och decided_by: beslutsinstans.",
        "---",
        "",
    ]
    for heading, hint in SECTIONS.get(doc_type, GENERIC):
        lines += [f"## {heading}", ""]
        if hint:
            lines += [hint, ""]
        extra = EXTRAS.get((doc_type, heading))
        if extra:
            lines += [extra, ""]
    return "\n".join(lines)


def process_text(process_id: str, name: str, klassa: str, owner: str, today: dt.date) -> str:
    """A new process: complete metadata and three steps that the owner's role performs until changed."""
    role = _id(owner)
    return f"""\
# Fälten förklaras i handboken under Skriva i handboken › Skapa en process.
id: {process_id}
name: {_quoted(name)}
klassa: {_quoted(klassa)}
owner: {role}
version: {_quoted(START_VERSION)}
review_date: {one_year_after(today).isoformat()}
state: {START_STATE}
information_class: {START_CLASS}
purpose: Beskriv varför processen finns.
trigger: Beskriv vad som startar processen.
customer: Ange vem som tar emot resultatet.
result: Beskriv vilket resultat eller värde processen ger.
inputs: []
outputs: []
steps:
  - id: starta
    name: Ta emot och registrera
    role: {role}
    description: Beskriv vad som görs i steget.
  - id: genomfora
    name: Genomför
    role: {role}
    description: Beskriv vad som görs i steget.
  # Ett beslut har två eller fler utfall:
  #   kind: decision
  #   next: {{Ja: steg-id, Nej: steg-id}}
  # Ett steg kan länka dokument: documents: [mapp/dokument.md]
  - id: avsluta
    name: Avsluta och återkoppla
    role: {role}
    description: Beskriv vad som görs i steget.
"""


# -- checking what the author asked for ----------------------------------------

def _suggest(value: str, names: dict[str, str]) -> str:
    """The id meant: same id in other case, ids whose name contains what was written, or the closest id."""
    needle = value.casefold().strip()
    found = [key for key in names if key.casefold() == needle]
    found = found or [key for key, name in names.items() if needle and needle in name.casefold()][:3]
    if found:
        return " Menade du " + " eller ".join(f"\"{key}\" ({names[key]})" for key in found) + "?"
    return did_you_mean(needle, names)


def check_klassa(handbook: Handbook, code: str) -> str | None:
    if code in handbook.klassa:
        return None
    names = {c: n.name for c, n in handbook.klassa.nodes.items()}
    return (f"Klassa-koden \"{code}\" finns inte.{_suggest(code, names)} "
            "Välj en kod ur Klassa 2.1 (se sidan Klassa i handboken) eller lägg till den i processes/klassa.yml.")


def check_owner(handbook: Handbook, owner: str) -> str | None:
    if owner in handbook.roles:
        return None
    names = {r.id: r.name for r in handbook.roles.roles.values()}
    return (f"okänd roll \"{owner}\".{_suggest(owner, names)} "
            f"Ange ett roll-id från {handbook.roles.path} eller lägg till rollen där.")


def check_doc_type(handbook: Handbook, doc_type: str) -> str | None:
    types = handbook.settings.doc_types
    if doc_type in types:
        return None
    return f"\"{doc_type}\" är ingen känd dokumenttyp.{did_you_mean(doc_type, types)} Välj en av: {', '.join(types)} (eller process)."


def document_path(path: str, docs_name: str) -> tuple[str, str | None]:
    """The new document's path relative to docs/, or a reason it cannot be used."""
    clean = path.strip().replace("\\", "/")
    parts = PurePosixPath(clean).parts
    if parts[:1] == (docs_name,) and len(parts) > 1:
        parts = parts[1:]
    if not parts or clean.startswith("/") or ".." in parts:
        return clean, f"sökvägen \"{path}\" ska ligga i docs/, t.ex. hr/rutin-introduktion.md"
    relative = "/".join(parts)
    if not relative.endswith(".md"):
        relative += ".md"
    if parts[0] in GENERATED_DIRS:
        return relative, f"mappen docs/{parts[0]}/ används av handbokens genererade sidor; välj en annan mapp"
    return relative, None


def check_process_id(handbook: Handbook, process_id: str) -> str | None:
    if not PROCESS_ID.match(process_id):
        return f"process-id \"{process_id}\" får bara innehålla a–z, 0–9 och bindestreck, t.ex. rekrytering"
    if process_id in handbook.processes:
        return f"process-id \"{process_id}\" används redan av {handbook.processes[process_id].path}; välj ett annat id"
    return None
