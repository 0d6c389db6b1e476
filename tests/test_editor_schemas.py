"""The schemas in the editor: the real YAML language server (npm, as VS Code's YAML extension runs it), driven
over LSP with the project's .vscode/settings.json, flags what `handbook check` flags, in Swedish.

The server is installed into .tools/ by scripts/install-yaml-language-server (`make test` runs it).
Front matter in Markdown is not checked by the YAML extension, so the document schema is tested on
YAML files that hold front matter (opened in the editor, never written to disk).
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO, ROLES, run_handbook, write_handbook
from handbook.core.documents import DEFAULT_DOC_TYPES
from handbook.core.governance import STATES
from handbook.core.processes import STEP_KINDS

SERVER = REPO / ".tools" / "node_modules" / ".bin" / "yaml-language-server"
PINNED = json.loads((REPO / "scripts" / "yaml-language-server" / "package.json").read_text("utf-8"))["dependencies"]["yaml-language-server"]
FRONT_MATTER_DIR = "front-matter"  # where the test opens front matter as YAML; wired to the document schema below
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$", re.S | re.M)
ENGLISH = re.compile(r"\b(the|is|not|of|Missing|Property|Value|String|Incorrect|Expected|Array|schema|pattern)\b")
SWEDISH = re.compile(r"\b(ska|saknas|saknar|okänd|inget|ingen|får|välj|kan|skriv)\b")


class LanguageServer:
    """A client of one yaml-language-server process over stdio (JSON-RPC with Content-Length headers)."""

    def __init__(self, root: Path, settings: dict):
        self.process = subprocess.Popen([str(SERVER), "--stdio"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.buffer = b""
        self.last_id = 0
        self.published: dict[str, list[dict]] = {}
        self.settings = settings
        self.root = root

    def start(self) -> None:
        root = self.root
        self.info = self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(), "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {"workspace": {"configuration": True}, "textDocument": {"publishDiagnostics": {}}}})
        self.notify("initialized", {})
        self.configured = False
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})
        while not self.configured:
            self.receive()
        self.wait_for_schemas(root / "processes" / "provfil.yml")

    def wait_for_schemas(self, probe: Path) -> None:
        """The server applies pulled settings a moment after it has them; wait until a process file gets its schema."""
        uri, deadline = probe.as_uri(), time.monotonic() + 30
        while True:
            self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": ""}})
            ready = self.request("yaml/get/jsonSchema", uri)
            self.published = {}
            self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            while uri not in self.published:
                self.receive()
            if ready:
                return
            assert time.monotonic() < deadline, "yaml-language-server never applied the schemas of .vscode/settings.json"
            time.sleep(0.05)

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict | None) -> dict:
        self.last_id += 1
        self.send({"id": self.last_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.last_id and "method" not in message:
                assert "error" not in message, message
                return message.get("result")

    def receive(self, timeout: float = 30) -> dict:
        while True:
            head, separator, rest = self.buffer.partition(b"\r\n\r\n")
            if separator:
                length = int(re.search(rb"Content-Length: *(\d+)", head, re.I).group(1))
                if len(rest) >= length:
                    self.buffer = rest[length:]
                    return self.handle(json.loads(rest[:length]))
            ready, _, _ = select.select([self.process.stdout], [], [], timeout)
            assert ready, "yaml-language-server did not answer within 30 s"
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            assert chunk, f"yaml-language-server stopped (exit code {self.process.poll()})"
            self.buffer += chunk

    def handle(self, message: dict) -> dict:
        if message.get("method") == "textDocument/publishDiagnostics":
            self.published[message["params"]["uri"]] = message["params"]["diagnostics"]
        elif message.get("method") == "workspace/configuration":  # the server pulls its settings, as from VS Code
            self.send({"id": message["id"], "result": [self.settings.get(item.get("section")) for item in message["params"]["items"]]})
            self.configured = True
        elif "id" in message and "method" in message:  # other requests from the server (registrations)
            self.send({"id": message["id"], "result": None})
        return message

    def diagnose(self, files: dict[Path, str]) -> dict[Path, list[dict]]:
        """Open files in the editor with these texts and return what the server publishes for each.

        All at once: the server waits 200 ms after a change before it validates, as it does while one types."""
        uris = {path.as_uri(): path for path in files}
        assert len(uris) == len(files)
        self.published = {}
        for uri, path in uris.items():
            self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": files[path]}})
        for uri, path in uris.items():  # proof that the settings apply: no file passes for want of a schema
            schemas = [Path(s["uri"]).name for s in self.request("yaml/get/jsonSchema", uri)]
            assert schemas == expected_schemas(path), f"{path}: the editor uses the schemas {schemas}"
        while not uris.keys() <= self.published.keys():
            self.receive()
        found = {path: self.published[uri] for uri, path in uris.items()}
        self.published = {}
        for uri in uris:
            self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        while not uris.keys() <= self.published.keys():  # the server clears each closed file
            self.receive()
        return found

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                self.request("shutdown", None)
                self.notify("exit", None)
                self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def expected_schemas(path: Path) -> list[str]:
    """What .vscode/settings.json (and the test's front-matter folder) wire to a file."""
    relative = path.relative_to(REPO).as_posix()
    folder = relative.split("/")[0]
    if relative == "processes/krav.yml":
        return ["requirements.schema.json"]
    if folder == "processes" and relative not in ("processes/roles.yml", "processes/klassa.yml"):
        return ["process.schema.json"]
    return ["document.schema.json"] if folder == FRONT_MATTER_DIR else []


def project_settings() -> dict:
    """The yaml.* settings of .vscode/settings.json as VS Code sends them, plus the document schema on front matter as YAML."""
    flat = json.loads((REPO / ".vscode" / "settings.json").read_text("utf-8"))
    yaml = {key.removeprefix("yaml."): value for key, value in flat.items() if key.startswith("yaml.")}
    yaml["schemas"] = {**yaml["schemas"], "./schemas/document.schema.json": [f"{FRONT_MATTER_DIR}/**/*.yml"]}
    editor = {key.removeprefix("editor."): value for key, value in flat.items() if key.startswith("editor.")}
    return {"yaml": yaml, "[yaml]": flat.get("[yaml]", {}), "editor": editor, "http": {}}


@pytest.fixture(scope="module")
def server():
    if not os.access(SERVER, os.X_OK):
        pytest.fail(f"yaml-language-server is not installed in {SERVER.parent}: run scripts/install-yaml-language-server "
                    "(make test runs it; it needs Node.js, npm and the npm registry)", pytrace=False)
    language_server = LanguageServer(REPO, project_settings())
    try:
        language_server.start()
        yield language_server
    finally:
        language_server.close()


def messages(diagnostics: list[dict]) -> list[str]:
    return [d["message"] for d in diagnostics]


def test_the_pinned_server_runs(server):
    assert server.info["serverInfo"]["version"] == PINNED, f"run scripts/install-yaml-language-server to install {PINNED}"
    [found] = server.diagnose({REPO / "processes" / "trasig.yml": "name: [\n"}).values()
    assert found, "the server reports nothing, not even a syntax error"


# -- the reference handbook -----------------------------------------------------------

def test_reference_processes_have_no_diagnostics(server):
    files = sorted((REPO / "processes").rglob("*.yml"))
    assert len([f for f in files if expected_schemas(f)]) > 5
    found = server.diagnose({path: path.read_text("utf-8") for path in files})
    assert {str(path): messages(d) for path, d in found.items() if d} == {}


def test_reference_front_matter_has_no_diagnostics(server):
    files = {}
    for path in sorted((REPO / "docs").rglob("*.md")):
        match = FRONT_MATTER.match(path.read_text("utf-8"))
        if match:
            files[front_matter_path(path.relative_to(REPO / "docs"))] = match.group(1)
    assert sum("doc_type:" in text for text in files.values()) > 20
    assert sum("doc_type:" not in text for text in files.values()) > 5  # free pages
    found = server.diagnose(files)
    assert {str(path): messages(d) for path, d in found.items() if d} == {}


def front_matter_path(name) -> Path:
    return REPO / FRONT_MATTER_DIR / Path(name).with_suffix(".yml")


# -- planted mistakes: the editor and check agree ---------------------------------------

DOCUMENT = """\
title: Planterat dokument
doc_type: rutin
klassa: "2.3.2"
owner: hr-chef
version: "1.0"
review_date: 2027-06-30
state: fastställd
valid_from: 2025-01-01
decided_by: Kommunstyrelsen
"""

PROCESS = """\
name: Planterad process
klassa: "2.3.2"
owner: hr-chef
version: "1.0"
review_date: 2027-06-30
state: fastställd
steps:
  - id: ansok
    name: Ansök
    role: hr-chef
  - id: granska
    name: Är ansökan komplett?
    role: hr-chef
    kind: decision
    next: {Ja: besluta, Nej: ansok}
  - id: besluta
    name: Besluta
    role: hr-chef
"""


def edit(base: str, old: str, new: str) -> str:
    assert base.count(old) == 1, old
    return base.replace(old, new)


# name: (front matter, YAML line of the mistake or None when a key is missing)
DOCUMENT_MISTAKES = {
    "30-februari": (edit(DOCUMENT, "2027-06-30", "2027-02-30"), 6),
    "31-april": (edit(DOCUMENT, "2027-06-30", "2027-04-31"), 6),
    "manad-13": (edit(DOCUMENT, "2027-06-30", "2027-13-45"), 6),
    "dag-32": (edit(DOCUMENT, "2027-06-30", "2027-01-32"), 6),
    "29-februari-2027": (edit(DOCUMENT, "2027-06-30", "2027-02-29"), 6),
    "29-februari-2100": (edit(DOCUMENT, "2027-06-30", "2100-02-29"), 6),
    "svenskt-datum": (edit(DOCUMENT, "2027-06-30", "30/6 2027"), 6),
    "datum-med-klockslag": (edit(DOCUMENT, "2027-06-30", "2027-06-30T10:00"), 6),
    "manad-00": (edit(DOCUMENT, "2025-01-01", "2025-00-10"), 8),
    "beslutsdatum": (DOCUMENT + "decision_date: 2024-06-31\n", 10),
    "status": (edit(DOCUMENT, "state: fastställd", "state: faststalld"), 7),
    "dokumenttyp": (edit(DOCUMENT, "doc_type: rutin", "doc_type: rutinn"), 2),
    "klassa-kod": (edit(DOCUMENT, '"2.3.2"', '"2.3.x"'), 3),
    "agare-lista": (edit(DOCUMENT, "owner: hr-chef", "owner: [hr-chef, hr-konsult]"), 4),
    "informationsklass": (DOCUMENT + "information_class: hemlig\n", 10),
    "felstavad-nyckel": (DOCUMENT + "ownr: hr-chef\n", 10),
    "roller-mappning": (DOCUMENT + "roles: {hr-chef: ja}\n", 10),
    "tom-beslutsinstans": (edit(DOCUMENT, "decided_by: Kommunstyrelsen", "decided_by: ''"), 9),
    "utan-galler-fran": (edit(DOCUMENT, "valid_from: 2025-01-01\n", ""), None),
    "utan-agare": (edit(DOCUMENT, "owner: hr-chef\n", ""), None),
    "bara-review-date": ("title: Halvt styrande\nreview_date: 2027-06-30\n", None),
    "granskningsdatum": (DOCUMENT + "reviewed:\n  - {date: 2026-02-30, by: hr-chef, note: Stämmer}\n", 11),
}
DOCUMENT_CORRECT = {
    "styrande": DOCUMENT,
    "skottdag-2028": edit(DOCUMENT, "2027-06-30", "2028-02-29"),
    "skottdag-2000": edit(DOCUMENT, "2027-06-30", "2000-02-29"),
    "version-utan-citattecken": edit(DOCUMENT, 'version: "1.0"', "version: 1.10"),
    "utkast": edit(edit(edit(DOCUMENT, "state: fastställd", "state: utkast"), "valid_from: 2025-01-01\n", ""),
                   "decided_by: Kommunstyrelsen\n", ""),
    "fri-sida": "title: En fri sida\nhide: [navigation]\n",
    "fri-sida-med-egen-nyckel": "title: En fri sida\nlayoutval: bred\n",
    "fri-sida-med-status": "title: En fri sida\nstate: fastställd\n",
    "granskad": DOCUMENT + "reviewed:\n  - {date: 2026-01-15, by: hr-chef, note: Stämmer}\n",
    "granskad-en-gang": DOCUMENT + "reviewed: {date: 2026-01-15, by: hr-chef, note: Stämmer}\n",
}

PROCESS_MISTAKES = {
    "30-februari": (edit(PROCESS, "2027-06-30", "2027-02-30"), 5),
    "manad-13": (edit(PROCESS, "2027-06-30", "2027-13-45"), 5),
    "status": (edit(PROCESS, "state: fastställd", "state: fastsälld"), 6),
    "process-id": ("id: Planterad process\n" + PROCESS, 1),
    "agare-lista": (edit(PROCESS, "owner: hr-chef", "owner: [hr-chef]"), 3),
    "informationsklass": (edit(PROCESS, "steps:", "information_class: K9\nsteps:"), 7),
    "klassa-kod": (edit(PROCESS, '"2.3.2"', '"2.3.x"'), 2),
    "felstavad-nyckel": (edit(PROCESS, "steps:", "ownr: hr-chef\nsteps:"), 7),
    "stegtyp": (edit(PROCESS, "kind: decision", "kind: beslut"), 14),
    "felstavad-stegnyckel": (edit(PROCESS, "    name: Besluta\n", "    name: Besluta\n    rol: hr-chef\n"), 18),
    "beslut-utan-next": (edit(PROCESS, "    next: {Ja: besluta, Nej: ansok}\n", ""), None),
    "beslut-med-lista": (edit(PROCESS, "{Ja: besluta, Nej: ansok}", "[besluta, ansok]"), 15),
    "delprocess-utan-process": (edit(PROCESS, "  - id: besluta\n", "  - id: besluta\n    kind: subprocess\n"), None),
    "steg-utan-roll": (edit(PROCESS, "    name: Besluta\n    role: hr-chef\n", "    name: Besluta\n"), None),
    "utan-steg": (PROCESS.split("steps:")[0] + "steps: []\n", 7),
    "utan-namn": (edit(PROCESS, "name: Planterad process\n", ""), None),
    "granskning-utan-by": (edit(PROCESS, "steps:", "reviewed:\n  - date: 2026-01-15\n    note: Stämmer\nsteps:"), None),
}
PROCESS_CORRECT = {
    "process": PROCESS,
    "skottdag": edit(PROCESS, "2027-06-30", "2028-02-29"),
    "delprocess": edit(PROCESS, "  - id: besluta\n", "  - id: besluta\n    kind: subprocess\n    process: process\n"),
}


def check_file(name: str, kind: str) -> str:
    return f"docs/fel/{name}.md" if kind == "document" else f"processes/fel/{name}.yml"


def editor_file(name: str, kind: str) -> Path:
    return front_matter_path(f"fel/{name}") if kind == "document" else REPO / "processes" / "fel" / f"{name}.yml"


def planted() -> dict[tuple[str, str], str]:
    """Every planted file: (kind, name) → the front matter or process file."""
    cases = {("document", name): text for name, (text, _) in DOCUMENT_MISTAKES.items()}
    cases |= {("document", name): text for name, text in DOCUMENT_CORRECT.items()}
    cases |= {("process", name): text for name, (text, _) in PROCESS_MISTAKES.items()}
    cases |= {("process", name): text for name, text in PROCESS_CORRECT.items()}
    return cases


@pytest.fixture(scope="module")
def editor(server) -> dict[tuple[str, str], list[dict]]:
    """What the editor shows for every planted file: (kind, name) → diagnostics."""
    cases = planted()
    found = server.diagnose({editor_file(name, kind): text for (kind, name), text in cases.items()})
    return {(kind, name): found[editor_file(name, kind)] for kind, name in cases}


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[tuple[str, str], list[tuple[int, str, str]]]:
    """What `handbook check` says of every planted file, in one handbook checked once: (kind, name) → [(line, severity, message)]."""
    files = {check_file(name, kind): f"---\n{text}---\n\nInnehåll.\n" if kind == "document" else text
             for (kind, name), text in planted().items()}
    roles = {**ROLES, "hr-konsult": {"name": "HR-konsult", "contact": "hr-konsult@example.se"}}
    root = write_handbook(tmp_path_factory.mktemp("planted"), files, roles=roles)
    output = run_handbook(root, "check").stdout
    problems = {}
    for match in re.finditer(r"^(\S+):(\d+): (error|warning): (.*)$", output, re.M):
        problems.setdefault(match[1], []).append((int(match[2]), match[3], match[4]))
    return {(kind, name): problems.get(check_file(name, kind), []) for kind, name in planted()}


def assert_swedish(diagnostics: list[dict]) -> None:
    for message in messages(diagnostics):
        assert SWEDISH.search(message) and not ENGLISH.search(message), message


@pytest.mark.parametrize("kind, name", [*(("document", n) for n in DOCUMENT_MISTAKES), *(("process", n) for n in PROCESS_MISTAKES)])
def test_a_planted_mistake_is_flagged_by_the_editor_in_swedish_and_by_check(editor, checked, kind, name):
    diagnostics, problems = editor[kind, name], checked[kind, name]
    assert diagnostics, f"the editor misses {kind} {name}"
    assert_swedish(diagnostics)
    assert problems, f"check misses {kind} {name}"
    line = (DOCUMENT_MISTAKES if kind == "document" else PROCESS_MISTAKES)[name][1]
    if line is not None:  # both point at the key; in a Markdown file the front matter starts on line 2
        assert line - 1 in {d["range"]["start"]["line"] for d in diagnostics}, diagnostics
        assert line + (kind == "document") in {p[0] for p in problems}, problems


def test_what_check_accepts_the_editor_accepts(editor, checked):
    correct = [*(("document", n) for n in DOCUMENT_CORRECT), *(("process", n) for n in PROCESS_CORRECT)]
    assert {case: messages(editor[case]) for case in correct if editor[case]} == {}
    assert {case: checked[case] for case in correct if checked[case]} == {}


def test_a_free_page_needs_no_governed_key_but_a_governed_one_needs_them_all(editor):
    assert editor["document", "fri-sida"] == [] and editor["document", "fri-sida-med-egen-nyckel"] == []
    found = messages(editor["document", "bara-review-date"])
    assert sorted(m.split()[0] for m in found) == ["doc_type", "klassa", "owner", "state", "version"]


@pytest.mark.parametrize("kind, name, values", [
    ("document", "status", STATES),
    ("document", "dokumenttyp", DEFAULT_DOC_TYPES),
    ("process", "stegtyp", STEP_KINDS),
    ("document", "felstavad-nyckel", ("owner", "review_date", "valid_from")),
    ("process", "felstavad-stegnyckel", ("role", "next", "documents")),
])
def test_a_wrong_value_is_answered_with_the_valid_ones(editor, kind, name, values):
    [message] = messages(editor[kind, name])
    assert all(value in message for value in values), message
