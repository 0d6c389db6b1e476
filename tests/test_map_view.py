"""A process map is readable at every width and on paper (issue 15, items 2 and 3).

One handbook, built once: the benchmark's process of 25 steps in 6 lanes (benchmarks/map_draw.py)
and a small one whose description has a very long word. In Debian's Chromium:

- at 1280 px a map whose labels would shrink below 12 px scrolls inside its own frame, which is
  keyboard-focusable and named; nothing else on the page scrolls sideways;
- at 390 px "Visa kartan i helskärm" opens the map in a modal dialog at 12 px or more, with
  zoom and pan by buttons, keys, mouse and touch, focus kept in the dialog and given back on Esc;
  the step table is a list whose every cell lies inside the screen;
- printed (page.pdf, A4 landscape), a process page's map is cut into slices of one sheet each, made
  only when printing: at the sheet's width, every label 8 pt or more, no node cut through, each slice
  under the lanes' title band and the caption "Processkarta: namn, version x (sida i av n)", inside
  the sheet's margins; also for the reference process rekrytering (pdfinfo, pdftotext and pdftoppm
  from Debian's poppler-utils, scripts/install-poppler).
"""

from __future__ import annotations

import html
import importlib.util
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from browser import Browser, served_site
from conftest import REPO, build, write_handbook

_spec = importlib.util.spec_from_file_location("map_draw", REPO / "benchmarks" / "map_draw.py")
map_draw = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(map_draw)

LARGE, SMALL = map_draw.large_process(), map_draw.small_process()
LARGE_URL, SMALL_URL = f"processer/{LARGE['id']}/", f"processer/{SMALL['id']}/"
REFERENCE = REPO / "processes" / "stod" / "rekrytering.yml"  # the reference handbook's process, 10 steps in 3 lanes
REKRYTERING = yaml.safe_load(REFERENCE.read_text("utf-8"))
ROLES = {**yaml.safe_load((REPO / "processes" / "roles.yml").read_text("utf-8")), **map_draw.ROLES}
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# Every label of the diagram drawn in `host` (an opened shadow root) with its size on the screen in px.
LABELS = """host => {
  const svg = host.shadowRoot.querySelector("svg");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll("span.nodeLabel, text")].filter(e => e.textContent.trim())
    .map(e => ({text: e.textContent.trim(), px: parseFloat(getComputedStyle(e).fontSize) * scale}));
}"""
# What scrolls sideways: the document, and every shown element whose content is wider than it and may scroll.
SIDEWAYS = """() => {
  const found = [...document.querySelectorAll("body *")].filter(e => {
    if (!e.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    const overflow = getComputedStyle(e).overflowX;
    return (overflow === "auto" || overflow === "scroll") && e.scrollWidth > e.clientWidth + 1;
  }).map(e => e.id || e.className);
  return document.documentElement.scrollWidth > window.innerWidth ? ["document", ...found] : found;
}"""
RECT = "e => { const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width}; }"


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    folder = tmp_path_factory.mktemp("map-view")
    files = {**map_draw.handbook_files(), "processes/rekrytering.yml": REFERENCE.read_text("utf-8"),
             "processes/klassa.yml": (REPO / "processes" / "klassa.yml").read_text("utf-8"),
             "processes/roles.yml": yaml.safe_dump(ROLES, allow_unicode=True, sort_keys=False)}
    root = write_handbook(folder / "h", files, roles=None)
    (folder / "site").mkdir()
    with served_site(folder / "site") as base_url:  # the real address, so Material's instant navigation works
        built = build(root, site=folder / "site", HANDBOOK_SITE_URL=base_url)
        assert built.returncode == 0, built.output
        with Browser(base_url) as browser:
            yield browser
    assert browser.foreign_requests() == []


def open_map(session: Browser, path: str, width: int):
    session.page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    page = session.open(path)
    page.wait_for_selector("button.hb-map-open:not([hidden])", timeout=20000)  # map-view.js has the drawn map
    return page


