// The image editor: boxes, polygons and keypoints drawn over an image, in the image's own pixels.
//
// The image and an SVG whose viewBox is the image's size sit in one "content" element that is moved and scaled with a
// CSS transform, so the browser scales the picture itself (an 8000×6000 photo stays smooth: nothing is redrawn per
// frame but a transform) and every coordinate read from the SVG is already in original-image pixels, whatever the
// zoom or the screen. Strokes and handles keep their on-screen size (non-scaling strokes, handles resized on zoom).
//
// Layers: one per schema field in the workspace (editable, its shapes of one kind), one per annotator in the review
// comparison (read-only, in the annotator's colour). .NET hears finished edits only: the whole shape list of a layer
// after a mouse-up, a key or an undo, never pointer moves.
//
// Shapes are kept in CONTRACT.md's form: box {x, y, width, height, label}, polygon {points: [[x, y], …], label},
// keypoint {x, y, label}; other properties (a prediction's score, say) are carried along unchanged.

import { isTyping } from "./typing.js";

const SVG = "http://www.w3.org/2000/svg";
const MIN_ZOOM_FACTOR = 0.5; // of the fitted zoom
const MAX_ZOOM = 32; // screen pixels per image pixel
const ZOOM_STEP = 1.25;
const HANDLE_PX = 5;
const CLICK_SLOP_PX = 3;
const UNDO_LIMIT = 200;

const round = (v) => Math.round(v * 10) / 10;
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

function el(name, attrs) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    node.setAttribute(k, String(v));
  }
  return node;
}

function bounds(kind, s) {
  if (kind === "box") {
    return { x0: s.x, y0: s.y, x1: s.x + s.width, y1: s.y + s.height };
  }
  if (kind === "polygon") {
    const xs = s.points.map((p) => p[0]);
    const ys = s.points.map((p) => p[1]);
    return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
  }
  return { x0: s.x, y0: s.y, x1: s.x, y1: s.y };
}

function translated(kind, s, dx, dy) {
  if (kind === "box" || kind === "point") {
    return { ...s, x: round(s.x + dx), y: round(s.y + dy) };
  }
  return { ...s, points: s.points.map((p) => [round(p[0] + dx), round(p[1] + dy)]) };
}

class ImageEditor {
  constructor(root, dotnet, options) {
    this.root = root;
    this.dotnet = dotnet;
    this.viewport = root.querySelector("[data-role=viewport]");
    this.content = root.querySelector("[data-role=content]");
    this.img = root.querySelector("[data-role=content] img");
    this.svg = el("svg", { class: "lb-image-svg" });
    this.content.appendChild(this.svg);
    this.layers = [];
    this.labels = [];
    this.active = null; // {layer, label}
    this.selected = null; // {layer, index}
    this.drawing = null; // a polygon being clicked point by point: {layer, points}
    this.gesture = null; // a pointer drag in progress
    this.undoStack = [];
    this.redoStack = [];
    this.view = { zoom: 1, x: 0, y: 0 };
    this.fitted = true;
    this.update(options);

    this.onPointerDown = (e) => this.pointerDown(e);
    this.onPointerMove = (e) => this.pointerMove(e);
    this.onPointerUp = (e) => this.pointerUp(e);
    this.onWheel = (e) => this.wheel(e);
    this.onKeyDown = (e) => this.keyDown(e);
    this.onDoubleClick = (e) => this.doubleClick(e);
    this.onContextMenu = (e) => e.preventDefault();
    this.viewport.addEventListener("pointerdown", this.onPointerDown);
    this.viewport.addEventListener("pointermove", this.onPointerMove);
    this.viewport.addEventListener("pointerup", this.onPointerUp);
    this.viewport.addEventListener("pointercancel", this.onPointerUp);
    this.viewport.addEventListener("wheel", this.onWheel, { passive: false });
    this.viewport.addEventListener("dblclick", this.onDoubleClick);
    this.viewport.addEventListener("contextmenu", this.onContextMenu);
    // In the workspace the editor hears keys before the workspace does (capture), and marks what it handled, so the
    // workspace leaves those alone; elsewhere (review) only while the image itself has the focus.
    this.keyTarget = options.keyScope === "workspace" ? root.closest("[data-testid=annotate-workspace]") ?? root : this.viewport;
    this.keyTarget.addEventListener("keydown", this.onKeyDown, { capture: true });
    this.resizeObserver = new ResizeObserver(() => {
      if (this.fitted) {
        this.fit();
      } else {
        this.applyView();
      }
    });
    this.resizeObserver.observe(this.viewport);
    this.fit();
  }

