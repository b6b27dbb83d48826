// Span selection over a text that Blazor renders as segments between span boundaries:
//   <div data-testid="text-content" tabindex="0"><span data-s="0">Marie Curie</span><span data-s="11"> moved…</span></div>
// data-s is the segment's start in UTF-16 units (the browser's unit); .NET converts to code points.
//
// Mouse: a native selection, snapped to grapheme boundaries (an emoji or a letter with combining marks is never cut)
// and trimmed of surrounding spaces. Keyboard: the element keeps its own caret and selection, moved by grapheme with
// the arrows, by word with Ctrl, by line with Up/Down and Home/End, extended with Shift. A label hotkey pressed over a
// selection creates the span here, without a round trip to learn the selection. .NET hears finished results only:
// a span (start, end, label) or a changed selection/caret (debounced), never pointer moves.

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const words = new Intl.Segmenter(undefined, { granularity: "word" });
const REPORT_DELAY_MS = 120;

function caretFromPoint(x, y) {
  if (document.caretPositionFromPoint) {
    const p = document.caretPositionFromPoint(x, y);
    return p ? { node: p.offsetNode, offset: p.offset } : null;
  }
  if (document.caretRangeFromPoint) {
    const r = document.caretRangeFromPoint(x, y);
    return r ? { node: r.startContainer, offset: r.startOffset } : null;
  }
  return null;
}

class SpanText {
  constructor(container, layer, dotnet, options) {
    this.container = container;
    this.scroller = container.parentElement;
    this.layer = layer;
    this.dotnet = dotnet;
    this.labels = new Map();
    this.anchor = 0;
    this.focusAt = 0;
    this.goalX = null;
    this.pointerInside = false;
    this.reportTimer = null;
    this.frame = 0;
    this.caret = document.createElement("div");
    this.caret.className = "lb-caret";
    this.caret.hidden = true;
    layer.appendChild(this.caret);
    this.update(options);
    this.refresh();

    this.onKeyDown = (e) => this.keyDown(e);
    this.onPointerDown = (e) => {
      if (e.button === 0) {
        this.pointerInside = true;
      }
    };
    this.onPointerUp = () => {
      if (this.pointerInside) {
        this.pointerInside = false;
        // Let the browser finish the selection (double and triple clicks) before reading it.
        setTimeout(() => this.readMouseSelection(), 0);
      }
    };
    // A click sets its own caret: put the remembered selection back only when focus comes by keyboard.
    this.onFocus = () => {
      if (!this.pointerInside) {
        this.apply(false);
      }
    };
    this.onBlur = () => {
      this.caret.hidden = true;
    };
    container.addEventListener("keydown", this.onKeyDown);
    container.addEventListener("pointerdown", this.onPointerDown);
    document.addEventListener("pointerup", this.onPointerUp);
    container.addEventListener("focus", this.onFocus);
    container.addEventListener("blur", this.onBlur);
    // Blazor re-renders the segments when spans change: re-read them and put the selection back.
    this.observer = new MutationObserver(() => this.schedule());
    this.observer.observe(container, { childList: true, subtree: true, characterData: true });
  }

  update(options) {
    this.labels = new Map((options?.labels ?? []).filter((l) => l.hotkey).map((l) => [String(l.hotkey).toLowerCase(), l.value]));
    this.readOnly = !!options?.readOnly;
  }