def smallest_label(page, host_selector: str) -> float:
    labels = page.eval_on_selector(host_selector, LABELS)
    assert len(labels) > 2 * len(LARGE["steps"]) // 3 or "Utredning" in page.title()
    return min(label["px"] for label in labels)


# -- 1280 px ------------------------------------------------------------------------------------

def test_at_1280_a_wide_map_scrolls_in_its_own_focusable_frame_and_nothing_else_scrolls(session):
    page = open_map(session, LARGE_URL, 1280)
    assert smallest_label(page, ".hb-map div.mermaid") >= 12
    assert page.evaluate(SIDEWAYS) == ["hb-map"]
    frame = page.locator("#hb-map")
    assert frame.evaluate(RECT)["right"] <= 1280
    assert frame.get_attribute("tabindex") == "0"
    assert frame.get_attribute("aria-label") == "Processkarta för Ärendehandläggning"
    assert frame.evaluate("e => e.scrollHeight > e.clientHeight")  # both scroll bars in the window
    assert frame.evaluate(RECT)["bottom"] - frame.evaluate(RECT)["top"] <= 900
    frame.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("PageDown")
    # Keyboard scrolling is animated: wait for it (a frame that does not scroll times out here).
    page.wait_for_function("() => { const e = document.getElementById('hb-map'); return e.scrollLeft > 0 && e.scrollTop > 0; }",
                           timeout=5000)


def test_at_1280_a_map_that_fits_is_no_scroll_frame_and_no_tab_stop(session):
    page = open_map(session, SMALL_URL, 1280)
    assert smallest_label(page, ".hb-map div.mermaid") >= 12
    assert page.evaluate(SIDEWAYS) == []
    assert page.locator("#hb-map").get_attribute("tabindex") is None


# -- 390 px -------------------------------------------------------------------------------------

def view_state(page) -> dict:
    return page.evaluate("""() => {
      const diagram = document.querySelector(".hb-mapview__diagram");
      const r = diagram.shadowRoot.querySelector("svg").getBoundingClientRect();
      const stage = diagram.parentElement.getBoundingClientRect();
      return {left: r.left - stage.left, top: r.top - stage.top, width: r.width, scale: parseFloat(diagram.dataset.scale),
              inside: !!document.activeElement.closest("dialog.hb-mapview")};
    }""")


def test_on_a_phone_the_full_screen_view_reads_pans_zooms_and_closes_with_keys(session):
    page = open_map(session, LARGE_URL, 390)
    assert page.evaluate(SIDEWAYS) == []
    button = page.get_by_role("button", name="Visa kartan i helskärm")
    button.click()
    dialog = page.get_by_role("dialog", name="Processkarta för Ärendehandläggning")
    assert dialog.is_visible()
    box = dialog.bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 844)
    assert smallest_label(page, ".hb-mapview__diagram") >= 12
    start = view_state(page)
    assert start["inside"] and start["left"] == 0 and start["top"] == 0  # the start event's corner

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    moved = view_state(page)
    assert (moved["left"], moved["top"]) == (start["left"] - 60, start["top"] - 60)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Shift+ArrowLeft")  # no further than the map's edge
    assert view_state(page)["left"] == 0

    page.keyboard.press("+")
    assert view_state(page)["scale"] == pytest.approx(start["scale"] * 1.25)
    assert smallest_label(page, ".hb-mapview__diagram") >= 15
    page.get_by_role("button", name="Zooma in").click()
    assert view_state(page)["scale"] == pytest.approx(start["scale"] * 1.25 ** 2)
    page.get_by_role("button", name="Zooma ut").click()
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert view_state(page)["scale"] < start["scale"]  # smaller than readable, to see the whole
    page.get_by_role("button", name="Återställ zoomen").click()
    assert view_state(page)["scale"] == pytest.approx(start["scale"])

    for _ in range(12):  # focus goes round the dialog's controls and never to the page behind it
        page.keyboard.press("Tab")
        assert view_state(page)["inside"]
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        assert view_state(page)["inside"]

    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.matches('button.hb-map-open')")
    assert page.evaluate(SIDEWAYS) == []


