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

  // Keyboard shortcuts (listed on the page): j/k next/previous event, n next not yet
  // corrected, 1/2/3 set the open event's polarity and save, a/r accept/reject its first
  // link, u undo the last correction, Esc close. Not while typing in a field.
  function typing(target) {
    return target instanceof Element && (target.closest("input, textarea, select") !== null || target.isContentEditable);
  }
  function events() {
    const seen = new Set();
    return Array.from(document.querySelectorAll('.main-col [data-kind="event"]')).filter(function (el) {
      const id = el.getAttribute("data-id");
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }
  function step(delta) {
    const list = events();
    if (!list.length) return;
    const current = document.querySelector('.main-col .selected[data-kind="event"]');
    let index = current ? list.findIndex(function (el) { return el.getAttribute("data-id") === current.getAttribute("data-id"); }) : -1;
    index = Math.min(list.length - 1, Math.max(0, index + delta));
    openSelection(list[index]);
  }
  function submit(form, name, value) {
    if (!form) return;
    const button = form.querySelector('button[name="' + name + '"][value="' + value + '"]');
    if (button) button.click();
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    if (document.body.classList.contains("static-report")) return;
    const form = document.getElementById("event-form");
    const polarity = { "1": "escalatory", "2": "de-escalatory", "3": "neutral" }[ev.key];
    if (ev.key === "j") step(1);
    else if (ev.key === "k") step(-1);
    else if (ev.key === "n") { const next = document.getElementById("queue-next"); if (next) next.click(); }
    else if (polarity && form) {
      const radio = form.querySelector('input[name="polarity"][value="' + polarity + '"]');
      if (radio) { radio.checked = true; submit(form, "action", "set"); }
    } else if ((ev.key === "a" || ev.key === "r") && form) {
      const links = document.querySelector(".inspector ul.links form");
      submit(links, "action", ev.key === "a" ? "accept" : "reject");
    } else if (ev.key === "u") { const undo = document.getElementById("undo-last"); if (undo) undo.click(); }
    else if (ev.key === "Escape" && form) { window.location.assign(window.location.pathname + "#inspector"); }
    else return;
    ev.preventDefault();
  });

  // Timeline filters: each box hides one track, one polarity or the net line (per figure).
  document.querySelectorAll(".tl-filter").forEach(function (box) {
    box.addEventListener("change", function () {
      const figure = box.closest(".timeline-box");
      if (figure) figure.classList.toggle(box.getAttribute("data-hide"), !box.checked);
    });
  });

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
