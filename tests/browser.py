"""A built site in a real browser: a local HTTP server and Debian's Chromium driven by Playwright.

Import it from a test module:

    from browser import Browser, served_site
    from conftest import build, write_handbook

    @pytest.fixture(scope="module")
    def browser(tmp_path_factory):
        built = build(write_handbook(tmp_path_factory.mktemp("site") / "h", {...}))
        with served_site(built.site) as base_url, Browser(base_url) as b:
            yield b

`Browser.requests` records every request the pages make, so a test can assert that none
leaves 127.0.0.1. No browser is ever downloaded: Playwright drives /usr/bin/chromium.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

# Debian's Chromium: its headless shell when installed (scripts/install-chromium installs both), the same
# Chromium build without the browser's window layer, as Playwright itself runs headless pages; about a
# fifth less time per page than the full browser in headless mode (benchmarks/RESULTS.md).
CHROMIUM = next((path for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if Path(path).exists()),
                "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]

# Material draws each Mermaid diagram into a CLOSED shadow root, which no script (and no
# Playwright selector) can look into. Tests open it: every attachShadow becomes mode "open".
OPEN_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: "open"}); };
})();
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def served_site(site: Path):
    """Serve a built site on 127.0.0.1 at a free port, in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


_CHROMIUM: dict = {}


