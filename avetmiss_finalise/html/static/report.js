/* avetmiss-finalise validation report: filters, search and paged location tables, rendered from the embedded
   columnar findings. Plain DOM, no library, nothing fetched; every value goes in through textContent. */
(function () {
  "use strict";
  var PAGE = 50;
  var data = JSON.parse(document.getElementById("issues-data").textContent);
  var cols = data.cols;
  var n = data.n;
  var KEYS = ["file", "line", "columns", "field", "value", "client_id", "severity", "message"];
  var SEARCHED = ["rule_id", "file", "columns", "field", "value", "client_id", "message"];
  var COLLECTION = "<collection>";

  function val(key, i) {
    var c = cols[key];
    return key === "line" ? c[i] : c.v[c.c[i]];
  }

  var byRule = {};
  var ruleCodes = cols.rule_id.c;
  var ruleValues = cols.rule_id.v;
  for (var i = 0; i < n; i++) {
    var id = ruleValues[ruleCodes[i]];
    (byRule[id] || (byRule[id] = [])).push(i);
  }

  var state = { sev: { error: true, warning: true, info: true }, file: "", rule: "", q: "" };
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.rule"));
  var pages = {};

  function valueHits(key, q) {
    /* One test per distinct value, then a lookup per row. */
    var v = cols[key].v;
    var hit = new Array(v.length);
    for (var k = 0; k < v.length; k++) hit[k] = v[k] !== null && String(v[k]).toLowerCase().indexOf(q) >= 0;
    return hit;
  }

  function rowsOf(section, qHits, sectionMatches) {
    var all = byRule[section.dataset.rule] || [];
    var sevC = cols.severity.c, sevV = cols.severity.v, fileC = cols.file.c, fileV = cols.file.v;
    var out = [];
    for (var j = 0; j < all.length; j++) {
      var r = all[j];
      if (!state.sev[sevV[sevC[r]]]) continue;
      if (state.file) {
        var f = fileV[fileC[r]];
        if ((f === null ? COLLECTION : f) !== state.file) continue;
      }
      if (qHits && !sectionMatches) {
        var any = false;
        for (var k = 0; k < SEARCHED.length && !any; k++) any = qHits[SEARCHED[k]][cols[SEARCHED[k]].c[r]];
        if (!any && String(val("line", r)) !== state.q) continue;
      }
      out.push(r);
    }
    return out;
  }

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    return td;
  }

  function renderRows(section, rows) {
    var id = section.dataset.rule;
    var count = Math.max(1, Math.ceil(rows.length / PAGE));
    var page = Math.min(pages[id] || 0, count - 1);
    pages[id] = page;
    var body = section.querySelector("tbody");
    var frag = document.createDocumentFragment();
    var end = Math.min(rows.length, (page + 1) * PAGE);
    for (var j = page * PAGE; j < end; j++) {
      var r = rows[j];
      var tr = document.createElement("tr");
      tr.className = "sev-" + val("severity", r);
      for (var k = 0; k < KEYS.length; k++) {
        var v = val(KEYS[k], r);
        tr.appendChild(cell(KEYS[k] === "file" && v === null ? COLLECTION : v));
      }
      frag.appendChild(tr);
    }
    body.replaceChildren(frag);
    section.querySelector(".page-info").textContent =
      rows.length ? "locations " + (page * PAGE + 1) + "–" + end + " of " + rows.length.toLocaleString("en-AU") +
        " (page " + (page + 1) + " of " + count + ")" : "no locations match";
    section.querySelector('[data-page="prev"]').disabled = page === 0;
    section.querySelector('[data-page="next"]').disabled = page >= count - 1;
  }

  function apply() {
    var q = state.q;
    var qHits = null;
    if (q) {
      qHits = {};
      for (var k = 0; k < SEARCHED.length; k++) qHits[SEARCHED[k]] = valueHits(SEARCHED[k], q);
    }
    var shownFindings = 0, shownRules = 0;
    sections.forEach(function (section) {
      var sectionMatches = !!q && section.querySelector("h3").textContent.toLowerCase().indexOf(q) >= 0 ||
        !!q && (section.querySelector(".fix") || { textContent: "" }).textContent.toLowerCase().indexOf(q) >= 0;
      var rows = (state.rule && section.dataset.rule !== state.rule) ? [] : rowsOf(section, qHits, sectionMatches);
      section.hidden = rows.length === 0;
      section._rows = rows;
      if (!section.hidden) {
        shownRules += 1;
        shownFindings += rows.length;
        renderRows(section, rows);
      }
    });
    document.getElementById("shown").textContent =
      "Showing " + shownFindings.toLocaleString("en-AU") + " of " + n.toLocaleString("en-AU") + " findings in " +
      shownRules + " rule" + (shownRules === 1 ? "" : "s");
  }

  var timer = null;
  document.querySelectorAll('input[name="severity"]').forEach(function (box) {
    box.addEventListener("change", function () { state.sev[box.value] = box.checked; apply(); });
  });
  document.getElementById("filter-file").addEventListener("change", function (e) { state.file = e.target.value; apply(); });
  document.getElementById("filter-rule").addEventListener("change", function (e) { state.rule = e.target.value; apply(); });
  document.getElementById("search").addEventListener("input", function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = e.target.value.trim().toLowerCase(); apply(); }, 120);
  });
  sections.forEach(function (section) {
    section.querySelector(".pager").addEventListener("click", function (e) {
      var step = e.target.dataset && e.target.dataset.page;
      if (!step) return;
      pages[section.dataset.rule] = (pages[section.dataset.rule] || 0) + (step === "next" ? 1 : -1);
      renderRows(section, section._rows || []);
    });
  });
  apply();
  document.documentElement.dataset.ready = "true";
  if (window.performance && performance.mark) performance.mark("report-ready");
})();