def test_the_full_screen_view_pans_by_dragging_and_zooms_by_pinching(session):
    page = open_map(session, LARGE_URL, 390)
    page.get_by_role("button", name="Visa kartan i helskärm").click()
    start = view_state(page)
    page.mouse.move(200, 400)
    page.mouse.down()
    page.mouse.move(150, 300, steps=5)
    page.mouse.up()
    dragged = view_state(page)
    assert (dragged["left"], dragged["top"]) == (start["left"] - 50, start["top"] - 100)

    cdp = page.context.new_cdp_session(page)
    def touch(kind, points):
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
            {"x": x, "y": y, "id": n} for n, (x, y) in enumerate(points)]})
    touch("touchStart", [(150, 400), (250, 400)])
    for spread in (60, 80, 100):
        touch("touchMove", [(200 - spread, 400), (200 + spread, 400)])
    touch("touchEnd", [])
    assert view_state(page)["scale"] == pytest.approx(start["scale"] * 2, rel=0.05)
    page.get_by_role("button", name="Stäng helskärmsvyn").click()
    assert not page.locator("dialog.hb-mapview").is_visible()


def test_the_open_full_screen_view_has_no_serious_accessibility_violation(session):
    page = open_map(session, LARGE_URL, 390)
    page.get_by_role("button", name="Visa kartan i helskärm").click()
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document.querySelector('dialog.hb-mapview'),"
                               " {resultTypes: ['violations']})).violations")
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    page.keyboard.press("Escape")


@pytest.mark.parametrize("path", [LARGE_URL, SMALL_URL])
def test_on_a_phone_the_step_table_is_a_list_with_nothing_cut_off(session, path):
    page = open_map(session, path, 390)
    cells = page.eval_on_selector_all(".hb-steps td", """cells => cells.filter(td => td.checkVisibility()).map(td => {
        const r = td.getBoundingClientRect();
        return {left: r.left, right: r.right, scroll: td.scrollWidth, width: td.clientWidth, display: getComputedStyle(td).display};
    })""")
    assert len(cells) >= 3 * len(SMALL["steps"])
    assert all(cell["display"] == "block" for cell in cells)
    assert all(cell["left"] >= 0 and cell["right"] <= 390 for cell in cells)
    assert all(cell["scroll"] <= cell["width"] for cell in cells)
    assert page.evaluate(SIDEWAYS) == []
    labels = page.eval_on_selector_all(".hb-steps td", "cells => cells.map(td => getComputedStyle(td, '::before').content)")
    assert {'"Roll"', '"Beskrivning"', '"Nästa"'} <= set(labels)


# -- after instant navigation, and with the shadow roots closed as Material makes them ------------

def test_after_instant_navigation_the_new_map_gets_its_frame_and_button(session):
    session.page.set_viewport_size({"width": 1280, "height": 900})
    page = session.open("processer/")
    page.evaluate("window.hbSamePage = true")
    page.click(f"article a[href$='{LARGE['id']}/']")
    page.wait_for_selector("button.hb-map-open:not([hidden])", timeout=20000)
    assert page.evaluate("window.hbSamePage") is True  # Material swapped the content, the page stayed
    assert page.url.endswith(LARGE_URL)
    assert page.locator("#hb-map").get_attribute("tabindex") == "0"
    page.get_by_role("button", name="Visa kartan i helskärm").click()
    assert smallest_label(page, ".hb-mapview__diagram") >= 12
    page.keyboard.press("Escape")


