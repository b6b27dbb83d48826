// Whether a key event's target is where the user types text, so shortcuts leave the key alone. Shared by the
// workspace and the editors.
const NOT_TEXT_INPUTS = ["button", "submit", "reset", "checkbox", "radio", "range", "color", "file", "image"];

export function isTyping(target) {
  if (!(target instanceof Element)) {
    return false;
  }
  if (target.isContentEditable) {
    return true;
  }
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") {
    return true;
  }
  if (tag === "INPUT") {
    const type = (target.getAttribute("type") || "text").toLowerCase();
    return !NOT_TEXT_INPUTS.includes(type);
  }
  return false;
}
