// Ranking: reorder a list by dragging, or with the keyboard while the list has focus: ArrowUp/ArrowDown choose an
// entry, Alt (or Ctrl) with ArrowUp/ArrowDown moves it, Home/End jump. Blazor renders the list (<li data-pos="i">)
// and owns the order; this module only reports finished moves: a drop (from, to) or a key command.

class RankingList {
  constructor(list, dotnet) {
    this.list = list;
    this.dotnet = dotnet;
    this.dragFrom = null;
    this.onKeyDown = (e) => this.keyDown(e);
    this.onDragStart = (e) => {
      const li = e.target.closest("li[data-pos]");
      if (!li || this.list.dataset.readonly === "true") {
        e.preventDefault();
        return;
      }
      this.dragFrom = Number(li.dataset.pos);
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", String(this.dragFrom));
      li.classList.add("lb-ranking-dragging");
    };
    this.onDragOver = (e) => {
      if (this.dragFrom === null) {
        return;
      }
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      const li = e.target.closest("li[data-pos]");
      for (const el of this.list.querySelectorAll(".lb-ranking-over")) {
        if (el !== li) {
          el.classList.remove("lb-ranking-over");
        }
      }
      li?.classList.add("lb-ranking-over");
    };
    this.onDrop = (e) => {
      if (this.dragFrom === null) {
        return;
      }
      e.preventDefault();
      const li = e.target.closest("li[data-pos]");
      const to = li ? Number(li.dataset.pos) : this.list.querySelectorAll("li[data-pos]").length - 1;
      const from = this.dragFrom;
      this.clearDrag();
      if (to !== from) {
        this.dotnet.invokeMethodAsync("OnDrop", from, to).catch(() => {});
      }
    };
    this.onDragEnd = () => this.clearDrag();
    list.addEventListener("keydown", this.onKeyDown);
    list.addEventListener("dragstart", this.onDragStart);
    list.addEventListener("dragover", this.onDragOver);
    list.addEventListener("drop", this.onDrop);
    list.addEventListener("dragend", this.onDragEnd);
  }

  clearDrag() {
    this.dragFrom = null;
    for (const el of this.list.querySelectorAll(".lb-ranking-over, .lb-ranking-dragging")) {
      el.classList.remove("lb-ranking-over", "lb-ranking-dragging");
    }
  }

  keyDown(e) {
    if (e.isComposing || e.metaKey) {
      return;
    }
    const move = e.altKey || e.ctrlKey;
    let command = null;
    switch (e.key) {
      case "ArrowUp":
        command = move ? "move-up" : "up";
        break;
      case "ArrowDown":
        command = move ? "move-down" : "down";
        break;
      case "Home":
        command = move ? "move-first" : "first";
        break;
      case "End":
        command = move ? "move-last" : "last";
        break;
      default:
        return;
    }
    // The list keeps its arrows: they neither scroll the page nor browse the history.
    e.preventDefault();
    e.stopPropagation();
    this.dotnet.invokeMethodAsync("OnKey", command).catch(() => {});
  }

  focus() {
    this.list.focus({ preventScroll: false });
  }

  dispose() {
    this.list.removeEventListener("keydown", this.onKeyDown);
    this.list.removeEventListener("dragstart", this.onDragStart);
    this.list.removeEventListener("dragover", this.onDragOver);
    this.list.removeEventListener("drop", this.onDrop);
    this.list.removeEventListener("dragend", this.onDragEnd);
  }
}

// Blazor calls these through an IJSObjectReference; plain closures keep `this` out of the interop's way.
export function attach(list, dotnet) {
  const ranking = new RankingList(list, dotnet);
  return {
    focus: () => ranking.focus(),
    dispose: () => ranking.dispose(),
  };
}