  schedule() {
    if (this.frame) {
      return;
    }
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.refresh();
      this.apply(false);
    });
  }

  refresh() {
    this.text = this.container.textContent ?? "";
    this.segments = Array.from(this.container.querySelectorAll("[data-s]"));
    this.starts = this.segments.map((s) => Number(s.dataset.s));
    this.g = graphemes.segment(this.text);
    this.w = words.segment(this.text);
    const len = this.text.length;
    this.anchor = Math.min(this.anchor, len);
    this.focusAt = Math.min(this.focusAt, len);
  }

  get hasSelection() {
    return this.anchor !== this.focusAt;
  }

  // ---- offsets: UTF-16 index <-> DOM position ----

  offsetFromDom(node, offset) {
    if (!this.container.contains(node)) {
      // Outside the text: before it counts as its start, after it as its end.
      return node.compareDocumentPosition(this.container) & Node.DOCUMENT_POSITION_FOLLOWING ? 0 : this.text.length;
    }
    if (node.nodeType === Node.TEXT_NODE) {
      const segment = node.parentElement?.closest("[data-s]");
      if (segment && this.container.contains(segment)) {
        let at = Number(segment.dataset.s);
        for (let n = segment.firstChild; n && n !== node; n = n.nextSibling) {
          at += n.textContent.length;
        }
        return at + offset;
      }
    }
    const range = document.createRange();
    range.selectNodeContents(this.container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  domPoint(offset) {
    const starts = this.starts;
    if (starts.length === 0) {
      return [this.container, 0];
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    const segment = this.segments[lo];
    const node = segment.firstChild;
    if (!node || node.nodeType !== Node.TEXT_NODE) {
      return [segment, 0];
    }
    return [node, Math.max(0, Math.min(node.length, offset - starts[lo]))];
  }

  // ---- boundaries ----

  prevGrapheme(i) {
    return i <= 0 ? 0 : this.g.containing(i - 1).index;
  }

  nextGrapheme(i) {
    if (i >= this.text.length) {
      return this.text.length;
    }
    const s = this.g.containing(i);
    return s.index + s.segment.length;
  }

  snapStart(i) {
    return i >= this.text.length ? this.text.length : this.g.containing(Math.max(0, i)).index;
  }

  snapEnd(i) {
    if (i <= 0) {
      return 0;
    }
    const s = this.g.containing(Math.min(i, this.text.length) - 1);
    return s.index + s.segment.length;
  }

  prevWord(i) {
    let p = i;
    while (p > 0) {
      const s = this.w.containing(p - 1);
      if (s.isWordLike) {
        return s.index;
      }
      p = s.index;
    }
    return 0;
  }

  nextWord(i) {
    let p = i;
    while (p < this.text.length) {
      const s = this.w.containing(p);
      const end = s.index + s.segment.length;
      if (s.isWordLike) {
        return end;
      }
      p = end;
    }
    return this.text.length;
  }

  lineStart(i) {
    return i <= 0 ? 0 : this.text.lastIndexOf("\n", i - 1) + 1;
  }

  lineEnd(i) {
    const n = this.text.indexOf("\n", i);
    return n < 0 ? this.text.length : n;
  }

  caretRect(offset) {
    if (this.text.length === 0) {
      return this.container.getBoundingClientRect();
    }
    const range = document.createRange();
    const [node, at] = this.domPoint(offset);
    range.setStart(node, at);
    range.setEnd(node, at);
    let rects = range.getClientRects();
    if (rects.length > 0 && rects[0].height > 0) {
      return rects[0];
    }
    if (offset > 0) {
      // At a line break the collapsed range has no box: use the end of the previous character.
      const [pn, pa] = this.domPoint(this.prevGrapheme(offset));
      range.setStart(pn, pa);
      range.setEnd(node, at);
      rects = range.getClientRects();
      if (rects.length > 0) {
        const r = rects[rects.length - 1];
        return new DOMRect(r.right, r.top, 0, r.height);
      }
    }
    return null;
  }

  vertical(direction) {
    let rect = this.caretRect(this.focusAt);
    if (!rect) {
      return null;
    }
    const x = this.goalX ?? rect.left;
    const bounds = this.scroller.getBoundingClientRect();
    let y = direction < 0 ? rect.top - rect.height / 2 : rect.bottom + rect.height / 2;
    if (y < bounds.top + 2 || y > bounds.bottom - 2) {
      // The next line is scrolled out of the box: bring it in first.
      this.scroller.scrollTop += direction * rect.height * 1.5;
      rect = this.caretRect(this.focusAt);
      y = direction < 0 ? rect.top - rect.height / 2 : rect.bottom + rect.height / 2;
    }
    this.goalX = x;
    const hit = caretFromPoint(x, y);
    if (!hit || !this.container.contains(hit.node)) {
      return direction < 0 ? 0 : this.text.length;
    }
    const at = this.snapStart(this.offsetFromDom(hit.node, hit.offset));
    if (at === this.focusAt) {
      return direction < 0 ? 0 : this.text.length;
    }
    return at;
  }

  // ---- input ----

  keyDown(e) {
    if (e.isComposing || e.altKey) {
      return;
    }
    const ctrl = e.ctrlKey || e.metaKey;
    const len = this.text.length;
    const [start, end] = this.ordered();
    let target = null;
    let keepGoal = false;
    switch (e.key) {
      case "ArrowLeft":
        target = ctrl ? this.prevWord(this.focusAt) : !e.shiftKey && this.hasSelection ? start : this.prevGrapheme(this.focusAt);
        break;
      case "ArrowRight":
        target = ctrl ? this.nextWord(this.focusAt) : !e.shiftKey && this.hasSelection ? end : this.nextGrapheme(this.focusAt);
        break;
      case "ArrowUp":
      case "ArrowDown":
        target = this.vertical(e.key === "ArrowUp" ? -1 : 1);
        keepGoal = true;
        break;
      case "Home":
        target = ctrl ? 0 : this.lineStart(this.focusAt);
        break;
      case "End":
        target = ctrl ? len : this.lineEnd(this.focusAt);
        break;
      case "a":
      case "A":
        if (ctrl) {
          e.preventDefault();
          e.stopPropagation();
          this.anchor = 0;
          this.focusAt = len;
          this.apply(true);
          this.report(false, true);
          return;
        }
        break;
      case "Escape":
        if (this.hasSelection) {
          this.anchor = this.focusAt;
          this.apply(true);
          this.report(false, true);
        } else {
          // Leave the text: the workspace's own keys (arrows through the history) work again.
          this.container.closest("[data-testid='annotate-workspace']")?.focus({ preventScroll: true });
        }
        return; // the workspace clears the active span too
      default:
        break;
    }
    if (target !== null) {
      e.preventDefault();
      e.stopPropagation();
      if (!keepGoal) {
        this.goalX = null;
      }
      this.focusAt = target;
      if (!e.shiftKey) {
        this.anchor = target;
      }
      this.apply(true);
      this.report(false, false);
      return;
    }
    if (!ctrl && e.key.length === 1 && this.hasSelection && !this.readOnly) {
      const label = this.labels.get(e.key.toLowerCase());
      if (label !== undefined) {
        e.preventDefault();
        e.stopPropagation();
        const [spanStart, spanEnd] = this.trimmed(start, end);
        this.anchor = this.focusAt = end;
        this.cancelReport();
        this.apply(true);
        if (spanEnd > spanStart) {
          this.dotnet.invokeMethodAsync("OnSpanLabelled", spanStart, spanEnd, label).catch((error) => console.warn("LabelBench: the span was not delivered", error));
        }
      }
    }
  }

  readMouseSelection() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) {
      return;
    }
    const { anchorNode, focusNode } = selection;
    if (!anchorNode || !focusNode || (!this.container.contains(anchorNode) && !this.container.contains(focusNode))) {
      return;
    }
    const a = this.offsetFromDom(anchorNode, selection.anchorOffset);
    const f = this.offsetFromDom(focusNode, selection.focusOffset);
    if (a === f) {
      this.anchor = this.focusAt = this.snapStart(a);
      this.goalX = null;
      this.apply(false);
      this.report(true, true);
      return;
    }
    const [start, end] = this.trimmed(Math.min(a, f), Math.max(a, f));
    if (a <= f) {
      this.anchor = start;
      this.focusAt = end;
    } else {
      this.anchor = end;
      this.focusAt = start;
    }
    this.goalX = null;
    this.apply(true);
    this.report(false, true);
  }

  ordered() {
    return this.anchor <= this.focusAt ? [this.anchor, this.focusAt] : [this.focusAt, this.anchor];
  }

  // Spans never start or end in white space (a double click takes the word and, on some systems, the space after it;
  // a word-wise keyboard selection starts at the space before the word), and never cut a grapheme.
  trimmed(start, end) {
    while (start < end && /\s/.test(this.text[start])) {
      start++;
    }
    while (end > start && /\s/.test(this.text[end - 1])) {
      end--;
    }
    return [this.snapStart(start), this.snapEnd(end)];
  }

  // ---- output ----

  apply(scroll) {
    const focused = document.activeElement === this.container;
    if (focused) {
      const [an, ao] = this.domPoint(this.anchor);
      const [fn, fo] = this.domPoint(this.focusAt);
      const selection = window.getSelection();
      if (selection.anchorNode !== an || selection.anchorOffset !== ao || selection.focusNode !== fn || selection.focusOffset !== fo) {
        selection.setBaseAndExtent(an, ao, fn, fo);
      }
    }
    const rect = this.caretRect(this.focusAt);
    if (rect) {
      const box = this.scroller.getBoundingClientRect();
      this.caret.style.left = `${rect.left - box.left + this.scroller.scrollLeft}px`;
      this.caret.style.top = `${rect.top - box.top + this.scroller.scrollTop}px`;
      this.caret.style.height = `${rect.height}px`;
    }
    this.caret.hidden = !focused || this.hasSelection || !rect;
    if (scroll && rect) {
      this.caret.style.visibility = "hidden";
      this.caret.hidden = false;
      this.caret.scrollIntoView({ block: "nearest", inline: "nearest" });
      this.caret.style.visibility = "";
      this.caret.hidden = !focused || this.hasSelection;
    }
  }

  report(click, now) {
    this.cancelReport();
    const send = () => {
      this.reportTimer = null;
      const [a, f] = this.ordered();
      const [start, end] = a === f ? [a, f] : this.trimmed(a, f);
      this.dotnet.invokeMethodAsync("OnSelectionChanged", start, end, click).catch(() => {});
    };
    if (now) {
      send();
    } else {
      this.reportTimer = setTimeout(send, REPORT_DELAY_MS);
    }
  }

  cancelReport() {
    if (this.reportTimer !== null) {
      clearTimeout(this.reportTimer);
      this.reportTimer = null;
    }
  }

  setSelection(start, end) {
    this.refresh();
    this.anchor = Math.max(0, Math.min(start, this.text.length));
    this.focusAt = Math.max(0, Math.min(end, this.text.length));
    this.apply(true);
  }

  focus() {
    this.container.focus({ preventScroll: true });
    this.apply(true);
  }

  dispose() {
    this.cancelReport();
    if (this.frame) {
      cancelAnimationFrame(this.frame);
    }
    this.observer.disconnect();
    this.container.removeEventListener("keydown", this.onKeyDown);
    this.container.removeEventListener("pointerdown", this.onPointerDown);
    document.removeEventListener("pointerup", this.onPointerUp);
    this.container.removeEventListener("focus", this.onFocus);
    this.container.removeEventListener("blur", this.onBlur);
    this.caret.remove();
  }
}

// Blazor calls these through an IJSObjectReference; plain closures keep `this` out of the interop's way.
export function attach(container, caretLayer, dotnet, options) {
  const text = new SpanText(container, caretLayer, dotnet, options);
  return {
    update: (o) => text.update(o),
    setSelection: (start, end) => text.setSelection(start, end),
    focus: () => text.focus(),
    dispose: () => text.dispose(),
  };
}
