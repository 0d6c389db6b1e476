"""JSON Schemas (draft 2020-12) for front matter and process files, built from the core's own rules.

The schemas are for editors: the YAML language server flags a wrong field while the author
types. `handbook check` stays the judge; it also knows what a schema cannot (which roles and
Klassa codes exist, whether every step is reachable). The language server in VS Code follows
draft 7, so only keywords that mean the same in draft 7 and 2020-12 are used.
"""

from __future__ import annotations

from .documents import DEFAULT_DOC_TYPES, DOCUMENT_KEYS, GOVERNED_MARKERS, THEME_KEYS
from .governance import _ISO_DATE, STATES
from .klassa import CODE
from .processes import PROCESS_ID, PROCESS_KEYS, STEP_KEYS, STEP_KINDS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# What governance.read_classification accepts: a K level first, then K, R, T or S levels 0–4.
CLASSIFICATION = r"^\s*[Kk][0-4](\s+[KkRrTtSs][0-4])*\s*$"

STATE_TEXT = "Status: utkast (under arbete), fastställd (beslutad och gäller) eller upphävd (gäller inte längre)."
REQUIRED_WHEN_DECIDED = ("valid_from", "decided_by")


def _text(description: str, **extra) -> dict:
    return {"type": "string", "minLength": 1, "description": description, **extra}


def _loose_text(description: str) -> dict:
    """Text that YAML may read as a number when unquoted (`version: 1.10`); the handbook keeps it as text."""
    return {"type": ["string", "number"], "description": description}


def _date(description: str) -> dict:
    return {"type": "string", "pattern": _ISO_DATE.pattern, "description": f"{description} Skriv ÅÅÅÅ-MM-DD, t.ex. 2027-03-01."}


def _list(description: str, item: dict | None = None) -> dict:
    """A list; a single value is accepted too, as `handbook check` does."""
    return {"type": ["array", "string"], "items": item or {"type": "string"}, "description": description}


def _role(description: str) -> dict:
    return _text(f"{description} Ett roll-id från processes/roles.yml (en roll, inte en lista).")


def _governance() -> dict:
    """Fields that documents and processes share."""
    return {
        "klassa": {**_loose_text("Klassa-kod, t.ex. \"2.3.2\". Koden ska finnas i Klassa 2.1 eller i processes/klassa.yml. "
                                 "Skriv koden inom citattecken så att 2.10 inte blir 2.1."), "pattern": CODE.pattern},
        "version": _loose_text("Version, t.ex. \"1.0\". Skriv inom citattecken så att 1.10 inte blir 1.1."),
        "review_date": _date("Ska revideras senast."),
        "state": {"enum": list(STATES), "description": STATE_TEXT},
        "valid_from": _date("Gäller fr.o.m. Krävs för dokument när state är fastställd."),
        "decided_by": _text("Beslutsinstans, t.ex. Kommunstyrelsen. Krävs för dokument när state är fastställd."),
        "decision_date": _date("Beslutsdatum."),
        "diarienummer": _loose_text("Diarienummer, t.ex. \"22/KS 0123\"."),
        "information_class": {"type": "string", "pattern": CLASSIFICATION,
                              "description": "Informationsklassning, t.ex. K1 eller K2 R1 T2 S1. K-nivå över webbplatsens gräns "
                                             "publiceras inte. Standard: K1."},
    }


def document_schema(doc_types=DEFAULT_DOC_TYPES) -> dict:
    """Front matter of a governed document in docs/."""
    specs = {
        **_governance(),
        "title": _loose_text("Dokumentnamn. Kan utelämnas om dokumentet börjar med en rubrik # Rubrik."),
        "doc_type": {"enum": list(doc_types), "description": "Dokumenttyp: " + ", ".join(doc_types) + "."},
        "owner": _role("Dokumentansvarig."),
        "replaces": _list("Ersätter: sökvägar till tidigare dokument, relativa till docs/, t.ex. [hr/gammal-rutin.md]."),
        "roles": _list("Berörda roller: roll-id från processes/roles.yml."),
        "processes": _list("Berörda processer: process-id, t.ex. [rekrytering]."),
    }
    properties = {key: specs[key] for key in DOCUMENT_KEYS}
    for key in THEME_KEYS:
        properties[key] = {"description": "Nyckel som MkDocs eller Material läser; handboken bryr sig inte om den."}
    return {
        "$schema": DIALECT,
        "title": "Styrande dokument (front matter)",
        "description": "Front matter för ett styrande dokument i docs/. En sida med någon av nycklarna "
                       + ", ".join(GOVERNED_MARKERS) + " är ett styrande dokument och behöver alla obligatoriska nycklar.",
        "type": "object",
        "properties": properties,
        "required": ["doc_type", "klassa", "owner", "version", "review_date", "state"],
        "additionalProperties": False,
        "if": {"properties": {"state": {"const": "fastställd"}}, "required": ["state"]},
        "then": {"required": list(REQUIRED_WHEN_DECIDED)},
    }


