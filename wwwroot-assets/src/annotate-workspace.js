// The annotation workspace's keyboard and clock. Keys are routed here, in the browser, because only the browser
// knows which element has focus: typing in a text box never triggers a hotkey, Enter on a focused button submits
// instead of pressing the button twice, and arrows inside the text or a ranking list stay with them (those editors
// handle their keys first and mark the event handled). .NET receives commands, not raw key streams.
//
// The clock counts active time only: it pauses while the tab is hidden and after IDLE_MS without any input.

import { isTyping } from "./typing.js";

const IDLE_MS = 5 * 60 * 1000;

class ActiveClock {
  constructor() {
    this.accumulated = 0;
    this.segmentStart = null;
    this.lastActivity = performance.now();
    this.onActivity = () => this.activity();
    this.onVisibility = () => (document.visibilityState === "visible" ? this.activity() : this.settle(performance.now()));
    for (const type of ["keydown", "pointerdown", "pointermove", "wheel", "scroll"]) {
      document.addEventListener(type, this.onActivity, { passive: true, capture: true });
    }
    document.addEventListener("visibilitychange", this.onVisibility);
    this.reset(0);
  }

  // Closes the running segment at the earlier of now and the moment the annotator went idle.
  settle(now) {
    if (this.segmentStart !== null) {
      const end = Math.min(now, this.lastActivity + IDLE_MS);
      this.accumulated += Math.max(0, end - this.segmentStart);
      this.segmentStart = null;
    }
  }

  activity() {
    const now = performance.now();
    if (document.visibilityState !== "visible") {
      return;
    }
    if (this.segmentStart === null) {
      this.segmentStart = now;
    } else if (now - this.lastActivity > IDLE_MS) {
      this.settle(now);
      this.segmentStart = now;
    }
    this.lastActivity = now;
  }

  reset(priorMs) {
    this.accumulated = Math.max(0, Number(priorMs) || 0);
    this.lastActivity = performance.now();
    this.segmentStart = document.visibilityState === "visible" ? this.lastActivity : null;
  }

  elapsed() {
    const now = performance.now();
    let total = this.accumulated;
    if (this.segmentStart !== null) {
      total += Math.max(0, Math.min(now, this.lastActivity + IDLE_MS) - this.segmentStart);
    }
    return Math.round(total);
  }

  dispose() {
    for (const type of ["keydown", "pointerdown", "pointermove", "wheel", "scroll"]) {
      document.removeEventListener(type, this.onActivity, { capture: true });
    }
    document.removeEventListener("visibilitychange", this.onVisibility);
  }
}

class Workspace {
  constructor(element, dotnet, options) {
    this.element = element;
    this.dotnet = dotnet;
    this.keys = new Set();
    this.clock = new ActiveClock();
    this.update(options);
    this.onKeyDown = (e) => this.keyDown(e);
    element.addEventListener("keydown", this.onKeyDown);
  }

  update(options) {
    this.keys = new Set((options?.keys ?? []).map((k) => String(k).toLowerCase()));
  }

  send(command, key) {
    this.dotnet.invokeMethodAsync("OnWorkspaceCommand", command, key ?? null).catch((error) => {
      // The circuit is reconnecting: the key is dropped, as a click would be; nothing was half-done.
      console.warn("LabelBench: the key was not delivered", error);
    });
  }

  keyDown(e) {
    if (e.defaultPrevented || e.isComposing) {
      return;
    }
    const typing = isTyping(e.target);
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (!e.repeat) {
        this.send("submit");
      }
      return;
    }
    if (typing) {
      if (e.key === "Escape") {
        // Leave the text box, so the hotkeys work again.
        e.preventDefault();
        e.target.blur();
        this.element.focus({ preventScroll: true });
      }
      return;
    }
    if (e.altKey || e.metaKey || e.ctrlKey) {
      return; // browser shortcuts stay the browser's
    }
    let command = null;
    let key = null;
    switch (e.key) {
      case "Enter":
        command = "submit";
        break;
      case "?":
        command = "help";
        break;
      case "ArrowLeft":
        command = "history-back";
        break;
      case "ArrowRight":
        command = "history-forward";
        break;
      case "Escape":
        command = "escape";
        break;
      case "Delete":
      case "Backspace":
        command = "delete";
        break;
      default:
        if (e.key === "s" || e.key === "S") {
          command = "skip";
        } else if (e.shiftKey && /^Digit[1-9]$/.test(e.code) && this.keys.has("shift+" + e.code.slice(5))) {
          command = "key";
          key = "shift+" + e.code.slice(5);
        } else if (e.key.length === 1 && this.keys.has(e.key.toLowerCase())) {
          command = "key";
          key = e.key.toLowerCase();
        }
    }
    if (command === null) {
      return;
    }
    e.preventDefault();
    if (e.repeat && (command === "submit" || command === "skip")) {
      return;
    }
    this.send(command, key);
  }

  focus() {
    this.element.focus({ preventScroll: true });
  }

  elapsed() {
    return this.clock.elapsed();
  }

  resetClock(priorMs) {
    this.clock.reset(priorMs);
  }

  dispose() {
    this.element.removeEventListener("keydown", this.onKeyDown);
    this.clock.dispose();
  }
}

// Blazor calls these through an IJSObjectReference; plain closures keep `this` out of the interop's way.
export function attach(element, dotnet, options) {
  const workspace = new Workspace(element, dotnet, options);
  return {
    update: (o) => workspace.update(o),
    focus: () => workspace.focus(),
    elapsed: () => workspace.elapsed(),
    resetClock: (priorMs) => workspace.resetClock(priorMs),
    dispose: () => workspace.dispose(),
  };
}