def chromium():
    """The test process's one Chromium (Playwright's Browser); each `Browser` opens its own context in it,
    as fresh as a new browser for the pages (cookies, storage, cache) at a tenth of the start-up."""
    browser = _CHROMIUM.get("browser")
    if browser is None or not browser.is_connected():
        from playwright.sync_api import sync_playwright

        _CHROMIUM["playwright"] = _CHROMIUM.get("playwright") or sync_playwright().start()
        _CHROMIUM["browser"] = _CHROMIUM["playwright"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    return _CHROMIUM["browser"]


def close_chromium() -> None:
    """At the end of the test run (conftest's pytest_sessionfinish)."""
    if _CHROMIUM.get("browser") is not None:
        _CHROMIUM.pop("browser").close()
    if _CHROMIUM.get("playwright") is not None:
        _CHROMIUM.pop("playwright").stop()


class Browser:
    """One Chromium with one page; every request of the page is kept in `requests`."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.requests: list[str] = []
        self.errors: list[str] = []

    def __enter__(self) -> "Browser":
        self.context = chromium().new_context(service_workers="block")
        self.context.add_init_script(OPEN_SHADOW_ROOTS)
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        return self

    def __exit__(self, *exc) -> None:
        self.context.close()

    def url(self, path: str = "") -> str:
        return self.base_url + path

    def open(self, path: str = ""):
        self.page.goto(self.url(path), wait_until="load")
        return self.page

    def foreign_requests(self) -> list[str]:
        """Requests that went anywhere but the local server (data: and blob: URLs stay in the page)."""
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).hostname != "127.0.0.1"]


# Reads what Mermaid drew into the (opened) shadow root of the first diagram on the page: counts,
# links, and the geometry in CSS pixels of the viewport: each lane's band (the union of its own
# rectangles: a swimlane's title and body), each node's box, and each label's rendered font size.
DIAGRAM = """() => {
  const host = document.querySelector("article div.mermaid");
  const root = host && host.shadowRoot;
  const svg = root && root.querySelector("svg");
  if (!svg) return null;
  const box = rects => {
    const r = rects.map(e => e.getBoundingClientRect());
    return {left: Math.min(...r.map(b => b.left)), right: Math.max(...r.map(b => b.right)),
            top: Math.min(...r.map(b => b.top)), bottom: Math.max(...r.map(b => b.bottom))};
  };
  const scale = svg.getScreenCTM().a;
  return {
    nodes: svg.querySelectorAll("g.node").length,
    lanes: svg.querySelectorAll("g.cluster").length,
    links: [...svg.querySelectorAll("a")].map(a => a.getAttribute("href") || a.getAttribute("xlink:href")),
    scripts: root.querySelectorAll("script, img, iframe, foreignObject [onerror]").length,
    error: /Syntax error|Parse error/i.test(root.textContent) || !!svg.querySelector(".error-icon"),
    text: svg.textContent,
    kind: svg.getAttribute("aria-roledescription"),
    title: (svg.querySelector(":scope > title") || {}).textContent,
    description: (svg.querySelector(":scope > desc") || {}).textContent,
    scale: scale,
    bands: [...svg.querySelectorAll("g.cluster")].map(g => ({
      id: g.id, swimlane: g.classList.contains("swimlane"),
      label: (g.querySelector(".cluster-label") || {}).textContent,
      title: box([g.querySelector(".cluster-label foreignObject > div, .cluster-label text") || g.querySelector(".cluster-label")]),
      head: g.querySelector(":scope > rect.swimlane-title") && g.querySelector(":scope > rect.swimlane-title").getBoundingClientRect().bottom,
      ...box([...g.querySelectorAll(":scope > rect")])})),
    placed: [...svg.querySelectorAll("g.node")].map(g => ({
      id: (g.id.match(/-flowchart-(.+)-\\d+$/) || [, g.id])[1], ...box([g])})),
    fonts: [...svg.querySelectorAll("span.nodeLabel, text")].filter(e => e.textContent.trim()).map(e => ({
      text: e.textContent, px: parseFloat(getComputedStyle(e).fontSize) * scale})),
  };
}"""


def diagram(session: Browser) -> dict:
    session.page.wait_for_function(f"({DIAGRAM})() !== null", timeout=20000)
    return session.page.evaluate(DIAGRAM)


MISSING_ROLE = "Roll saknas"
SLACK = 1.0  # px: what rounding and a 1 px border may add


def _one_line(text) -> str:
    return " ".join(str(text or "").split())


def expected_map(meta: dict, role_names: dict[str, str]) -> dict:
    """What the map of a process must show, read from the process file as PyYAML gives it (not
    with the handbook's reader): the lane of each step node (by position: hbStep1 is the first
    step), the lanes left to right (order of first appearance), the start event's lane (the first
    step's), and the lanes that hold an end event (those of the steps that end the process)."""
    steps = meta.get("steps") or []
    ids = [str(step.get("id")) for step in steps]
    lane = [_one_line(role_names.get(step.get("role"), MISSING_ROLE)) for step in steps]
    ending = set()
    for index, step in enumerate(steps):
        if "next" in step and step["next"] is not None:
            targets = step["next"]
            targets = list(targets.values()) if isinstance(targets, dict) else [targets] if isinstance(targets, str) else targets
            successors = [t for t in targets if str(t).strip() in ids]
        else:
            successors = ids[index + 1:index + 2]
        if not successors:
            ending.add(lane[index])
    return {"lanes": list(dict.fromkeys(lane)), "steps": {f"hbStep{i}": name for i, name in enumerate(lane, start=1)},
            "start": lane[0] if lane else None, "ends": ending or set(lane[:1])}  # a loop ends in the first lane


def swimlane_problems(drawn: dict, meta: dict, role_names: dict[str, str], min_font: float = 12.0) -> list[str]:
    """Everything wrong with a drawn map as swimlanes; [] when it is right. The lanes must be
    swimlane bands (not flowchart subgraphs) aligned end to end and side by side without overlap,
    in order, each title inside its lane's title band; every node must lie inside exactly one band: each step in its role's, the start
    event in the first step's, an end event in each lane of a step that ends the process; every
    label must be drawn at `min_font` px or more."""
    want = expected_map(meta, role_names)
    problems = []
    if drawn["error"]:
        problems.append("Mermaid reported an error")
    if drawn["kind"] != "swimlane":
        problems.append(f"the diagram is a {drawn['kind']!r}, not a swimlane diagram")
    bands = sorted(drawn["bands"], key=lambda b: b["left"])
    labels = [_one_line(b["label"]) for b in bands]
    if labels != want["lanes"]:
        problems.append(f"lanes left to right are {labels}, expected {want['lanes']}")
    problems += [f"lane {b['label']!r} is not a swimlane band" for b in bands if not b["swimlane"]]
    for a, b in zip(bands, bands[1:]):
        if a["right"] > b["left"] + SLACK:
            problems.append(f"lanes {a['label']!r} and {b['label']!r} overlap")
    for edge in ("top", "head", "bottom"):  # head: where the title band ends and the lane's body begins
        values = [b[edge] or 0 for b in bands]
        if values and max(values) - min(values) > SLACK:
            problems.append(f"the lanes' {edge} edges are not aligned: {[round(v) for v in values]}")
    for b in bands:
        t = b["title"]
        if t["left"] < b["left"] - SLACK or t["right"] > b["right"] + SLACK or t["top"] < b["top"] - SLACK \
                or t["bottom"] > (b["head"] or b["bottom"]) + SLACK:
            problems.append(f"the title of lane {b['label']!r} does not fit in its title band")

    def inside(node, band):
        return (band["left"] - SLACK <= node["left"] and node["right"] <= band["right"] + SLACK
                and band["top"] - SLACK <= node["top"] and node["bottom"] <= band["bottom"] + SLACK)

    lane_of = {}
    for node in drawn["placed"]:
        holders = [_one_line(b["label"]) for b in bands if inside(node, b)]
        if len(holders) != 1:
            problems.append(f"node {node['id']} lies inside {len(holders)} lanes, not one")
        lane_of[node["id"]] = holders[0] if len(holders) == 1 else None
    for node, lane in want["steps"].items():
        if lane_of.get(node) != lane:
            problems.append(f"{node} is in lane {lane_of.get(node)!r}, expected {lane!r}")
    if lane_of.get("hbStart") != want["start"]:
        problems.append(f"the start event is in lane {lane_of.get('hbStart')!r}, expected {want['start']!r}")
    ends = [lane for node, lane in lane_of.items() if node.startswith("hbEnd")]
    if sorted(ends) != sorted(want["ends"]):
        problems.append(f"end events are in lanes {ends}, expected one in each of {sorted(want['ends'])}")
    if len(drawn["placed"]) != len(want["steps"]) + 1 + len(want["ends"]):
        problems.append(f"{len(drawn['placed'])} nodes drawn, expected the steps, a start and {len(want['ends'])} end(s)")
    small = [f"{f['text']!r} at {f['px']:.1f} px" for f in drawn["fonts"] if f["px"] < min_font - 0.05]
    if small:
        problems.append(f"labels under {min_font} px: {small[:5]}")
    if not drawn["fonts"]:
        problems.append("no label text found")
    return problems