def _step() -> dict:
    specs = {
        "id": _loose_text("Stegets id, unikt i processen, t.ex. granska-ansokan. Används i next."),
        "name": _loose_text("Stegets namn, t.ex. Granska ansökan. För ett beslut: en fråga, t.ex. Är ansökan komplett?"),
        "role": _role("Rollen som utför steget (stegets simbana)."),
        "kind": {"enum": list(STEP_KINDS), "default": "task",
                 "description": "Stegets typ: task (aktivitet, standard), decision (beslut, ritas som romb) eller "
                                "subprocess (delprocess, kräver process)."},
        "description": _loose_text("Beskrivning som visas i stegtabellen."),
        "documents": _list("Dokument som hör till steget, relativa till docs/, t.ex. [hr/rutin-kravprofil.md]. Gör steget klickbart."),
        "next": {
            "type": ["array", "string", "object"],
            "items": {"type": "string"},
            "additionalProperties": {"type": "string"},
            "description": "Nästa steg: en lista med steg-id, eller för ett beslut utfall: steg-id, t.ex. {Ja: annons, Nej: avslut}. "
                           "Utan next går flödet till steget nedanför; sista steget avslutar processen.",
        },
        "process": _text("Delprocessens process-id (för kind: subprocess).", pattern=PROCESS_ID.pattern),
    }
    properties = {key: specs[key] for key in STEP_KEYS}
    return {
        "type": "object",
        "description": "Ett steg i processen.",
        "properties": properties,
        "required": ["id", "name", "role"],
        "additionalProperties": False,
        "allOf": [
            {"if": {"properties": {"kind": {"const": "decision"}}, "required": ["kind"]},
             "then": {"required": ["next"], "properties": {"next": {"type": "object"}}}},
            {"if": {"properties": {"kind": {"const": "subprocess"}}, "required": ["kind"]},
             "then": {"required": ["process"]}},
        ],
    }


def process_schema() -> dict:
    """A process file processes/**/*.yml (not roles.yml or klassa.yml)."""
    specs = {
        **_governance(),
        "id": _text("Processens id; standard är filnamnet. Bara a–z, 0–9 och bindestreck.", pattern=PROCESS_ID.pattern),
        "name": _loose_text("Processens namn, t.ex. Rekrytering."),
        "owner": _role("Processägare."),
        "leader": _role("Processledare. Utelämna när processägaren leder processen."),
        "team": _list("Processteam: roll-id från processes/roles.yml."),
        "purpose": _loose_text("Syfte: varför processen finns."),
        "trigger": _loose_text("Vad startar processen."),
        "customer": _loose_text("Mottagare (kund) av processens resultat."),
        "result": _loose_text("Värde eller resultat för mottagaren."),
        "inputs": _list("Det som går in i processen."),
        "outputs": _list("Det som kommer ut ur processen."),
        "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"},
                  "description": "Processens steg i ordning; flödet börjar i första steget."},
        "description": _loose_text("Beskrivning av processen."),
    }
    properties = {key: specs[key] for key in PROCESS_KEYS}
    return {
        "$schema": DIALECT,
        "title": "Process",
        "description": "En process i processes/. Varje .yml-fil där är en process, utom roles.yml och klassa.yml.",
        "type": "object",
        "properties": properties,
        "required": ["name", "klassa", "owner", "version", "review_date", "state", "steps"],
        "additionalProperties": False,
        "$defs": {"step": _step()},
    }


def schema(kind: str, doc_types=DEFAULT_DOC_TYPES) -> dict:
    """The schema named `kind` (document or process)."""
    return document_schema(doc_types) if kind == "document" else process_schema()


SCHEMA_KINDS = ("document", "process")
