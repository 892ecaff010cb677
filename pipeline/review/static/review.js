// ccpipeline review: small conveniences on top of plain HTML forms (no framework, no network).
(function () {
  "use strict";

  // Clicking a highlight, or pressing Enter/Space on it, opens it in the inspector.
  function openSelection(el) {
    if (document.body.classList.contains("static-report")) return;
    const kind = el.getAttribute("data-kind");
    const id = el.getAttribute("data-id");
    if (!kind || !id) return;
    const params = new URLSearchParams({ sel: kind + ":" + id });
    window.location.assign(window.location.pathname + "?" + params.toString() + "#inspector");
  }
  document.addEventListener("click", function (ev) {
    const target = ev.target instanceof Element ? ev.target.closest(".ent") : null;
    if (target && !window.getSelection().toString()) openSelection(target);
  });
  document.addEventListener("keydown", function (ev) {
    const target = ev.target instanceof Element && ev.target.classList.contains("ent") ? ev.target : null;
    if (target && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); openSelection(target); }
  });

  // Character offset of a DOM position within the article text.  Each text block and each
  // chronology entry carries data-start; offsets count only text nodes, skipping added UI
  // (badges and alignment links), which is marked data-ui.
  function offsetIn(container, node, nodeOffset) {
    let count = 0;
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentElement && n.parentElement.closest("[data-ui]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    while (walker.nextNode()) {
      const current = walker.currentNode;
      if (current === node) return count + nodeOffset;
      count += current.nodeValue.length;
    }
    return null;
  }

  // Mark the element open in the inspector and bring it into view beside the inspector.
  const sel = new URLSearchParams(window.location.search).get("sel");
  if (sel && sel.indexOf(":") > 0) {
    const kind = sel.slice(0, sel.indexOf(":"));
    const id = sel.slice(sel.indexOf(":") + 1);
    document.querySelectorAll("[data-kind]").forEach(function (el) {
      if (el.getAttribute("data-kind") === kind && el.getAttribute("data-id") === id) el.classList.add("selected");
    });
    const first = document.querySelector(".selected");
    if (first) first.scrollIntoView({ block: "center" });
  }

  const startField = document.getElementById("add-start");
  const endField = document.getElementById("add-end");
  const preview = document.getElementById("add-preview");
  if (startField && endField) {
    document.addEventListener("mouseup", function () {
      const selection = window.getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
      const range = selection.getRangeAt(0);
      const block = range.startContainer.parentElement && range.startContainer.parentElement.closest("[data-start]");
      const endBlock = range.endContainer.parentElement && range.endContainer.parentElement.closest("[data-start]");
      if (!block || block !== endBlock) return;
      const base = parseInt(block.getAttribute("data-start"), 10);
      const s = offsetIn(block, range.startContainer, range.startOffset);
      const e = offsetIn(block, range.endContainer, range.endOffset);
      if (s === null || e === null || e <= s) return;
      let text = selection.toString();
      // Trim surrounding spaces, as a span should not start or end with one.
      let lead = text.length - text.replace(/^\s+/, "").length;
      let trail = text.length - text.replace(/\s+$/, "").length;
      startField.value = String(base + s + lead);
      endField.value = String(base + e - trail);
      if (preview) preview.textContent = "Selected: \u201c" + text.trim() + "\u201d";
    });
  }
})();