  update(options) {
    this.width = options.width;
    this.height = options.height;
    this.readOnly = !!options.readOnly;
    this.labels = options.labels ?? [];
    this.content.style.width = `${this.width}px`;
    this.content.style.height = `${this.height}px`;
    this.svg.setAttribute("viewBox", `0 0 ${this.width} ${this.height}`);
    this.svg.setAttribute("width", this.width);
    this.svg.setAttribute("height", this.height);
    if (!this.active && this.labels.length > 0 && !this.readOnly) {
      this.active = { layer: this.labels[0].layer, label: this.labels[0].value };
    }
    this.viewport.classList.toggle("lb-readonly", this.readOnly);
  }

  // Layers from .NET: [{id, name, kind, color?, editable, visible, locked, shapes}]. A new item resets the history.
  setLayers(layers, resetHistory) {
    this.layers = layers.map((l) => ({ ...l, shapes: (l.shapes ?? []).map((s) => structuredClone(s)) }));
    if (resetHistory) {
      this.undoStack = [];
      this.redoStack = [];
      this.drawing = null;
      this.selected = null;
      this.fitted = true;
      this.fit();
    }
    if (this.selected && !this.shapeAt(this.selected)) {
      this.selected = null;
    }
    this.render();
  }

  setLayerState(id, visible, locked) {
    const layer = this.layer(id);
    if (!layer) {
      return;
    }
    layer.visible = visible;
    layer.locked = locked;
    if (this.selected?.layer === id && (!visible || locked)) {
      this.selected = null;
    }
    if (this.drawing?.layer === id && (!visible || locked)) {
      this.drawing = null;
    }
    this.render();
    this.notifyState();
  }

  layer(id) {
    return this.layers.find((l) => l.id === id);
  }

  labelInfo(layerId, value) {
    return this.labels.find((l) => l.layer === layerId && l.value === value);
  }

  colour(layer, shape) {
    return layer.color ?? this.labelInfo(layer.id, shape.label)?.color ?? "#1e88e5";
  }

  shapeAt(ref) {
    return this.layer(ref.layer)?.shapes[ref.index];
  }

  editable(layer) {
    return !this.readOnly && layer && layer.editable && layer.visible !== false && !layer.locked;
  }

  // ---- the view: zoom and pan ----

  fitZoom() {
    const w = this.viewport.clientWidth || 1;
    const h = this.viewport.clientHeight || 1;
    return Math.min(w / this.width, h / this.height);
  }

  fit() {
    const zoom = this.fitZoom();
    const w = this.viewport.clientWidth;
    const h = this.viewport.clientHeight;
    this.view = { zoom, x: (w - this.width * zoom) / 2, y: (h - this.height * zoom) / 2 };
    this.fitted = true;
    this.applyView();
  }

  zoomAt(factor, sx, sy) {
    const min = this.fitZoom() * MIN_ZOOM_FACTOR;
    const zoom = clamp(this.view.zoom * factor, min, MAX_ZOOM);
    const k = zoom / this.view.zoom;
    this.view = { zoom, x: sx - (sx - this.view.x) * k, y: sy - (sy - this.view.y) * k };
    this.fitted = false;
    this.applyView();
  }

  zoomBy(factor) {
    this.zoomAt(factor, this.viewport.clientWidth / 2, this.viewport.clientHeight / 2);
  }