def test_the_page_script_works_with_closed_shadow_roots(session):
    """The other tests open every shadow root; Material's are closed, and map-view.js must not need them open."""
    context = session.context.browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(session.url(LARGE_URL), wait_until="load")
        page.wait_for_selector("button.hb-map-open:not([hidden])", timeout=20000)
        assert page.evaluate("document.querySelector('.hb-map div.mermaid').shadowRoot") is None
        assert page.locator("#hb-map").get_attribute("tabindex") == "0"
        assert page.evaluate(SIDEWAYS) == ["hb-map"]
        page.get_by_role("button", name="Visa kartan i helskärm").click()
        drawn = page.eval_on_selector(".hb-mapview__diagram", RECT)
        assert drawn["width"] > 1000  # the copy of the map, at the readable scale
        page.keyboard.press("Escape")
        assert not page.locator("dialog.hb-mapview").is_visible()
        page.pdf(format="A4", landscape=True)  # the print slices too are made from the closed root
        assert page.locator(".hb-map-print__sheet").count() > 3
    finally:
        context.close()


# -- print --------------------------------------------------------------------------------------

LANDSCAPE = (841.92, 594.96)  # A4 in pt, as Chromium writes it
MARGINS = (0.8 / 2.54 * 72, 1.0 / 2.54 * 72)  # @page hb-process margin: 0.8cm 1cm
SHEET_MAP = 194 / 25.4 * 96  # px: the height inside the margins, for the caption and the slice
# Each print-only slice (map-view.js, made on beforeprint), measured under print media: its size on
# paper, the smallest label in pt, its title band and slice (viewBoxes of the two nested SVGs), and
# every node of the drawn map with the slices that hold it whole.
SLICES = """() => {
  const host = document.querySelector(".hb-map div.mermaid");
  const drawn = host.shadowRoot.querySelector("svg");
  const box = e => {
    const b = e.getBBox(), m = drawn.getScreenCTM().inverse().multiply(e.getScreenCTM());
    const a = new DOMPoint(b.x, b.y).matrixTransform(m), z = new DOMPoint(b.x + b.width, b.y + b.height).matrixTransform(m);
    return {left: a.x, top: a.y, right: z.x, bottom: z.y};
  };
  const slices = [...document.querySelectorAll(".hb-map-print__sheet")].map(sheet => {
    const map = sheet.querySelector(".hb-map-print__map");
    const svg = map.shadowRoot.querySelector("svg");
    const [band, slice] = [...svg.children].filter(e => e.tagName === "svg").map(e => {
      const v = e.viewBox.baseVal;
      return {x: v.x, y: v.y, width: v.width, height: v.height, lanes: [...e.querySelectorAll(".swimlane-label")].length,
              nodes: e.querySelectorAll(".node").length};
    });
    const rect = map.getBoundingClientRect(), scale = rect.width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll("span.nodeLabel, text")].filter(e => e.textContent.trim())
      .map(e => parseFloat(getComputedStyle(e).fontSize) * scale * 0.75);
    return {caption: sheet.querySelector(".hb-map-print__caption").textContent, width: rect.width,
            height: sheet.getBoundingClientRect().height, labels: sizes.length, smallest: Math.min(...sizes), band, slice};
  });
  const nodes = [...drawn.querySelectorAll("g.node")].map(node => {
    const b = box(node);
    return slices.filter(s => s.slice.x <= b.left && b.right <= s.slice.x + s.slice.width
                              && s.slice.y <= b.top && b.bottom <= s.slice.y + s.slice.height).length;
  });
  return {slices, nodes, hidden: !document.querySelector(".hb-map").checkVisibility()};
}"""
PROCESSES = {"large": (LARGE, LARGE_URL), "small": (SMALL, SMALL_URL), "rekrytering": (REKRYTERING, "processer/rekrytering/")}


