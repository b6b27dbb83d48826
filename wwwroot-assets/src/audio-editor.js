// The audio editor: a waveform (wavesurfer.js) with labelled regions in seconds, each with its own transcript.
//
// The waveform is drawn from the peaks the server computed at import (WAV: `?variant=peaks`, a few MB for an hour),
// with the audio element streaming the file by range requests, so an hour-long file opens in about the time the
// peaks take to download. Without stored peaks (MP3, OGG, FLAC) the browser downloads and decodes the file once and
// sends the peaks it computed to the server (PUT .../media/peaks), which checks and keeps them for every later open.
//
// Regions: drag on the waveform to create one, drag it or its edges to move or resize it; or with the keyboard, `[`
// at the start and `]` at the end while playing or after seeking. A label key labels the selected region (or picks
// the label of the next one). .NET hears the finished region list after each edit, never pointer moves; transcripts
// typed in .NET come back here as edits, so one undo history covers everything.

import WaveSurfer from "./vendor/wavesurfer/wavesurfer.esm.js";
import RegionsPlugin from "./vendor/wavesurfer/plugins/regions.esm.js";
import TimelinePlugin from "./vendor/wavesurfer/plugins/timeline.esm.js";
import { isTyping } from "./typing.js";

const UNDO_LIMIT = 200;
const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2];
const ZOOM_STEP = 1.5;
const MAX_PX_PER_SEC = 2000;
const TEXT_COALESCE_MS = 1500;
const DRAG_THRESHOLD_PX = 4;

const round = (v) => Math.round(v * 1000) / 1000;

function tint(hex, alpha) {
  return /^#[0-9a-f]{6}$/i.test(hex) ? hex + alpha : hex;
}