  applyView() {
    const { zoom, x, y } = this.view;
    this.content.style.transform = `translate(${x}px, ${y}px) scale(${zoom})`;
    this.root.dataset.zoom = zoom.toFixed(4);
    this.svg.style.setProperty("--lb-handle", `${HANDLE_PX / zoom}`);
    for (const handle of this.svg.querySelectorAll("[data-handle]")) {
      handle.setAttribute("r", HANDLE_PX / zoom);
    }
    for (const point of this.svg.querySelectorAll("[data-keypoint]")) {
      point.setAttribute("r", (HANDLE_PX + 1) / zoom);
    }
  }

  // A pointer event's position in image pixels (the SVG's own coordinates, whatever the transform).
  toImage(e) {
    const r = this.svg.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * this.width, y: ((e.clientY - r.top) / r.height) * this.height };
  }

  toViewport(e) {
    const r = this.viewport.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  snap(p) {
    return { x: round(clamp(p.x, 0, this.width)), y: round(clamp(p.y, 0, this.height)) };
  }

  // ---- history ----

  snapshot() {
    return this.layers.map((l) => ({ id: l.id, shapes: structuredClone(l.shapes) }));
  }

  restore(state) {
    for (const saved of state) {
      const layer = this.layer(saved.id);
      if (layer) {
        layer.shapes = structuredClone(saved.shapes);
      }
    }
  }

  // Applies an edit to one layer, remembering the state before it, and tells .NET the layer's new shapes.
  commit(layerId, change) {
    const layer = this.layer(layerId);
    if (!this.editable(layer)) {
      return;
    }
    this.undoStack.push(this.snapshot());
    if (this.undoStack.length > UNDO_LIMIT) {
      this.undoStack.shift();
    }
    this.redoStack = [];
    change(layer);
    this.render();
    this.send([layer.id]);
  }

  undo() {
    if (this.undoStack.length === 0) {
      return false;
    }
    const before = this.snapshot();
    this.redoStack.push(before);
    this.restore(this.undoStack.pop());
    this.afterHistory(before);
    return true;
  }

  redo() {
    if (this.redoStack.length === 0) {
      return false;
    }
    const before = this.snapshot();
    this.undoStack.push(before);
    this.restore(this.redoStack.pop());
    this.afterHistory(before);
    return true;
  }

  afterHistory(before) {
    this.selected = null;
    this.drawing = null;
    this.render();
    const changed = this.layers.filter((l) => {
      const old = before.find((b) => b.id === l.id);
      return !old || JSON.stringify(old.shapes) !== JSON.stringify(l.shapes);
    });
    this.send(changed.map((l) => l.id));
    this.notifyState();
  }

  send(layerIds) {
    for (const id of layerIds) {
      const layer = this.layer(id);
      if (layer?.editable) {
        this.dotnet.invokeMethodAsync("OnShapesChanged", id, JSON.stringify(layer.shapes)).catch((error) => {
          console.warn("LabelBench: the shapes did not reach the server", error);
        });
      }
    }
  }

  notifyState() {
    if (this.readOnly) {
      return;
    }
    const selected = this.selected ? { layer: this.selected.layer, index: this.selected.index, label: this.shapeAt(this.selected)?.label ?? null } : null;
    this.dotnet
      .invokeMethodAsync("OnEditorState", this.active?.layer ?? null, this.active?.label ?? null, selected?.layer ?? null, selected?.index ?? -1, this.drawing !== null)
      .catch(() => {});
  }

  // ---- labels ----

  // A label chosen by button or hotkey: it becomes the label (and tool) of new shapes, and relabels the selected shape.
  chooseLabel(layerId, value) {
    if (this.readOnly || !this.labelInfo(layerId, value)) {
      return false;
    }
    this.active = { layer: layerId, label: value };
    if (this.drawing && this.drawing.layer !== layerId) {
      this.drawing = null;
    }
    if (this.selected && this.selected.layer === layerId) {
      const shape = this.shapeAt(this.selected);
      if (shape && shape.label !== value) {
        const index = this.selected.index;
        this.commit(layerId, (layer) => {
          layer.shapes[index] = { ...layer.shapes[index], label: value };
        });
      }
    }
    this.render();
    this.notifyState();
    return true;
  }

  select(ref) {
    this.selected = ref;
    this.render();
    this.notifyState();
  }

  deleteSelected() {
    if (!this.selected || !this.editable(this.layer(this.selected.layer))) {
      return false;
    }
    const { layer, index } = this.selected;
    this.selected = null;
    this.commit(layer, (l) => l.shapes.splice(index, 1));
    this.notifyState();
    return true;
  }

  // ---- pointer ----

  pointerDown(e) {
    this.viewport.focus({ preventScroll: true });
    const screen = this.toViewport(e);
    if (e.button === 1 || e.button === 2 || (e.button === 0 && e.altKey) || (e.button === 0 && this.readOnly)) {
      this.gesture = { type: "pan", start: screen, view: { ...this.view }, id: e.pointerId };
      this.viewport.setPointerCapture(e.pointerId);
      this.viewport.classList.add("lb-panning");
      e.preventDefault();
      return;
    }
    if (e.button !== 0 || this.readOnly) {
      return;
    }
    e.preventDefault();
    const p = this.toImage(e);
    const target = e.target instanceof Element ? e.target.closest("[data-layer]") : null;
    const handle = e.target instanceof Element ? e.target.closest("[data-handle]") : null;
    const layer = this.active ? this.layer(this.active.layer) : null;

    if (this.drawing) {
      // A polygon in progress: clicking its first point (or near it) closes it, anywhere else adds a point.
      const first = this.drawing.points[0];
      const near = (HANDLE_PX * 2) / this.view.zoom;
      if (this.drawing.points.length >= 3 && Math.hypot(p.x - first[0], p.y - first[1]) <= near) {
        this.finishPolygon();
      } else {
        const q = this.snap(p);
        this.drawing.points.push([q.x, q.y]);
        this.render();
      }
      return;
    }

    if (handle && this.selected) {
      const ref = { layer: handle.dataset.layer, index: Number(handle.dataset.index) };
      if (this.editable(this.layer(ref.layer))) {
        this.gesture = { type: "handle", ref, handle: handle.dataset.handle, start: p, original: structuredClone(this.shapeAt(ref)), id: e.pointerId, moved: false };
        this.viewport.setPointerCapture(e.pointerId);
        return;
      }
    }

    if (target) {
      const ref = { layer: target.dataset.layer, index: Number(target.dataset.index) };
      const owner = this.layer(ref.layer);
      if (this.editable(owner)) {
        this.select(ref);
        this.gesture = { type: "move", ref, start: p, original: structuredClone(this.shapeAt(ref)), id: e.pointerId, moved: false };
        this.viewport.setPointerCapture(e.pointerId);
        return;
      }
    }

    if (!this.editable(layer)) {
      this.select(null);
      return;
    }
    const q = this.snap(p);
    if (layer.kind === "box") {
      this.selected = null;
      this.gesture = { type: "draw-box", layer: layer.id, start: q, current: q, id: e.pointerId, screen };
      this.viewport.setPointerCapture(e.pointerId);
      this.render();
    } else if (layer.kind === "polygon") {
      this.selected = null;
      this.drawing = { layer: layer.id, points: [[q.x, q.y]] };
      this.render();
      this.notifyState();
    } else if (layer.kind === "point") {
      const label = this.active.label;
      this.commit(layer.id, (l) => l.shapes.push({ x: q.x, y: q.y, label }));
      this.select({ layer: layer.id, index: layer.shapes.length - 1 });
    }
  }

  pointerMove(e) {
    const g = this.gesture;
    if (!g || g.id !== e.pointerId) {
      if (this.drawing) {
        this.drawing.cursor = this.snap(this.toImage(e));
        this.scheduleRender();
      }
      return;
    }
    if (g.type === "pan") {
      const s = this.toViewport(e);
      this.view = { ...g.view, x: g.view.x + s.x - g.start.x, y: g.view.y + s.y - g.start.y };
      this.fitted = false;
      this.applyView();
      return;
    }
    const p = this.toImage(e);
    if (g.type === "draw-box") {
      g.current = this.snap(p);
      this.scheduleRender();
      return;
    }
    const layer = this.layer(g.ref.layer);
    const kind = layer.kind;
    const dx = p.x - g.start.x;
    const dy = p.y - g.start.y;
    if (!g.moved && Math.hypot(dx, dy) * this.view.zoom < CLICK_SLOP_PX) {
      return;
    }
    g.moved = true;
    if (g.type === "move") {
      // Snap to the image: the whole shape stays inside.
      const b = bounds(kind, g.original);
      const cx = clamp(dx, -b.x0, this.width - b.x1);
      const cy = clamp(dy, -b.y0, this.height - b.y1);
      layer.shapes[g.ref.index] = translated(kind, g.original, cx, cy);
    } else if (g.type === "handle") {
      layer.shapes[g.ref.index] = this.resized(kind, g.original, g.handle, this.snap(p));
    }
    this.scheduleRender();
  }

  resized(kind, s, handle, p) {
    if (kind === "polygon") {
      const points = s.points.map((q) => [...q]);
      points[Number(handle)] = [p.x, p.y];
      return { ...s, points };
    }
    if (kind === "point") {
      return { ...s, x: p.x, y: p.y };
    }
    // A box corner: the opposite corner stays put; dragging past it flips the box.
    const x0 = s.x;
    const y0 = s.y;
    const x1 = s.x + s.width;
    const y1 = s.y + s.height;
    const ax = handle.includes("w") ? x1 : x0;
    const ay = handle.includes("n") ? y1 : y0;
    return { ...s, x: round(Math.min(ax, p.x)), y: round(Math.min(ay, p.y)), width: round(Math.abs(p.x - ax)), height: round(Math.abs(p.y - ay)) };
  }

  pointerUp(e) {
    const g = this.gesture;
    if (!g || g.id !== e.pointerId) {
      return;
    }
    this.gesture = null;
    if (this.viewport.hasPointerCapture(e.pointerId)) {
      this.viewport.releasePointerCapture(e.pointerId);
    }
    this.viewport.classList.remove("lb-panning");
    if (g.type === "pan") {
      return;
    }
    if (g.type === "draw-box") {
      const x = Math.min(g.start.x, g.current.x);
      const y = Math.min(g.start.y, g.current.y);
      const width = round(Math.abs(g.current.x - g.start.x));
      const height = round(Math.abs(g.current.y - g.start.y));
      // A click without a drag draws nothing (a box needs an area).
      if (width * this.view.zoom >= CLICK_SLOP_PX && height * this.view.zoom >= CLICK_SLOP_PX) {
        const label = this.active.label;
        this.commit(g.layer, (l) => l.shapes.push({ x, y, width, height, label }));
        this.select({ layer: g.layer, index: this.layer(g.layer).shapes.length - 1 });
      } else {
        this.render();
      }
      return;
    }
    if (g.moved) {
      // The shape was changed live for the eye; record the edit against the state before the drag.
      const layer = this.layer(g.ref.layer);
      const edited = layer.shapes[g.ref.index];
      layer.shapes[g.ref.index] = g.original;
      this.commit(layer.id, (l) => {
        l.shapes[g.ref.index] = edited;
      });
    }
  }

  doubleClick(e) {
    if (this.drawing && this.drawing.points.length >= 3) {
      e.preventDefault();
      this.finishPolygon();
    }
  }

  finishPolygon() {
    const d = this.drawing;
    this.drawing = null;
    // A double click adds the same point twice: drop repeated points.
    const points = d.points.filter((p, i) => i === 0 || p[0] !== d.points[i - 1][0] || p[1] !== d.points[i - 1][1]);
    if (points.length >= 3) {
      const label = this.active.label;
      this.commit(d.layer, (l) => l.shapes.push({ points, label }));
      this.select({ layer: d.layer, index: this.layer(d.layer).shapes.length - 1 });
    } else {
      this.render();
      this.notifyState();
    }
  }

  wheel(e) {
    e.preventDefault();
    const s = this.toViewport(e);
    this.zoomAt(e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, s.x, s.y);
  }

  // ---- keys ----

  keyDown(e) {
    if (e.defaultPrevented || e.isComposing || isTyping(e.target)) {
      return;
    }
    const key = e.key;
    const ctrl = e.ctrlKey || e.metaKey;
    let handled = false;
    if (ctrl && !e.altKey && (key === "z" || key === "Z")) {
      if (e.shiftKey) {
        this.redo();
      } else {
        this.undo();
      }
      handled = true; // never the browser's own undo here
    } else if (ctrl && !e.altKey && (key === "y" || key === "Y")) {
      this.redo();
      handled = true;
    } else if (ctrl || e.altKey) {
      return;
    } else if (key === "+" || key === "=") {
      this.zoomBy(ZOOM_STEP);
      handled = true;
    } else if (key === "-" || key === "_") {
      this.zoomBy(1 / ZOOM_STEP);
      handled = true;
    } else if (key === "0" && !this.hotkey("0")) {
      this.fit();
      handled = true;
    } else if (this.readOnly) {
      return;
    } else if (key === "Enter" && this.drawing) {
      this.finishPolygon();
      handled = true;
    } else if (key === "Escape" && (this.drawing || this.selected || this.gesture)) {
      this.drawing = null;
      this.gesture = null;
      this.select(null);
      handled = true;
    } else if ((key === "Delete" || key === "Backspace") && this.selected) {
      handled = this.deleteSelected();
    } else if (key.length === 1 && this.hotkey(key)) {
      const label = this.hotkey(key);
      handled = this.chooseLabel(label.layer, label.value);
    } else if ((key === "z" || key === "Z") && !this.hotkey("z")) {
      handled = key === "Z" ? this.redo() : this.undo();
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }

  // The label whose hotkey this is; with several fields using it, the active field's first.
  hotkey(key) {
    const k = key.toLowerCase();
    const matches = this.labels.filter((l) => l.hotkey && l.hotkey.toLowerCase() === k && this.layer(l.layer)?.visible !== false);
    return matches.find((l) => l.layer === this.active?.layer) ?? matches[0] ?? null;
  }

  // ---- drawing ----

  scheduleRender() {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  render() {
    const svg = this.svg;
    svg.replaceChildren();
    const r = HANDLE_PX / this.view.zoom;
    for (const layer of this.layers) {
      if (layer.visible === false) {
        continue;
      }
      const group = el("g", { "data-layer-group": layer.id, class: layer.locked ? "lb-locked" : "" });
      layer.shapes.forEach((shape, index) => {
        const colour = this.colour(layer, shape);
        const isSelected = this.selected?.layer === layer.id && this.selected.index === index;
        const common = { "data-layer": layer.id, "data-index": index, "data-label": shape.label ?? "", stroke: colour, class: isSelected ? "lb-shape lb-selected" : "lb-shape" };
        let node;
        if (layer.kind === "box" || (layer.kind === "mixed" && shape.width !== undefined)) {
          node = el("rect", { ...common, x: shape.x, y: shape.y, width: shape.width, height: shape.height, fill: `${colour}1f`, "data-kind": "box" });
        } else if (layer.kind === "polygon" || (layer.kind === "mixed" && Array.isArray(shape.points))) {
          node = el("polygon", { ...common, points: shape.points.map((p) => `${p[0]},${p[1]}`).join(" "), fill: `${colour}2a`, "data-kind": "polygon" });
        } else {
          node = el("circle", { ...common, cx: shape.x, cy: shape.y, r: r + 1 / this.view.zoom, fill: colour, "data-keypoint": "", "data-kind": "point" });
        }
        const title = el("title");
        title.textContent = layer.color ? `${layer.name}: ${shape.label ?? ""}` : shape.label ?? "";
        node.appendChild(title);
        group.appendChild(node);
        if (isSelected && this.editable(layer)) {
          for (const h of this.handles(layer.kind, shape)) {
            group.appendChild(el("circle", { class: "lb-handle", cx: h.x, cy: h.y, r, stroke: colour, "data-handle": h.id, "data-layer": layer.id, "data-index": index }));
          }
        }
      });
      svg.appendChild(group);
    }
    if (this.gesture?.type === "draw-box") {
      const g = this.gesture;
      const colour = this.labelInfo(g.layer, this.active.label)?.color ?? "#1e88e5";
      svg.appendChild(el("rect", {
        class: "lb-shape lb-drawing",
        x: Math.min(g.start.x, g.current.x),
        y: Math.min(g.start.y, g.current.y),
        width: Math.abs(g.current.x - g.start.x),
        height: Math.abs(g.current.y - g.start.y),
        stroke: colour,
        fill: `${colour}1f`,
      }));
    }
    if (this.drawing) {
      const d = this.drawing;
      const colour = this.labelInfo(d.layer, this.active?.label)?.color ?? "#1e88e5";
      const pts = d.cursor ? [...d.points, [d.cursor.x, d.cursor.y]] : d.points;
      svg.appendChild(el("polyline", { class: "lb-shape lb-drawing", points: pts.map((p) => `${p[0]},${p[1]}`).join(" "), stroke: colour, fill: "none" }));
      d.points.forEach((p, i) => svg.appendChild(el("circle", { class: i === 0 ? "lb-handle lb-first" : "lb-handle", cx: p[0], cy: p[1], r, stroke: colour, "data-handle": "", "data-drawing": "" })));
    }
    this.root.dataset.shapes = String(this.layers.reduce((n, l) => n + l.shapes.length, 0));
  }

  handles(kind, s) {
    if (kind === "box") {
      return [
        { id: "nw", x: s.x, y: s.y },
        { id: "ne", x: s.x + s.width, y: s.y },
        { id: "sw", x: s.x, y: s.y + s.height },
        { id: "se", x: s.x + s.width, y: s.y + s.height },
      ];
    }
    if (kind === "polygon") {
      return s.points.map((p, i) => ({ id: String(i), x: p[0], y: p[1] }));
    }
    return [];
  }

  dispose() {
    this.viewport.removeEventListener("pointerdown", this.onPointerDown);
    this.viewport.removeEventListener("pointermove", this.onPointerMove);
    this.viewport.removeEventListener("pointerup", this.onPointerUp);
    this.viewport.removeEventListener("pointercancel", this.onPointerUp);
    this.viewport.removeEventListener("wheel", this.onWheel);
    this.viewport.removeEventListener("dblclick", this.onDoubleClick);
    this.viewport.removeEventListener("contextmenu", this.onContextMenu);
    this.keyTarget.removeEventListener("keydown", this.onKeyDown, { capture: true });
    this.resizeObserver.disconnect();
    if (this.frame) {
      cancelAnimationFrame(this.frame);
    }
    this.svg.remove();
  }
}

// Blazor calls these through an IJSObjectReference.
export function attach(root, dotnet, options, layers) {
  const editor = new ImageEditor(root, dotnet, options);
  editor.setLayers(layers, true);
  return {
    update: (o) => {
      editor.update(o);
      editor.render();
    },
    setLayers: (l, reset) => editor.setLayers(l, reset),
    setLayerState: (id, visible, locked) => editor.setLayerState(id, visible, locked),
    chooseLabel: (layer, value) => editor.chooseLabel(layer, value),
    select: (layer, index) => editor.select(editor.layer(layer)?.shapes[index] ? { layer, index } : null),
    deleteSelected: () => editor.deleteSelected(),
    undo: () => editor.undo(),
    redo: () => editor.redo(),
    zoom: (factor) => editor.zoomBy(factor),
    fit: () => editor.fit(),
    focus: () => editor.viewport.focus({ preventScroll: true }),
    dispose: () => editor.dispose(),
  };
}