def pdf_pages(pdf: Path) -> list[dict]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    pages = []
    for number, size in enumerate(sizes, start=1):
        bbox = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-bbox", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        words = [(float(x0), float(y0), float(x1), float(y1), html.unescape(word)) for x0, y0, x1, y1, word in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', bbox)]
        pages.append({"number": number, "size": size, "words": words, "text": " ".join(w[4] for w in words)})
    return pages


def blank_margins(pdf: Path, page: int, size: tuple[float, float], out: Path) -> bool:
    """Nothing is drawn in the outer 6 mm of the sheet (inside the 8 and 10 mm margins)."""
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "36", "-gray", "-singlefile",
                    str(pdf), str(out)], check=True)
    data = out.with_suffix(".pgm").read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    width, height = int(header.group(1)), int(header.group(2))
    pixels = data[header.end():]
    edge = round(6 / 25.4 * 36)
    rows = [pixels[y * width:(y + 1) * width] for y in range(height)]
    band = [row for y, row in enumerate(rows) if y < edge or y >= height - edge]
    band += [row[:edge] + row[width - edge:] for y, row in enumerate(rows) if edge <= y < height - edge]
    return min(min(row) for row in band) > 240


@pytest.fixture(scope="module")
def printed(session, tmp_path_factory):
    """Each process page printed as a reader's browser would (page.pdf fires beforeprint), and its slices."""
    folder = tmp_path_factory.mktemp("pdf")
    results = {}
    for key, (meta, path) in PROCESSES.items():
        page = open_map(session, path, 1280)
        made_before = page.locator(".hb-map-print").count()
        pdf = folder / f"{meta['id']}.pdf"
        pdf.write_bytes(page.pdf(format="A4", landscape=True, print_background=True))
        on_screen = page.evaluate(SIDEWAYS), page.locator(".hb-map-print").is_visible(), page.locator("#hb-map").is_visible()
        page.emulate_media(media="print")
        measured = page.evaluate(SLICES)
        page.emulate_media(media="null")  # as before: page.pdf prints with print media again
        results[key] = {"pdf": pdf, "pages": pdf_pages(pdf), "made_before": made_before, "on_screen": on_screen, **measured}
    return results


def lane_names(meta: dict) -> set[str]:
    return {ROLES[step["role"]]["name"] for step in meta["steps"]}


