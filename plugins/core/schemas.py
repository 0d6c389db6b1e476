"""JSON Schemas (draft 2020-12) for front matter and process files, built from the core's own rules.

The schemas are for editors: the YAML language server flags a wrong field while the author
types. `handbook check` stays the judge; it also knows what a schema cannot (which roles and
Klassa codes exist, whether every step is reachable). The language server follows draft 7, so
only keywords that mean the same in draft 7 and 2020-12 are used.

Every check carries its Swedish message in `errorMessage`, which the YAML language server shows
instead of its own English one for a wrong type, pattern, format, enum, missing key or unknown key of
the schema node it sits on. So each required key is its own `{"required": [key], "errorMessage": …}`,
and unknown keys are caught by `propertyNames` rather than `additionalProperties` (one message
that names the valid keys). Keywords the server reports without `errorMessage` (`minLength`,
`minItems`, `not`) are not used.
"""

from __future__ import annotations

from .documents import DEFAULT_DOC_TYPES, DOCUMENT_KEYS, GOVERNED_MARKERS, THEME_KEYS
from .governance import STATES
from .improvement import (EVALUATION_KEYS, FOLLOW_UP_KEYS, GOAL_KEYS, KNOWLEDGE_KEYS, KNOWLEDGE_KINDS, MEASURE_KEYS,
                          REQUIREMENT_ID, REQUIREMENT_REF_KEYS)