function formatTime(s) {
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(2).padStart(5, "0")}`;
}

let nextId = 1;

class AudioEditor {
  constructor(root, dotnet, options) {
    this.root = root;
    this.dotnet = dotnet;
    this.waveform = root.querySelector("[data-role=waveform]");
    this.timeLabel = root.querySelector("[data-role=time]");
    this.items = []; // {id, start, end, label, text?, ...other properties, kept}
    this.selected = null; // an item id
    this.mark = null; // `[` pressed here, waiting for `]`
    this.undoStack = [];
    this.redoStack = [];
    this.lastText = null;
    this.seekTarget = null;
    this.ready = false;
    this.disposed = false;
    this.update(options);
    this.onKeyDown = (e) => this.keyDown(e);
    // Transcripts are typed in .NET's region list; the keystrokes are taken here (debounced to .NET), so one history
    // covers them and nothing typed is lost to a quick submit.
    this.onInput = (e) => {
      if (e.target instanceof HTMLInputElement && e.target.dataset.testid === "region-text") {
        this.editText(Number(e.target.dataset.index), e.target.value);
      }
    };
    this.onChange = () => this.flush();
    root.addEventListener("input", this.onInput);
    root.addEventListener("change", this.onChange);
    this.keyTarget = options.keyScope === "workspace" ? root.closest("[data-testid=annotate-workspace]") ?? root : root;
    this.keyTarget.addEventListener("keydown", this.onKeyDown, { capture: true });
  }

  update(options) {
    this.readOnly = !!options.readOnly;
    this.labels = options.labels ?? [];
    this.lanes = options.lanes ?? null; // review: {annotator: colour}
    if (!this.active || !this.labels.some((l) => l.value === this.active)) {
      this.active = this.labels[0]?.value ?? null;
    }
  }

  async load(url, peaksUrl, duration) {
    let peaks = null;
    if (peaksUrl) {
      try {
        const response = await fetch(peaksUrl, { credentials: "same-origin" });
        if (response.ok) {
          peaks = await response.json();
        }
      } catch (error) {
        console.warn("LabelBench: no peaks, decoding the audio in the browser instead", error);
      }
    }
    if (this.disposed) {
      return;
    }
    const start = performance.now();
    this.ws = WaveSurfer.create({
      container: this.waveform,
      url,
      peaks: peaks ? peaks.peaks : undefined,
      duration: peaks ? peaks.duration : duration ?? undefined,
      height: 128,
      waveColor: "#90a4ae",
      progressColor: "#455a64",
      cursorColor: "#d32f2f",
      normalize: true,
      dragToSeek: false,
      autoScroll: true,
      autoCenter: true,
      fetchParams: { credentials: "same-origin" },
    });
    this.regions = this.ws.registerPlugin(RegionsPlugin.create());
    this.ws.registerPlugin(TimelinePlugin.create({ height: 18, style: { fontSize: "11px", color: "#607d8b" } }));
    if (!this.readOnly) {
      // Our own drag-to-create (the plugin's starts a region 5 px wide and so ends it past the pointer).
      this.onPointerDown = (e) => this.pointerDown(e);
      this.waveform.addEventListener("pointerdown", this.onPointerDown);
    }
    this.regions.on("region-updated", (r) => this.regionUpdated(r));
    this.regions.on("region-clicked", (r, e) => {
      e.stopPropagation();
      if (!this.readOnly && r.__item) {
        this.select(r.id);
      }
    });
    const onTime = (t) => {
      if (this.timeLabel) {
        this.timeLabel.textContent = `${formatTime(t)} / ${formatTime(this.ws.getDuration())}`;
      }
    };
    this.ws.on("timeupdate", onTime);
    this.ws.on("play", () => {
      this.seekTarget = null;
      this.notifyState();
    });
    this.ws.on("interaction", () => {
      this.seekTarget = null;
    });
    this.ws.on("pause", () => this.notifyState());
    this.ws.on("zoom", () => this.describeView());
    this.ws.on("scroll", () => this.describeView());
    this.ws.on("ready", (d) => {
      this.ready = true;
      this.root.dataset.ready = "true";
      this.root.dataset.duration = String(d);
      this.root.dataset.source = peaks ? "peaks" : "decoded";
      this.root.dataset.openMs = String(Math.round(performance.now() - start));
      if (!peaks && peaksUrl) {
        // Decoded here (MP3, OGG, FLAC): hand the peaks to the server once, so the next open draws at once.
        this.sendPeaks(url).catch((error) => console.warn("LabelBench: peaks not stored", error));
      }
      onTime(0);
      this.renderRegions();
      this.describeView();
      this.notifyState();
    });
    this.ws.on("error", (error) => {
      this.root.dataset.error = String(error?.message ?? error);
    });
  }

  // For the eye and for tests: how many pixels a second takes now and how far the waveform is scrolled.
  describeView() {
    if (!this.ws) {
      return;
    }
    const width = this.ws.getWrapper().getBoundingClientRect().width;
    const duration = this.ws.getDuration() || 1;
    this.root.dataset.pxPerSec = String(width / duration);
    this.root.dataset.scroll = String(this.ws.getScroll());
  }

  colour(label) {
    return this.labels.find((l) => l.value === label)?.color ?? "#1e88e5";
  }

  // Items from .NET (the field's value); a new item resets the history. Review: [{..., annotator}] with lanes.
  setRegions(list, resetHistory) {
    this.items = (list ?? []).map((r) => ({ ...r, id: `r${nextId++}` }));
    this.sort();
    if (resetHistory) {
      this.undoStack = [];
      this.redoStack = [];
      this.selected = null;
      this.mark = null;
    } else if (this.selected && !this.items.some((i) => i.id === this.selected)) {
      this.selected = null;
    }
    this.renderRegions();
  }

  sort() {
    this.items.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  renderRegions() {
    if (!this.ready) {
      return;
    }
    this.adding = true;
    try {
      this.regions.clearRegions();
      for (const item of this.items) {
        const colour = this.lanes ? this.lanes[item.annotator] ?? "#1e88e5" : this.colour(item.label);
        const content = document.createElement("span");
        content.className = "lb-region-label";
        content.textContent = this.lanes ? `${item.annotator}: ${item.label ?? ""}` : item.label ?? "";
        content.style.cssText = "font-size:11px;padding:1px 3px;color:#fff;background:" + colour + ";border-radius:2px;pointer-events:none";
        const region = this.regions.addRegion({
          id: item.id,
          start: item.start,
          end: item.end,
          color: tint(colour, item.id === this.selected ? "66" : "33"),
          content,
          drag: !this.readOnly,
          resize: !this.readOnly,
        });
        region.__item = true;
        if (region.element) {
          region.element.dataset.label = item.label ?? "";
          region.element.classList.toggle("lb-region-selected", item.id === this.selected);
          if (item.id === this.selected) {
            region.element.style.outline = `2px solid ${colour}`;
          }
        }
      }
    } finally {
      this.adding = false;
    }
    this.root.dataset.regions = String(this.items.length);
  }

  snapshot() {
    return structuredClone(this.items);
  }

  editText(index, text) {
    const item = this.items[index];
    if (!item || this.readOnly || item.text === text) {
      return;
    }
    this.record(item.id);
    item.text = text;
    clearTimeout(this.textTimer);
    this.textPending = true;
    this.textTimer = setTimeout(() => this.flush(), 250);
  }

  flush() {
    clearTimeout(this.textTimer);
    if (this.textPending) {
      this.textPending = false;
      this.send();
    }
  }

  // Remembers the state before an edit; keystrokes in one transcript within a moment are one undo step.
  record(coalesceText) {
    const now = performance.now();
    if (!(coalesceText && this.lastText && this.lastText.key === coalesceText && now - this.lastText.at < TEXT_COALESCE_MS)) {
      this.undoStack.push(this.snapshot());
      if (this.undoStack.length > UNDO_LIMIT) {
        this.undoStack.shift();
      }
    }
    this.lastText = coalesceText ? { key: coalesceText, at: now } : null;
    this.redoStack = [];
  }

  commit(change) {
    if (this.readOnly) {
      return;
    }
    this.flush();
    this.record(null);
    change();
    this.sort();
    this.renderRegions();
    this.send();
  }

  send() {
    // An empty transcript is left out, as CONTRACT.md's "text" is optional.
    const out = this.items.map(({ id, annotator, ...rest }) => (rest.text === "" ? (({ text, ...r }) => r)(rest) : rest));
    this.dotnet.invokeMethodAsync("OnRegionsChanged", JSON.stringify(out)).catch((error) => {
      console.warn("LabelBench: the regions did not reach the server", error);
    });
    this.notifyState();
  }

  notifyState() {
    if (this.readOnly) {
      return;
    }
    const index = this.items.findIndex((i) => i.id === this.selected);
    const rate = this.ws ? this.ws.getPlaybackRate() : 1;
    this.dotnet.invokeMethodAsync("OnEditorState", this.active, index, !!this.ws?.isPlaying(), rate, this.mark).catch(() => {});
  }

  timeAt(clientX) {
    const r = this.ws.getWrapper().getBoundingClientRect();
    return Math.min(this.ws.getDuration(), Math.max(0, ((clientX - r.left) / r.width) * this.ws.getDuration()));
  }

  pointerDown(e) {
    if (!this.ready || e.button !== 0 || !this.active) {
      return;
    }
    // A press on a region is the region's own (move, resize, select).
    if (e.composedPath().some((n) => n instanceof Element && (n.getAttribute("part") ?? "").includes("region"))) {
      return;
    }
    const startX = e.clientX;
    const start = this.timeAt(startX);
    let region = null;
    const move = (m) => {
      if (!region && Math.abs(m.clientX - startX) < DRAG_THRESHOLD_PX) {
        return;
      }
      const now = this.timeAt(m.clientX);
      const [a, b] = start <= now ? [start, now] : [now, start];
      this.adding = true;
      try {
        if (!region) {
          region = this.regions.addRegion({ start: a, end: b, color: tint(this.colour(this.active), "40"), drag: false, resize: false });
        } else {
          region.setOptions({ start: a, end: b });
        }
      } finally {
        this.adding = false;
      }
    };
    const up = (u) => {
      document.removeEventListener("pointermove", move);
      document.removeEventListener("pointerup", up);
      if (!region) {
        return;
      }
      const now = this.timeAt(u.clientX);
      const [a, b] = start <= now ? [start, now] : [now, start];
      this.adding = true;
      region.remove();
      this.adding = false;
      if (b - a >= 0.01) {
        this.addItem(a, b);
      } else {
        this.renderRegions();
      }
    };
    document.addEventListener("pointermove", move);
    document.addEventListener("pointerup", up);
  }

  addItem(start, end) {
    const item = { id: `r${nextId++}`, start: round(Math.max(0, start)), end: round(Math.min(end, this.ws.getDuration())), label: this.active, text: "" };
    this.commit(() => {
      this.items.push(item);
      this.selected = item.id;
    });
  }

  regionUpdated(region) {
    if (this.adding) {
      return;
    }
    const item = this.items.find((i) => i.id === region.id);
    if (!item) {
      return;
    }
    const start = round(region.start);
    const end = round(region.end);
    if (start === item.start && end === item.end) {
      return;
    }
    this.commit(() => {
      item.start = start;
      item.end = end;
      this.selected = item.id;
    });
  }

  select(id) {
    this.selected = id;
    this.renderRegions();
    this.notifyState();
  }

  selectIndex(index) {
    const item = this.items[index];
    if (item) {
      this.select(item.id);
      this.seekTo(item.start);
    }
  }

  // A label chosen by button or hotkey: relabels the selected region, and is the label of the next ones.
  chooseLabel(value) {
    if (this.readOnly || !this.labels.some((l) => l.value === value)) {
      return false;
    }
    this.active = value;
    const item = this.items.find((i) => i.id === this.selected);
    if (item && item.label !== value) {
      this.commit(() => {
        item.label = value;
      });
    } else {
      this.notifyState();
    }
    return true;
  }

  // An edit made in .NET (the transcript box, a delete button) to the region at index.
  edit(index, changes) {
    const item = this.items[index];
    if (!item || this.readOnly) {
      return;
    }
    this.commit(() => Object.assign(item, changes));
  }

  remove(index) {
    const item = this.items[index];
    if (!item || this.readOnly) {
      return false;
    }
    this.commit(() => {
      this.items = this.items.filter((i) => i !== item);
      if (this.selected === item.id) {
        this.selected = null;
      }
    });
    return true;
  }

  undo() {
    this.flush();
    if (this.undoStack.length === 0) {
      return false;
    }
    this.redoStack.push(this.snapshot());
    this.items = this.undoStack.pop();
    this.afterHistory();
    return true;
  }

  redo() {
    if (this.redoStack.length === 0) {
      return false;
    }
    this.undoStack.push(this.snapshot());
    this.items = this.redoStack.pop();
    this.afterHistory();
    return true;
  }

  afterHistory() {
    this.lastText = null;
    if (this.selected && !this.items.some((i) => i.id === this.selected)) {
      this.selected = null;
    }
    this.renderRegions();
    this.send();
  }

  // Where the playhead is, or is going: a paused media element may still report the position before a seek that is
  // under way, so quick key presses (". . ]") count from the last position asked for.
  position() {
    if (!this.ws) {
      return 0;
    }
    return this.seekTarget !== null && !this.ws.isPlaying() ? this.seekTarget : this.ws.getCurrentTime();
  }

  seekTo(time) {
    if (this.ws) {
      this.seekTarget = Math.min(this.ws.getDuration(), Math.max(0, time));
      this.ws.setTime(this.seekTarget);
    }
  }

  seek(delta) {
    this.seekTo(this.position() + delta);
  }

  setRate(rate) {
    if (this.ws) {
      this.ws.setPlaybackRate(rate, true);
      this.notifyState();
    }
  }

  stepRate(direction) {
    const current = this.ws ? this.ws.getPlaybackRate() : 1;
    const i = RATES.findIndex((r) => r >= current - 1e-9);
    this.setRate(RATES[Math.min(RATES.length - 1, Math.max(0, (i < 0 ? 2 : i) + direction))]);
  }

  zoomBy(factor) {
    if (!this.ready) {
      return;
    }
    const current = this.ws.getWrapper().getBoundingClientRect().width / this.ws.getDuration();
    const fitted = this.waveform.clientWidth / this.ws.getDuration();
    const next = Math.min(MAX_PX_PER_SEC, Math.max(fitted, current * factor));
    this.ws.zoom(next <= fitted * 1.001 ? 0 : next);
    this.describeView();
  }

  fit() {
    if (this.ready) {
      this.ws.zoom(0);
      this.describeView();
    }
  }

  playPause() {
    if (this.ws) {
      this.ws.playPause().catch((error) => console.warn("LabelBench: playback refused", error));
    }
  }

  keyDown(e) {
    if (e.key === "Enter") {
      this.flush(); // before the workspace submits
    }
    if (e.defaultPrevented || e.isComposing || isTyping(e.target)) {
      return;
    }
    const key = e.key;
    const ctrl = e.ctrlKey || e.metaKey;
    let handled = true;
    if (ctrl && !e.altKey && (key === "z" || key === "Z")) {
      if (e.shiftKey) {
        this.redo();
      } else {
        this.undo();
      }
    } else if (ctrl && !e.altKey && (key === "y" || key === "Y")) {
      this.redo();
    } else if (ctrl || e.altKey) {
      handled = false;
    } else if (key === " ") {
      this.playPause();
    } else if (key === "+" || key === "=") {
      this.zoomBy(ZOOM_STEP);
    } else if (key === "-" || key === "_") {
      this.zoomBy(1 / ZOOM_STEP);
    } else if (key === "0" && !this.hotkey("0")) {
      this.fit();
    } else if (key === "," || key === ".") {
      this.seek((key === "," ? -1 : 1) * (e.shiftKey ? 0.1 : 1));
    } else if (key === "Home" || key === "End") {
      if (this.ws) {
        this.seekTo(key === "Home" ? 0 : this.ws.getDuration());
      }
    } else if (key === "<" || key === ">") {
      this.stepRate(key === "<" ? -1 : 1);
    } else if (this.readOnly) {
      handled = false;
    } else if (key === "[" && this.ws) {
      this.mark = round(this.position());
      this.notifyState();
    } else if (key === "]" && this.ws && this.mark !== null) {
      const now = round(this.position());
      const [a, b] = this.mark <= now ? [this.mark, now] : [now, this.mark];
      this.mark = null;
      if (b - a >= 0.01 && this.active) {
        this.addItem(a, b);
      } else {
        this.notifyState();
      }
    } else if ((key === "Delete" || key === "Backspace") && this.selected) {
      this.remove(this.items.findIndex((i) => i.id === this.selected));
    } else if (key === "Escape" && (this.selected || this.mark !== null)) {
      this.mark = null;
      this.select(null);
    } else if (key.length === 1 && this.hotkey(key)) {
      this.chooseLabel(this.hotkey(key).value);
    } else if ((key === "z" || key === "Z") && !this.hotkey("z")) {
      if (key === "Z") {
        this.redo();
      } else {
        this.undo();
      }
    } else {
      handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }

  // Min and max of every 1/100 s over all channels, interleaved: the format the server writes for WAV.
  async sendPeaks(mediaUrl) {
    const audio = this.ws?.getDecodedData();
    if (!audio || this.disposed) {
      return;
    }
    const rate = 100;
    const buckets = Math.ceil(audio.duration * rate);
    const mins = new Float32Array(buckets).fill(1);
    const maxs = new Float32Array(buckets).fill(-1);
    for (let c = 0; c < audio.numberOfChannels; c++) {
      const data = audio.getChannelData(c);
      const perBucket = audio.sampleRate / rate;
      for (let i = 0; i < data.length; i++) {
        const b = Math.min(buckets - 1, Math.floor(i / perBucket));
        const v = data[i];
        if (v < mins[b]) mins[b] = v;
        if (v > maxs[b]) maxs[b] = v;
      }
    }
    const values = new Array(buckets * 2);
    for (let b = 0; b < buckets; b++) {
      const lo = mins[b] > maxs[b] ? 0 : mins[b];
      const hi = mins[b] > maxs[b] ? 0 : maxs[b];
      values[2 * b] = Math.round(Math.max(-1, lo) * 10000) / 10000;
      values[2 * b + 1] = Math.round(Math.min(1, hi) * 10000) / 10000;
    }
    const response = await fetch(`${mediaUrl}/peaks`, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ duration: audio.duration, peaksPerSecond: rate, peaks: values }),
    });
    this.root.dataset.peaksSent = String(response.status);
  }

  hotkey(key) {
    const k = key.toLowerCase();
    return this.labels.find((l) => l.hotkey && l.hotkey.toLowerCase() === k) ?? null;
  }

  dispose() {
    this.disposed = true;
    this.flush();
    this.keyTarget.removeEventListener("keydown", this.onKeyDown, { capture: true });
    if (this.onPointerDown) {
      this.waveform.removeEventListener("pointerdown", this.onPointerDown);
    }
    this.root.removeEventListener("input", this.onInput);
    this.root.removeEventListener("change", this.onChange);
    this.ws?.destroy();
  }
}

// Blazor calls these through an IJSObjectReference.
export function attach(root, dotnet, options, media, regions) {
  const editor = new AudioEditor(root, dotnet, options);
  editor.setRegions(regions, true);
  editor.load(media.url, media.peaksUrl, media.duration).catch((error) => {
    root.dataset.error = String(error?.message ?? error);
    console.error("LabelBench: the audio could not be loaded", error);
  });
  return {
    update: (o) => {
      editor.update(o);
      editor.renderRegions();
    },
    setRegions: (r, reset) => editor.setRegions(r, reset),
    chooseLabel: (value) => editor.chooseLabel(value),
    edit: (index, changes) => editor.edit(index, changes),
    remove: (index) => editor.remove(index),
    select: (index) => editor.selectIndex(index),
    undo: () => editor.undo(),
    redo: () => editor.redo(),
    playPause: () => editor.playPause(),
    setRate: (rate) => editor.setRate(rate),
    zoom: (factor) => editor.zoomBy(factor),
    fit: () => editor.fit(),
    dispose: () => editor.dispose(),
  };
}
