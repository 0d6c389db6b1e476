/* Processhandboken: the process map at a readable size, on pages that have one (.hb-map).
 *
 * Material draws each diagram into a closed shadow root of a div.mermaid. This script keeps
 * the roots of those hosts (wrapping attachShadow, leaving them closed) to read the drawn SVG:
 * - on the page, the map is never drawn narrower than its labels allow at READABLE px; a wider
 *   map scrolls inside its frame, which is then keyboard-focusable (processes.css, @media screen);
 * - in print, the map is cut into slices of one landscape sheet each, at its sheet's width but
 *   with labels of PRINTED pt or more, each slice under the lanes' title band (made on beforeprint);
 * - "Visa kartan i helskärm" opens a copy of the map in a modal dialog with pan and zoom:
 *   buttons, arrow keys, + and -, 0, Esc, the mouse wheel, dragging and pinching.
 */
(function () {
  "use strict";
  if (window.hbMapView) return;
  window.hbMapView = true;
  var READABLE = 12;   // px: the smallest label size the page and the full-screen view start at
  var STEP = 60;       // px an arrow key pans (Shift: four times as far)
  var roots = new WeakMap();
  var attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    var root = attach.call(this, init);
    if (this.classList.contains("mermaid")) {
      roots.set(this, root);
      var host = this;
      queueMicrotask(function () { setup(host); });  // Material puts the SVG in and the host in place first
    }
    return root;
  };

  function smallestFont(svg) {
    var sizes = [].filter.call(svg.querySelectorAll("text, tspan, foreignObject *"), function (element) {
      return [].some.call(element.childNodes, function (node) { return node.nodeType === 3 && node.textContent.trim(); });
    }).map(function (element) { return parseFloat(getComputedStyle(element).fontSize); })
      .filter(function (size) { return size > 0; });
    return sizes.length ? Math.min.apply(null, sizes) : 16;
  }

  function setup(host) {
    var frame = host.closest(".hb-map");
    var svg = roots.get(host).querySelector("svg");
    if (!frame || !svg || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) return;
    var box = svg.viewBox.baseVal;
    var size = { width: box.width, height: box.height, font: smallestFont(svg) };
    // Scaled to its host, never past its own size (what Mermaid's useMaxWidth writes, whatever a diagram's config says).
    svg.setAttribute("width", "100%");
    svg.removeAttribute("height");
    svg.style.maxWidth = size.width + "px";
    host.hbMap = size;
    host.style.setProperty("--hb-map-width", size.width + "px");
    host.style.setProperty("--hb-map-readable", Math.ceil(size.width * READABLE / size.font) + "px");
    host.style.setProperty("--hb-map-ratio", String(size.width / size.height));
    new ResizeObserver(function () { scrolls(frame); }).observe(frame);
    var button = document.querySelector('[data-hb-map="' + frame.id + '"]');
    if (button) button.hidden = false;
  }

  // A frame the map overflows is a scroll container a keyboard can reach; one it fits is not a tab stop.
  function scrolls(frame) {
    var wide = frame.scrollWidth > frame.clientWidth + 1;
    frame.classList.toggle("hb-map--wide", wide);
    if (wide || frame.scrollHeight > frame.clientHeight + 1) frame.tabIndex = 0;
    else frame.removeAttribute("tabindex");
  }

  // -- the full-screen view ------------------------------------------------------------------

  var view = null;  // the dialog and its state, made on first use

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function makeView() {
    var dialog = element("dialog", { "class": "hb-mapview", "aria-labelledby": "hb-mapview-title" });
    var bar = element("div", { "class": "hb-mapview__bar" });
    var title = element("h2", { "class": "hb-mapview__title", id: "hb-mapview-title" });
    bar.appendChild(title);
    [["in", "+", "Zooma in"], ["out", "\u2212", "Zooma ut"], ["reset", "Återställ", "Återställ zoomen"],
     ["close", "Stäng", "Stäng helskärmsvyn"]].forEach(function (b) {
      bar.appendChild(element("button", { type: "button", "class": "hb-mapview__button", "data-action": b[0],
                                          "aria-label": b[2], title: b[2] }, b[1]));
    });
    var stage = element("div", { "class": "hb-mapview__stage", tabindex: "0", role: "group",
                                 "aria-label": "Kartan", "aria-describedby": "hb-mapview-hint" });
    var hint = element("p", { "class": "hb-mapview__hint", id: "hb-mapview-hint" },
      "Flytta: dra eller piltangenterna. Zooma: nyp, mushjulet eller + och −. 0 återställer, Esc stänger.");
    dialog.appendChild(bar);
    dialog.appendChild(stage);
    dialog.appendChild(hint);
    document.body.appendChild(dialog);
    view = { dialog: dialog, title: title, stage: stage, diagram: null, size: null, opener: null,
             x: 0, y: 0, scale: 1, pointers: new Map(), moved: false };

    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var action = button.getAttribute("data-action");
      if (action === "close") dialog.close();
      else if (action === "reset") reset();
      else zoomBy(action === "in" ? 1.25 : 0.8);
    });
    dialog.addEventListener("keydown", keys);
    dialog.addEventListener("close", closed);
    stage.addEventListener("wheel", function (event) {
      event.preventDefault();
      var at = point(event);
      zoomTo(view.scale * Math.exp(-event.deltaY * 0.002), at.x, at.y);
    }, { passive: false });
    stage.addEventListener("pointerdown", function (event) {
      view.pointers.set(event.pointerId, point(event));
      view.moved = false;
    });
    stage.addEventListener("pointermove", drag);
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (type) {
      stage.addEventListener(type, function (event) { view.pointers.delete(event.pointerId); });
    });
    stage.addEventListener("click", function (event) {  // the end of a drag is not a click on a step
      if (view.moved) { event.preventDefault(); event.stopPropagation(); }
    }, true);
    window.addEventListener("resize", function () { if (dialog.open) place(); });
    if (window.document$) window.document$.subscribe(function () { if (dialog.open) dialog.close(); });
  }

  function point(event) {
    var rect = view.stage.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  function drag(event) {
    var before = view.pointers.get(event.pointerId);
    if (!before) return;
    var now = point(event);
    var others = [];
    view.pointers.forEach(function (at, id) { if (id !== event.pointerId) others.push(at); });
    if (others.length === 0) {
      if (!view.moved && Math.abs(now.x - before.x) + Math.abs(now.y - before.y) <= 3) return;  // still a tap
      if (!view.moved) view.stage.setPointerCapture(event.pointerId);  // only now: a tap still clicks a step
      view.moved = true;
      view.x += now.x - before.x;
      view.y += now.y - before.y;
      place();
    } else {
      var other = others[0];
      var ratio = Math.hypot(now.x - other.x, now.y - other.y) / (Math.hypot(before.x - other.x, before.y - other.y) || 1);
      view.moved = true;
      zoomTo(view.scale * ratio, (now.x + other.x) / 2, (now.y + other.y) / 2);
    }
    view.pointers.set(event.pointerId, now);
  }

  function keys(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var step = event.shiftKey ? 4 * STEP : STEP;
    var moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[event.key]) {
      view.x += moves[event.key][0];
      view.y += moves[event.key][1];
      place();
    } else if (event.key === "+" || event.key === "=") zoomBy(1.25);
    else if (event.key === "-" || event.key === "_") zoomBy(0.8);
    else if (event.key === "0") reset();
    else if (event.key === "Tab") trap(event);
    else return;
    if (event.key !== "Tab") event.preventDefault();
  }

  // Tab and Shift+Tab go round the dialog's own controls (the modal dialog already makes the page inert).
  function trap(event) {
    var stops = [].slice.call(view.dialog.querySelectorAll("button, [tabindex='0']"));
    var first = stops[0], last = stops[stops.length - 1];
    var at = document.activeElement;
    if (event.shiftKey && at === first) { last.focus(); event.preventDefault(); }
    else if (!event.shiftKey && (at === last || view.diagram.contains(at) || at === view.diagram)) {
      first.focus();
      event.preventDefault();
    }
  }

  function limits() {
    var width = view.stage.clientWidth, height = view.stage.clientHeight, size = view.size;
    var fit = Math.min(width / size.width, height / size.height);
    var readable = READABLE / size.font;
    return { fit: fit, readable: readable, min: Math.min(fit, readable), max: Math.max(4, readable * 3),
             start: Math.max(Math.min(fit, 1.5), readable) };
  }

  function zoomBy(factor) {
    zoomTo(view.scale * factor, view.stage.clientWidth / 2, view.stage.clientHeight / 2);
  }

  function zoomTo(scale, x, y) {
    var limit = limits();
    scale = Math.min(limit.max, Math.max(limit.min, scale));
    view.x = x - (x - view.x) * scale / view.scale;
    view.y = y - (y - view.y) * scale / view.scale;
    view.scale = scale;
    place();
  }

  function reset() {
    view.scale = limits().start;
    view.x = 0;
    view.y = 0;
    place();
  }

  // A map smaller than the stage is centred; a larger one can be moved until its edge, not past it.
  function place() {
    var width = view.size.width * view.scale, height = view.size.height * view.scale;
    var stageWidth = view.stage.clientWidth, stageHeight = view.stage.clientHeight;
    view.x = width <= stageWidth ? (stageWidth - width) / 2 : Math.min(0, Math.max(stageWidth - width, view.x));
    view.y = height <= stageHeight ? (stageHeight - height) / 2 : Math.min(0, Math.max(stageHeight - height, view.y));
    view.diagram.style.transform = "translate(" + view.x + "px, " + view.y + "px) scale(" + view.scale + ")";
    view.diagram.setAttribute("data-scale", String(view.scale));
  }

  function open(button) {
    var frame = document.getElementById(button.getAttribute("data-hb-map"));
    var host = frame && frame.querySelector("div.mermaid");
    if (!host || !roots.has(host) || !host.hbMap) return;
    if (!view) makeView();
    view.opener = button;
    view.size = host.hbMap;
    view.title.textContent = frame.getAttribute("aria-label");
    view.stage.setAttribute("aria-label", frame.getAttribute("aria-label"));
    view.diagram = element("div", { "class": "hb-mapview__diagram" });
    view.diagram.style.width = view.size.width + "px";
    view.diagram.attachShadow({ mode: "closed" }).innerHTML = roots.get(host).innerHTML;
    view.stage.appendChild(view.diagram);
    document.documentElement.classList.add("hb-mapview-open");
    view.dialog.showModal();
    reset();
    view.stage.focus();
  }

  function closed() {
    if (view.diagram) view.diagram.remove();
    view.diagram = null;
    view.pointers.clear();
    document.documentElement.classList.remove("hb-mapview-open");
    if (view.opener && view.opener.isConnected) view.opener.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".hb-map-open");
    if (button) open(button);
  });

  // -- print: the map in slices of one sheet each ---------------------------------------------

  var SHEET = { width: 276, height: 185 };  // mm of an A4 landscape sheet inside print.css's margins (277 x 194) under a caption
  var PRINTED = 8;                // pt: the smallest label on paper, unless a single lane is wider than the sheet
  var MM_PER_PT = 25.4 / 72;
  var MM_PER_PX = 25.4 / 96;      // never printed larger than drawn on screen
  var SVG = "http://www.w3.org/2000/svg";

  // Chromium fires beforeprint for window.print() and for printToPDF (Playwright's page.pdf()) alike.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".hb-map div.mermaid").forEach(function (host) {
      if (roots.has(host) && host.hbMap && !host.hbPrint) printCopies(host);
    });
  });

  // The bounds of an element of the diagram in the SVG's own units.
  function bounds(svg, element) {
    var box = element.getBBox(), matrix = svg.getScreenCTM().inverse().multiply(element.getScreenCTM());
    var xs = [], ys = [];
    [[box.x, box.y], [box.x + box.width, box.y], [box.x, box.y + box.height], [box.x + box.width, box.y + box.height]]
      .forEach(function (corner) {
        var at = new DOMPoint(corner[0], corner[1]).matrixTransform(matrix);
        xs.push(at.x);
        ys.push(at.y);
      });
    return { left: Math.min.apply(null, xs), right: Math.max.apply(null, xs),
             top: Math.min.apply(null, ys), bottom: Math.max.apply(null, ys), empty: !box.width || !box.height };
  }

  // Lanes side by side in as few column groups as the sheet's width holds at PRINTED pt, as even as can be.
  function columns(lanes, widest) {
    function split(limit) {
      var groups = [];
      lanes.forEach(function (lane) {
        var group = groups[groups.length - 1];
        if (group && lane.right - group.left <= limit) group.right = lane.right;
        else groups.push({ left: lane.left, right: lane.right });
      });
      return groups;
    }
    var fewest = split(widest).length, spans = [];
    lanes.forEach(function (first, i) { lanes.slice(i).forEach(function (last) { spans.push(last.right - first.left); }); });
    spans.sort(function (a, b) { return a - b; });
    for (var i = 0; i < spans.length; i++) if (split(spans[i]).length <= fewest) return split(spans[i]);
    return split(widest);
  }

  // Where a slice may end: in the gaps between rows of nodes (and edge labels), never through one.
  function gaps(items) {
    var cuts = [], end = null;
    items.sort(function (a, b) { return a.top - b.top; }).forEach(function (item) {
      if (end !== null && item.top > end) cuts.push((end + item.top) / 2);
      end = end === null ? item.bottom : Math.max(end, item.bottom);
    });
    return cuts;
  }

  function rows(cuts, top, end, full) {
    var slices = [], y = top;
    while (end - y > full) {
      var fitting = cuts.filter(function (cut) { return cut > y + full / 4 && cut <= y + full; });
      var cut = fitting.length ? fitting[fitting.length - 1] : y + full;
      slices.push([y, cut]);
      y = cut;
    }
    slices.push([y, end]);
    return slices;
  }

  function plan(svg, font) {
    var box = svg.viewBox.baseVal;
    var lanes = [].map.call(svg.querySelectorAll("g.cluster.swimlane"), function (lane) {
      var body = bounds(svg, lane.querySelector(".swimlane-body") || lane);
      var title = lane.querySelector(".swimlane-title");
      return { left: body.left, right: body.right, band: title ? bounds(svg, title).bottom : box.y };
    }).sort(function (a, b) { return a.left - b.left; });
    if (!lanes.length) lanes = [{ left: box.x, right: box.x + box.width, band: box.y }];
    lanes[0].left = Math.min(lanes[0].left, box.x);
    lanes[lanes.length - 1].right = Math.max(lanes[lanes.length - 1].right, box.x + box.width);
    var readable = PRINTED * MM_PER_PT / font;  // mm per unit at which the smallest label is PRINTED pt
    var groups = columns(lanes, SHEET.width / readable);
    var widest = Math.max.apply(null, groups.map(function (group) { return group.right - group.left; }));
    var scale = Math.min(MM_PER_PX, SHEET.width / widest);
    var titles = Math.max.apply(null, lanes.map(function (lane) { return lane.band; }));  // the title band's bottom
    var band = { top: box.y, height: titles + 0.5 - box.y };
    var items = [].map.call(svg.querySelectorAll("g.node, g.edgeLabel"), function (item) { return bounds(svg, item); })
      .filter(function (item) { return !item.empty; })
      .map(function (item) { return { left: item.left, right: item.right, top: item.top - 2, bottom: item.bottom + 2 }; });
    var cuts = gaps(items.slice()), best = null;
    [1, 0.95, 0.9, 0.85].forEach(function (factor) {  // a little smaller, if that saves a sheet
      if (factor < 1 && scale * factor < readable) return;
      var pieces = rows(cuts, titles - 0.5, box.y + box.height, SHEET.height / (scale * factor) - band.height);
      if (!best || pieces.length < best.pieces.length) best = { scale: scale * factor, pieces: pieces };
    });
    // Row by row, each row's column groups left to right; a sheet with no step on it (only lanes and lines) is left out.
    var pages = [];
    best.pieces.forEach(function (piece) {
      groups.forEach(function (group) {
        if (!items.length || items.some(function (item) {
          return item.bottom > piece[0] && item.top < piece[1] && item.right > group.left && item.left < group.right;
        })) pages.push({ columns: group, rows: piece });
      });
    });
    return { scale: best.scale, band: band, pages: pages };
  }

  function nested(svg, x, y, width, height, lanesOnly) {
    var view = document.createElementNS(SVG, "svg");
    view.setAttribute("width", String(width));
    view.setAttribute("height", String(height));
    view.setAttribute("viewBox", [x, y, width, height].join(" "));
    [].forEach.call(svg.children, function (child) {
      if (!/^(style|title|desc)$/i.test(child.tagName)) view.appendChild(child.cloneNode(true));
    });
    if (lanesOnly) view.querySelectorAll(".edges, .edgePaths, .edgeLabels, .nodes").forEach(function (part) { part.remove(); });
    return view;
  }

  // One slice: its columns of lanes under their title band, over the rows [top, bottom].
  function drawing(svg, layout, page) {
    var width = page.columns.right - page.columns.left, height = page.rows[1] - page.rows[0];
    var copy = svg.cloneNode(false);  // its id, which the diagram's style rules name
    ["style", "aria-labelledby", "aria-describedby", "aria-roledescription", "role"].forEach(function (name) {
      copy.removeAttribute(name);
    });
    copy.setAttribute("width", "100%");
    copy.setAttribute("height", "100%");
    copy.setAttribute("viewBox", [0, 0, width, layout.band.height + height].join(" "));
    var style = svg.querySelector("style");
    if (style) copy.appendChild(style.cloneNode(true));
    var title = nested(svg, page.columns.left, layout.band.top, width, layout.band.height, true);
    var slice = nested(svg, page.columns.left, page.rows[0], width, height);
    slice.setAttribute("y", String(layout.band.height));
    copy.appendChild(title);
    copy.appendChild(slice);
    return copy;
  }

  // Print-only copies of the drawn map after it: a sheet per slice, each under the map's caption.
  function printCopies(host) {
    host.hbPrint = true;
    var svg = roots.get(host).querySelector("svg");
    var frame = host.closest(".hb-map"), sheet = host.closest(".hb-map-sheet");
    var caption = sheet && sheet.querySelector(".hb-map-caption");
    if (!svg || !frame || !caption) return;
    var layout = plan(svg, host.hbMap.font);
    var copies = element("div", { "class": "hb-map-print", hidden: "", "aria-hidden": "true" });
    layout.pages.forEach(function (page, index) {
      var part = element("div", { "class": "hb-map-print__sheet" });
      part.appendChild(element("p", { "class": "hb-map-print__caption" },
        caption.textContent + " (sida " + (index + 1) + " av " + layout.pages.length + ")"));
      var map = element("div", { "class": "hb-map-print__map" });
      map.style.width = (page.columns.right - page.columns.left) * layout.scale + "mm";
      map.style.height = (layout.band.height + page.rows[1] - page.rows[0]) * layout.scale + "mm";
      map.attachShadow({ mode: "closed" }).appendChild(drawing(svg, layout, page));
      part.appendChild(map);
      copies.appendChild(part);
    });
    frame.after(copies);
    sheet.classList.add("hb-map-sheet--sliced");
  }
})();