from .klassa import CODE
from .processes import PROCESS_ID, PROCESS_KEYS, STEP_KEYS, STEP_KINDS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# What governance.read_classification accepts: a K level first, then K, R, T or S levels 0–4.
CLASSIFICATION = r"^\s*[Kk][0-4](\s+[KkRrTtSs][0-4])*\s*$"
# A date that exists, ÅÅÅÅ-MM-DD (what governance.read_date accepts): day 31 only in 31-day months,
# 29 February only in leap years (divisible by 4; of the full centuries only those divisible by 400).
DATE = (r"^(?!0000)(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        r"|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$")
NOT_BLANK = r"\S"

STATE_TEXT = "Status: utkast (under arbete), fastställd (beslutad och gäller) eller upphävd (gäller inte längre)."
GOVERNED_REQUIRED = ("doc_type", "klassa", "owner", "version", "review_date", "state")
REQUIRED_WHEN_DECIDED = ("valid_from", "decided_by")
ROLES_FILE = "processes/roles.yml"


def _text(key: str, description: str, what: str, **extra) -> dict:
    return {"type": ["string", "number"], "pattern": NOT_BLANK, "description": description,
            "errorMessage": f"{key} ska vara text ({what}) och får inte vara tom", **extra}


def _loose_text(key: str, description: str, what: str) -> dict:
    """Text that YAML may read as a number when unquoted (`version: 1.10`); the handbook keeps it as text."""
    return {"type": ["string", "number"], "description": description,
            "errorMessage": f"{key} ska vara text ({what})"}


def _date(key: str, description: str) -> dict:
    return {"type": "string", "format": "date", "pattern": DATE, "description": f"{description} Skriv ÅÅÅÅ-MM-DD, t.ex. 2027-03-01.",
            "errorMessage": f"{key} är inget giltigt datum; skriv ÅÅÅÅ-MM-DD utan klockslag, med en månad 01–12 och en dag "
                            "som finns i månaden, t.ex. 2027-03-01"}


def _list(key: str, description: str, what: str) -> dict:
    """A list; a single value is accepted too, as `handbook check` does."""
    message = f"{key} ska vara en lista med text ({what})"
    return {"type": ["array", "string"], "items": {"type": ["string", "number"], "errorMessage": message},
            "description": description, "errorMessage": message}


def _role(key: str, description: str, what: str) -> dict:
    return {"type": "string", "pattern": NOT_BLANK, "description": f"{description} Ett roll-id från {ROLES_FILE} (en roll, inte en lista).",
            "errorMessage": f"{key} ska vara exakt ett roll-id ({what}) från {ROLES_FILE}, inte en lista"}


def _one_of(key: str, values, description: str, what: str) -> dict:
    values = list(values)
    return {"enum": values, "description": description,
            "errorMessage": f"{key} är ingen giltig {what}; välj {_or(values)}"}


def _or(values) -> str:
    values = list(values)
    return ", ".join(values[:-1]) + " eller " + values[-1] if len(values) > 1 else "".join(values)


def _required(key: str, message: str) -> dict:
    return {"required": [key], "errorMessage": message}


def _known_keys(keys, message: str) -> dict:
    return {"propertyNames": {"enum": list(keys), "errorMessage": message}}


def _governance() -> dict:
    """Fields that documents and processes share."""
    return {
        "klassa": {**_loose_text("klassa", "Klassa-kod, t.ex. \"2.3.2\". Koden ska finnas i Klassa 2.1 eller i processes/klassa.yml. "
                                 "Skriv koden inom citattecken så att 2.10 inte blir 2.1.", "Klassa-kod"),
                   "pattern": CODE.pattern,
                   "errorMessage": "klassa ska vara en Klassa-kod med siffror och punkter, t.ex. \"2.3.2\"; skriv den inom citattecken"},
        "version": _loose_text("version", "Version, t.ex. \"1.0\". Skriv inom citattecken så att 1.10 inte blir 1.1.", "version, t.ex. \"1.0\""),
        "review_date": _date("review_date", "Ska revideras senast."),
        "state": _one_of("state", STATES, STATE_TEXT, "status"),
        "valid_from": _date("valid_from", "Gäller fr.o.m. Krävs för dokument när state är fastställd."),
        "decided_by": _text("decided_by", "Beslutsinstans, t.ex. Kommunstyrelsen. Krävs för dokument när state är fastställd.",
                            "beslutsinstans"),
        "decision_date": _date("decision_date", "Beslutsdatum."),
        "diarienummer": _loose_text("diarienummer", "Diarienummer, t.ex. \"22/KS 0123\".", "diarienummer"),
        "reviewed": _reviewed(),
        "repealed_from": _date("repealed_from", "Upphävd fr.o.m., när state är upphävd. Utan den räknas dagen då upphävandet "
                                                "committades; föregående version gäller t.o.m. dagen före."),
        "repeal_note": _loose_text("repeal_note", "Varför dokumentet eller processen upphävdes och vad som gäller i stället, "
                                                  "när inget dokument ersätter det (replaces).", "anteckning om upphävandet"),
        "information_class": {"type": "string", "pattern": CLASSIFICATION,
                              "description": "Informationsklassning, t.ex. K1 eller K2 R1 T2 S1. K-nivå över webbplatsens gräns "
                                             "publiceras inte. Standard: K1.",
                              "errorMessage": "information_class kan inte läsas; skriv en K-nivå 0–4 först, t.ex. K1 eller K2 R1 T2 S1"},
    }


def _review() -> dict:
    """One entry of `reviewed`: a review recorded without a new version."""
    return {
        "type": "object",
        "properties": {"date": _date("date", "Dagen då granskningen gjordes."),
                       "by": _role("by", "Den som granskade.", "den som granskade"),
                       "note": _loose_text("note", "Vad som kontrollerades och vad som hittades.", "anteckning")},
        "errorMessage": "en granskning ska vara en mappning: {date: ÅÅÅÅ-MM-DD, by: roll-id, note: \"vad som kontrollerades\"}",
        "allOf": [_required("date", "date saknas i granskningen; skriv dagen som ÅÅÅÅ-MM-DD"),
                  _required("by", "by saknas i granskningen; ange roll-id för den som granskade"),
                  _known_keys(("date", "by", "note"), "okänd nyckel i granskningen; använd date, by och note")],
    }


def _reviewed() -> dict:
    """A list of reviews, or one review alone; object keywords apply to the single one, items to the list."""
    return {**_review(), "type": ["array", "object"], "items": {"$ref": "#/$defs/review"},
            "description": "Granskningar utan ny version: en lista med {date, by, note}; den senaste räknas.",
            "errorMessage": "reviewed ska vara en lista med granskningar, t.ex. - {date: 2027-01-15, by: hr-chef, note: \"Stämmer\"}"}


# What improvement.is_url or improvement.is_doc_path accepts: an http(s) address, or a docs/ page (with an anchor).
LINK = r"^(?:[Hh][Tt][Tt][Pp][Ss]?://[^\s<>\"]+|[^#]*\.md(?:#.*)?)$"
REQUIREMENTS_FILE = "processes/krav.yml"


def _requirement_ref() -> dict:
    """One entry of `requirements`: a krav-id, or {id, note}."""
    message = f"varje krav under requirements ska vara ett krav-id ur {REQUIREMENTS_FILE} eller {{id: krav-id, note: text}}"
    return {"type": ["string", "number", "object"], "pattern": REQUIREMENT_ID.pattern,
            "properties": {"id": {**_text("id", f"Kravets id i {REQUIREMENTS_FILE}.", "krav-id"), "pattern": REQUIREMENT_ID.pattern,
                                  "errorMessage": "id ska vara ett krav-id: bara a–z, 0–9 och bindestreck"},
                           "note": _loose_text("note", "Hur kravet uppfylls.", "hur kravet uppfylls")},
            "errorMessage": message,
            "allOf": [_required("id", "id saknas: ange kravets id ur processes/krav.yml"),
                      _known_keys(REQUIREMENT_REF_KEYS, "okänd nyckel i kravet; använd id och note")]}


def _requirements(where: str) -> dict:
    return {**_requirement_ref(), "type": ["array", "string", "object"], "items": {"$ref": "#/$defs/requirement"},
            "description": f"Krav som {where} uppfyller: id ur {REQUIREMENTS_FILE}, var för sig eller som {{id, note}}. "
                           "Visas på kravets sida krav/<id>/ och räknas i mognadens steg 4.",
            "errorMessage": f"requirements ska vara en lista med krav-id ur {REQUIREMENTS_FILE}, t.ex. [sosfs-2011-9-4-kap-2]"}


def _entries(key: str, description: str, item: dict) -> dict:
    """A list of mappings; one mapping alone is accepted too, as `handbook check` does."""
    return {**item, "type": ["array", "object"], "items": item, "description": description,
            "errorMessage": f"{key} ska vara en lista med mappningar; se beskrivningen"}


def _mapping(what: str, properties: dict, required: dict, keys) -> dict:
    return {"type": "object", "properties": properties, "errorMessage": f"{what} ska vara en mappning",
            "allOf": [*(_required(k, m) for k, m in required.items()),
                      _known_keys(keys, f"okänd nyckel i {what}; använd " + ", ".join(keys))]}


def _improvement() -> dict:
    """Requirements, measures, goals, follow-up, knowledge and evaluations (core/improvement.py)."""
    measure = _mapping("ett mått", {
        "name": _loose_text("name", "Måttets namn, t.ex. Handläggningstid.", "måttets namn"),
        "unit": _loose_text("unit", "Enhet, t.ex. dagar eller procent.", "enhet"),
        "target": _loose_text("target", "Målvärde, t.ex. \"högst 30\".", "målvärde"),
        "frequency": _loose_text("frequency", "Hur ofta måttet följs upp, t.ex. varje månad.", "hur ofta"),
        "result": _loose_text("result", "Var det senaste resultatet finns: en webbadress, en sida i docs/ eller text.", "var resultatet finns"),
    }, {"name": "name saknas i måttet (måttets namn)"}, MEASURE_KEYS)
    goal = _mapping("ett mål", {
        "name": _loose_text("name", "Vad målet är.", "vad målet är"),
        "date": _date("date", "När målet ska vara nått."),
    }, {"name": "name saknas i målet (vad målet är)", "date": "date saknas i målet; skriv när målet ska vara nått som ÅÅÅÅ-MM-DD"}, GOAL_KEYS)
    knowledge = _mapping("knowledge", {
        "name": _loose_text("name", "Vad de berörda får, t.ex. Introduktion för nyanställda.", "vad de berörda får"),
        "kind": _one_of("kind", KNOWLEDGE_KINDS, "Slag: utbildning, introduktion eller material.", "slag av kunskap"),
        "link": {"type": "string", "pattern": LINK, "description": "En webbadress (https://…) eller en sida i docs/, t.ex. hr/checklista-introduktion.md.",
                 "errorMessage": "link ska vara en webbadress (https://…) eller en sida i docs/ (t.ex. hr/rutin.md)"},
    }, {"name": "name saknas i knowledge (vad de berörda får)"}, KNOWLEDGE_KEYS)
    evaluation = _mapping("en utvärdering", {
        "date": _date("date", "Dagen för utvärderingen."),
        "what": _loose_text("what", "Vad som utvärderades.", "vad som utvärderades"),
        "found": _loose_text("found", "Vad utvärderingen visade.", "vad som visade sig"),
        "improved": _loose_text("improved", "Vad som förbättrades.", "vad som förbättrades"),
        "goals_raised": {"type": ["boolean", "null"], "description": "true när målen höjdes efter utvärderingen (mognadens steg 10).",
                         "errorMessage": "goals_raised ska vara true eller false"},
    }, {"date": "date saknas i utvärderingen; skriv dagen som ÅÅÅÅ-MM-DD", "what": "what saknas i utvärderingen (vad som utvärderades)"},
        EVALUATION_KEYS)
    follow_up = _mapping("follow_up", {
        "how": _loose_text("how", "Hur mätning och uppföljning går till.", "hur uppföljningen går till"),
        "by": _role("by", "Den som följer upp.", "den som följer upp"),
    }, {"how": "how saknas i follow_up (hur uppföljningen går till)", "by": "by saknas i follow_up; ange roll-id för den som följer upp"},
        FOLLOW_UP_KEYS)
    return {
        "requirements": _requirements("processen"),
        "measures": _entries("measures", "Mått: name, unit, target, frequency och result (var senaste resultatet finns). "
                                         "Mognadens steg 5 och 6.", measure),
        "goals": _entries("goals", "Mål för processen med datum: name och date. Mognadens steg 7.", goal),
        "follow_up": {**follow_up, "description": "Hur och av vem mätning och uppföljning görs: how och by (roll-id). Mognadens steg 6."},
        "knowledge": _entries("knowledge", "Hur de berörda lär sig processen: name, kind (utbildning, introduktion, material) "
                                           "och link. Mognadens steg 8.", knowledge),
        "evaluations": _entries("evaluations", "Utvärderingar: date, what, found, improved och goals_raised (true när målen höjdes). "
                                               "Mognadens steg 9 och 10.", evaluation),
    }


GOVERNANCE_MISSING = {
    "klassa": "klassa saknas (Klassa-kod, t.ex. \"2.3.2\")",
    "owner": f"owner saknas; ange ett roll-id från {ROLES_FILE}",
    "version": "version saknas (version, t.ex. \"1.0\")",
    "review_date": "review_date saknas (ska revideras senast); skriv ett datum som ÅÅÅÅ-MM-DD",
    "state": "state saknas (status: utkast, fastställd eller upphävd)",
    "valid_from": "valid_from saknas (gäller fr.o.m., krävs när state är fastställd); skriv ett datum som ÅÅÅÅ-MM-DD",
    "decided_by": "decided_by saknas (beslutsinstans, krävs när state är fastställd)",
}


def document_schema(doc_types=DEFAULT_DOC_TYPES) -> dict:
    """Front matter of a page in docs/: free, or a governed document when it has a governed key."""
    specs = {
        **_governance(),
        "title": _loose_text("title", "Dokumentnamn. Kan utelämnas om dokumentet börjar med en rubrik # Rubrik.", "dokumentnamn"),
        "doc_type": _one_of("doc_type", doc_types, "Dokumenttyp: " + ", ".join(doc_types) + ".", "dokumenttyp"),
        "owner": _role("owner", "Dokumentansvarig.", "dokumentansvarig"),
        "replaces": _list("replaces", "Ersätter: sökvägar till tidigare dokument, relativa till docs/, t.ex. [hr/gammal-rutin.md].",
                          "sökvägar i docs/"),
        "roles": _list("roles", "Berörda roller: roll-id från processes/roles.yml.", "roll-id"),
        "processes": _list("processes", "Berörda processer: process-id, t.ex. [rekrytering].", "process-id"),
        "requirements": _requirements("dokumentet"),
    }
    properties = {key: specs[key] for key in DOCUMENT_KEYS}
    for key in THEME_KEYS:
        properties[key] = {"description": "Nyckel som MkDocs eller Material läser; handboken bryr sig inte om den."}
    missing = {**GOVERNANCE_MISSING, "doc_type": "doc_type saknas (dokumenttyp); välj " + _or(doc_types)}
    decided = {"if": {"properties": {"state": {"const": "fastställd"}}, "required": ["state"]},
               "then": {"allOf": [_required(key, missing[key]) for key in REQUIRED_WHEN_DECIDED]}}
    return {
        "$schema": DIALECT,
        "title": "Front matter i docs/",
        "description": "Front matter för en sida i docs/. En sida med någon av nycklarna " + ", ".join(GOVERNED_MARKERS)
                       + " är ett styrande dokument och behöver alla obligatoriska nycklar; andra sidor är fria sidor.",
        "type": "object",
        "properties": properties,
        "errorMessage": "front matter ska vara en mappning med nyckel: värde på varje rad",
        "if": {"anyOf": [{"required": [key]} for key in GOVERNED_MARKERS]},
        "then": {"allOf": [
            *(_required(key, missing[key]) for key in GOVERNED_REQUIRED),
            _known_keys(properties, "okänd nyckel; rätta stavningen eller ta bort den. Handbokens nycklar: " + ", ".join(DOCUMENT_KEYS)),
            decided,
        ]},
        "$defs": {"review": _review(), "requirement": _requirement_ref()},
    }


def _step() -> dict:
    specs = {
        "id": _loose_text("id", "Stegets id, unikt i processen, t.ex. granska-ansokan. Används i next.", "stegets id"),
        "name": _loose_text("name", "Stegets namn, t.ex. Granska ansökan. För ett beslut: en fråga, t.ex. Är ansökan komplett?",
                            "stegets namn"),
        "role": _role("role", "Rollen som utför steget (stegets simbana).", "rollen som utför steget"),
        "kind": {**_one_of("kind", STEP_KINDS, "Stegets typ: task (aktivitet, standard), decision (beslut, ritas som romb) eller "
                                               "subprocess (delprocess, kräver process).", "stegtyp"), "default": "task"},
        "description": _loose_text("description", "Beskrivning som visas i stegtabellen.", "beskrivning"),
        "documents": _list("documents", "Dokument som hör till steget, relativa till docs/, t.ex. [hr/rutin-kravprofil.md]. "
                                        "Gör steget klickbart.", "sökvägar i docs/"),
        "next": {
            "type": ["array", "string", "object"],
            "items": {"type": "string", "errorMessage": "next ska vara en lista med steg-id"},
            "additionalProperties": {"type": "string", "errorMessage": "varje utfall i next ska peka på ett steg-id"},
            "description": "Nästa steg: en lista med steg-id, eller för ett beslut utfall: steg-id, t.ex. {Ja: annons, Nej: avslut}. "
                           "Utan next går flödet till steget nedanför; sista steget avslutar processen.",
            "errorMessage": "next ska vara en lista med steg-id eller, för ett beslut, etikett: steg-id",
        },
        "process": {**_text("process", "Delprocessens process-id (för kind: subprocess).", "delprocessens process-id"),
                    "pattern": PROCESS_ID.pattern,
                    "errorMessage": "process ska vara delprocessens process-id: bara a–z, 0–9 och bindestreck"},
        "requirements": _requirements("steget"),
    }
    properties = {key: specs[key] for key in STEP_KEYS}
    return {
        "type": "object",
        "description": "Ett steg i processen.",
        "properties": properties,
        "errorMessage": "ett steg ska vara en mappning med id, name och role",
        "allOf": [
            _required("id", "steget saknar id (unikt i processen, t.ex. granska-ansokan)"),
            _required("name", "steget saknar name (stegets namn)"),
            _required("role", "steget saknar role (roll-id som utför steget)"),
            _known_keys(properties, "okänd nyckel i steg; rätta stavningen eller ta bort den. Stegets nycklar: " + ", ".join(STEP_KEYS)),
            {"if": {"properties": {"kind": {"const": "decision"}}, "required": ["kind"]},
             "then": {"allOf": [_required("next", "beslutet saknar next; ange utfallen som next: {Ja: steg-id, Nej: steg-id}")],
                      "properties": {"next": {"type": "object",
                                              "errorMessage": "next i ett beslut ska ange utfallen: {Ja: steg-id, Nej: steg-id}"}}}},
            {"if": {"properties": {"kind": {"const": "subprocess"}}, "required": ["kind"]},
             "then": _required("process", "steget är en subprocess men saknar process: (id på delprocessen)")},
        ],
    }


def process_schema() -> dict:
    """A process file processes/**/*.yml (not roles.yml or klassa.yml)."""
    specs = {
        **_governance(),
        "id": {**_text("id", "Processens id; standard är filnamnet. Bara a–z, 0–9 och bindestreck.", "processens id"),
               "pattern": PROCESS_ID.pattern,
               "errorMessage": "id får bara innehålla a–z, 0–9 och bindestreck, t.ex. rekrytering"},
        "name": _loose_text("name", "Processens namn, t.ex. Rekrytering.", "processens namn"),
        "owner": _role("owner", "Processägare.", "processägare"),
        "leader": _role("leader", "Processledare. Utelämna när processägaren leder processen.", "processledare"),
        "team": _list("team", "Processteam: roll-id från processes/roles.yml.", "roll-id"),
        "purpose": _loose_text("purpose", "Syfte: varför processen finns.", "syfte"),
        "trigger": _loose_text("trigger", "Vad startar processen.", "vad som startar processen"),
        "customer": _loose_text("customer", "Mottagare (kund) av processens resultat.", "mottagare"),
        "result": _loose_text("result", "Värde eller resultat för mottagaren.", "resultat"),
        "inputs": _list("inputs", "Det som går in i processen.", "det som går in"),
        "outputs": _list("outputs", "Det som kommer ut ur processen.", "det som kommer ut"),
        "steps": {"type": "array", "contains": {}, "items": {"$ref": "#/$defs/step"},
                  "description": "Processens steg i ordning; flödet börjar i första steget.",
                  "errorMessage": "steps ska vara en lista med minst ett steg (id, name, role)"},
        "description": _loose_text("description", "Beskrivning av processen.", "beskrivning"),
        **_improvement(),
    }
    properties = {key: specs[key] for key in PROCESS_KEYS}
    missing = {**GOVERNANCE_MISSING, "name": "name saknas (processens namn)",
               "steps": "processen saknar steps: en lista med minst ett steg (id, name, role)"}
    return {
        "$schema": DIALECT,
        "title": "Process",
        "description": "En process i processes/. Varje .yml-fil där är en process, utom roles.yml och klassa.yml.",
        "type": "object",
        "properties": properties,
        "errorMessage": "processfilen ska vara en mappning med nycklar som name, klassa, owner och steps",
        "allOf": [
            *(_required(key, missing[key]) for key in ("name", "klassa", "owner", "version", "review_date", "state", "steps")),
            _known_keys(properties, "okänd nyckel; rätta stavningen eller ta bort den. Processens nycklar: " + ", ".join(PROCESS_KEYS)),
        ],
        "$defs": {"step": _step(), "review": _review(), "requirement": _requirement_ref()},
    }


def requirements_schema() -> dict:
    """The requirements register processes/krav.yml (core/requirements.py): krav-id → the requirement."""
    governance = _governance()
    entry = {
        "type": "object",
        "description": "Ett krav av externt ursprung: lag, förordning eller föreskrift.",
        "properties": {
            "title": _text("title", "Kravets rubrik, t.ex. Allmänna handlingar ska registreras.", "kravets rubrik"),
            "source": _text("source", "Var kravet står, t.ex. SoL 3 kap. 3 § eller SOSFS 2011:9 4 kap. 2 §.", "var kravet står"),
            "link": {"type": "string", "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s<>\"]+$",
                     "description": "Webbadress till källan, t.ex. https://rkrattsbaser.gov.se/sfst?bet=2009:400.",
                     "errorMessage": "link ska vara en webbadress som börjar med https://"},
            "checked": _date("checked", "Dagen då källan senast kontrollerades mot handboken."),
            "owner": _role("owner", "Den roll som bevakar kravet.", "den som bevakar kravet"),
            "klassa": governance["klassa"],
            "information_class": governance["information_class"],
            "description": _loose_text("description", "Beskrivning av kravet.", "beskrivning"),
        },
        "errorMessage": "ett krav ska vara en mappning med title, source, link, checked och owner",
        "allOf": [
            _required("title", "title saknas (kravets rubrik)"),
            _required("source", "source saknas (var kravet står, t.ex. SoL 3 kap. 3 §)"),
            _required("checked", "checked saknas; skriv dagen då källan senast kontrollerades som ÅÅÅÅ-MM-DD"),
            _required("owner", f"owner saknas; ange ett roll-id från {ROLES_FILE}"),
        ],
    }
    entry["allOf"].append(_known_keys(entry["properties"], "okänd nyckel i kravet; använd " + ", ".join(entry["properties"])))
    return {
        "$schema": DIALECT,
        "title": "Kravregistret",
        "description": f"{REQUIREMENTS_FILE}: krav av externt ursprung som processer, steg och dokument hänvisar till med requirements.",
        "type": "object",
        "errorMessage": "krav.yml ska vara en mappning krav-id: {title, source, link, checked, owner}",
        "propertyNames": {"pattern": REQUIREMENT_ID.pattern,
                          "errorMessage": "krav-id får bara innehålla a–z, 0–9 och bindestreck (det blir sidans adress krav/<id>/)"},
        "additionalProperties": entry,
    }


def schema(kind: str, doc_types=DEFAULT_DOC_TYPES) -> dict:
    """The schema named `kind` (document, process or requirements)."""
    if kind == "requirements":
        return requirements_schema()
    return document_schema(doc_types) if kind == "document" else process_schema()


SCHEMA_KINDS = ("document", "process", "requirements")