@pytest.mark.parametrize("key", PROCESSES)
def test_print_slices_the_map_at_readable_size_under_its_caption_and_lane_band(printed, key, tmp_path):
    meta, result = PROCESSES[key][0], printed[key]
    slices = result["slices"]
    # Made only for printing, kept off the screen, printed in place of the map.
    assert result["made_before"] == 0
    assert result["on_screen"] == ([] if key == "small" else ["hb-map"], False, True)
    assert result["hidden"]
    # Every label 8 pt or more on paper, and no node cut: each lies whole in a slice.
    assert slices and all(s["labels"] > 0 and s["smallest"] >= 8 for s in slices), [s["smallest"] for s in slices]
    assert result["nodes"] and all(count >= 1 for count in result["nodes"])
    # Each slice fits its sheet (with its caption) and shows the lanes' title band above its rows.
    assert all(s["width"] <= 277 / 25.4 * 96 and s["height"] <= SHEET_MAP for s in slices)
    assert all(s["band"]["lanes"] >= 1 and s["band"]["nodes"] == 0 and s["slice"]["nodes"] > 0 for s in slices)
    assert all(s["band"]["x"] == s["slice"]["x"] and s["band"]["width"] == s["slice"]["width"] for s in slices)
    rows = sorted({(s["slice"]["y"], s["slice"]["y"] + s["slice"]["height"]) for s in slices})
    assert all(end <= next_top + 1 for (_, end), (next_top, _) in zip(rows, rows[1:]))  # nothing between rows left out
    # A tall map takes more than one sheet (rekrytering: two), a small one one sheet.
    expected = {"small": 1, "rekrytering": 2}
    assert len(slices) == expected[key] if key in expected else len(slices) > 3

    pages = result["pages"]
    assert all(p["size"] == pytest.approx(LANDSCAPE, abs=1) for p in pages)
    caption = f"Processkarta: {meta['name']}, version {meta['version']}"
    n = len(slices)
    sheets = [p for p in pages if caption in p["text"]]
    assert [s["caption"] for s in slices] == [f"{caption} (sida {i} av {n})" for i in range(1, n + 1)]
    assert [re.search(r"\(sida (\d+) av (\d+)\)", p["text"]).groups() for p in sheets] == \
        [(str(i), str(n)) for i in range(1, n + 1)]
    assert [p["number"] for p in sheets] == list(range(sheets[0]["number"], sheets[0]["number"] + n))  # one after another
    lanes = lane_names(meta)
    lane_words = {word for name in lanes for word in name.split()}
    step_words = {word for step in meta["steps"] for word in step["name"].split()}
    seen_lanes, seen_steps = set(), set()
    top, side = MARGINS
    for sheet in sheets:
        width, height = sheet["size"]
        words = sheet["words"]
        assert all(side - 1 <= x0 and x1 <= width - side + 1 and top - 1 <= y0 and y1 <= height - top + 1
                   for x0, y0, x1, y1, _ in words)
        assert blank_margins(result["pdf"], sheet["number"], sheet["size"], tmp_path / f"sheet{sheet['number']}")
        assert "Beskrivning" not in sheet["text"] and "Processägare" not in sheet["text"]  # the card and the steps are not on it
        # The caption (12 pt) gives the font's height per pt; every word of the map is 8 pt or more.
        heading = [w for w in words if w[4] == "Processkarta:"][0]
        per_pt = (heading[3] - heading[1]) / 12
        drawn = [w for w in words if w[1] > heading[3]]
        assert drawn and min(w[3] - w[1] for w in drawn) / per_pt >= 7.95
        # The title band right under the caption: the names of this sheet's lanes.
        band = [w for w in drawn if w[1] < heading[3] + 20]
        assert band and {w[4] for w in band} <= lane_words
        seen_lanes |= {name for name in lanes if set(name.split()) <= {w[4] for w in band}}
        seen_steps |= {w[4] for w in drawn}
    assert seen_lanes == lanes  # every lane's title is on a sheet
    assert step_words <= seen_steps  # every step's name is printed
    if key == "rekrytering":  # one column of sheets: every sheet has every lane's title
        assert all(s["band"]["lanes"] == len(lanes) for s in slices)


def test_print_of_a_wide_map_keeps_its_lanes_readable_on_sheets_side_by_side(printed):
    """The 6-lane map is wider than a sheet at 8 pt: its lanes are split into column groups, row by row."""
    slices = printed["large"]["slices"]
    groups = sorted({(s["slice"]["x"], s["slice"]["width"]) for s in slices})
    assert len(groups) == 2
    assert groups[0][0] + groups[0][1] <= groups[1][0] + 1  # side by side, not overlapping
    assert sum(s["band"]["lanes"] for s in slices[:2]) >= len(lane_names(LARGE))
    assert [s["slice"]["y"] for s in slices] == sorted(s["slice"]["y"] for s in slices)  # row by row, top down


def test_print_steps_table_fits_the_sheet(printed, tmp_path):
    result = printed["large"]
    pdf, pages = result["pdf"], result["pages"]
    steps = [p for p in pages if "Beskrivning" in p["text"] and "Nästa" in p["text"]]
    assert steps
    for page in steps:
        width, _ = page["size"]
        assert all(x1 <= width - MARGINS[1] + 1 for _, _, x1, _, _ in page["words"])
        assert blank_margins(pdf, page["number"], page["size"], tmp_path / f"steps{page['number']}")
    last_step = LARGE["steps"][-1]["name"].split()[0]
    assert any(last_step in p["text"] for p in steps)
