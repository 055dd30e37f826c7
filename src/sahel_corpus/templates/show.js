(function () {
  "use strict";
  var body = document.body;
  var pinned = null;
  function all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }
  function attr(name, value) {
    return "[" + name + "=\"" + CSS.escape(value) + "\"]";
  }
  function same(a, b) {
    return a === b || (a !== null && b !== null && a.id === b.id && a.kind === b.kind);
  }
  function show(state) {
    all(".sel").forEach(function (el) { el.classList.remove("sel"); });
    all(".chip-sel").forEach(function (el) { el.classList.remove("chip-sel"); });
    all(".row-sel").forEach(function (el) { el.classList.remove("row-sel"); });
    all("#text .ev").forEach(function (el) { el.classList.remove("ev"); });
    all("#text .prop-on").forEach(function (el) { el.classList.remove("prop-on"); });
    all("#text .trg-on").forEach(function (el) { el.classList.remove("trg-on"); });
    all(".card:not([hidden])").forEach(function (el) { el.hidden = true; });
    body.classList.remove("has-sel", "has-row");
    if (state === null) { return; }
    var card = document.querySelector(".card" + attr("data-card-kind", state.kind) +
                                      attr("data-card", state.id));
    if (card) { card.hidden = false; }
    if (state.kind === "entity") {
      body.classList.add("has-sel");
      all(".m" + attr("data-entity", state.id)).forEach(function (el) {
        el.classList.add("sel");
      });
      all(".chip" + attr("data-ref", state.id)).forEach(function (el) {
        el.classList.add("chip-sel");
      });
      return;
    }
    body.classList.add("has-row");
    var row = document.querySelector("tr" + attr("data-" + state.kind, state.id));
    if (!row) { return; }
    row.classList.add("row-sel");
    row.getAttribute("data-evidence").split(" ").forEach(function (sid) {
      if (sid) {
        all("#text .s" + attr("data-sentence", sid)).forEach(function (el) {
          el.classList.add("ev");
        });
      }
    });
    if (state.kind === "stance") {
      all("#text [data-props~=\"" + CSS.escape(state.id) + "\"]").forEach(function (el) {
        el.classList.add("prop-on");
      });
    }
    if (state.kind === "event") {
      all("#text .trg" + attr("data-event", state.id)).forEach(function (el) {
        el.classList.add("trg-on");
      });
      all("tr" + attr("data-event", state.id) + " .chip").forEach(function (chip) {
        all(".m" + attr("data-entity", chip.dataset.ref)).forEach(function (el) {
          el.classList.add("sel");
        });
      });
    }
  }
  function stateOf(el) {
    var hit = el.closest ? el.closest("#text .trg, #text .m, .chip, tr[data-relation], " +
                                      "tr[data-stance], tr[data-event]")
                         : null;
    if (!hit) { return null; }
    if (hit.dataset.event) { return {kind: "event", id: hit.dataset.event}; }
    if (hit.classList.contains("m")) { return {kind: "entity", id: hit.dataset.entity}; }
    if (hit.classList.contains("chip")) { return {kind: "entity", id: hit.dataset.ref}; }
    if (hit.dataset.relation) { return {kind: "relation", id: hit.dataset.relation}; }
    return {kind: "stance", id: hit.dataset.stance};
  }
  function resolve(id) {
    var kinds = ["entity", "relation", "stance", "event"];
    for (var i = 0; i < kinds.length; i++) {
      if (document.querySelector(".card" + attr("data-card-kind", kinds[i]) +
                                 attr("data-card", id))) {
        return {kind: kinds[i], id: id};
      }
    }
    return null;
  }
  document.addEventListener("mouseover", function (event) {
    if (event.target.closest && event.target.closest("aside")) { return; }
    show(stateOf(event.target) || pinned);
  });
  document.documentElement.addEventListener("mouseleave", function () { show(pinned); });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("aside, a")) { return; }
    var state = stateOf(event.target);
    pinned = same(state, pinned) ? null : state;
    show(pinned);
  });
  var match = /^#select=(.+)$/.exec(window.location.hash);
  var wanted = match ? decodeURIComponent(match[1]) : body.getAttribute("data-select");
  if (wanted) {
    pinned = resolve(wanted);
    show(pinned);
  }
  body.setAttribute("data-ready", "1");
})();
