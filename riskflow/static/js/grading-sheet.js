// The grading sheet, enhanced: the score and level show as the selects change, "Same as last month" fills
// in last month's grade, and "All same as last month" marks rows without a trip to the server.
// The level of each cell comes from the standard the server writes into data-matrix (grading.matrix), so
// the page and the server read one rule. Without this script the server does the same on each redraw.
(function () {
  "use strict";
  var form = document.getElementById("grading-sheet");
  if (!form) { return; }
  var matrix = JSON.parse(form.getAttribute("data-matrix") || "[]");
  var names = JSON.parse(form.getAttribute("data-levels") || "{}");
  var none = form.getAttribute("data-none") || "";

  function parts(row) {
    var id = row.id.replace("row-", "");
    return {
      likelihood: document.getElementById("l_" + id),
      impact: document.getElementById("i_" + id),
      same: document.getElementById("s_" + id),
      output: document.getElementById("score_" + id),
      lastL: row.getAttribute("data-last-l"),
      lastI: row.getAttribute("data-last-i")
    };
  }

  function show(p) {
    var l = parseInt(p.likelihood.value, 10), i = parseInt(p.impact.value, 10);
    var level = (matrix[l - 1] || [])[i - 1];
    var badge = document.createElement("span");
    if (level) {
      badge.className = "level level-" + level;
      badge.textContent = (l * i) + " · " + (names[level] || level);
    } else {
      badge.className = "muted";
      badge.textContent = none;
    }
    p.output.replaceChildren(badge);
  }

  function markSame(p) {
    p.same.dataset.before = p.likelihood.value + "," + p.impact.value;
    p.same.checked = true;
    p.likelihood.value = p.lastL;
    p.impact.value = p.lastI;
    show(p);
  }

  var rows = Array.prototype.slice.call(form.querySelectorAll("tr.sheet-row"));
  rows.forEach(function (row) {
    var p = parts(row);
    if (!p.likelihood || !p.impact || !p.output) { return; }
    function picked() {
      // A grade other than last month's is no longer "the same".
      if (p.same && p.same.checked && (p.likelihood.value !== p.lastL || p.impact.value !== p.lastI)) {
        p.same.checked = false;
        delete p.same.dataset.before;
      }
      show(p);
    }
    p.likelihood.addEventListener("change", picked);
    p.impact.addEventListener("change", picked);
    if (p.same) {
      p.same.addEventListener("change", function () {
        if (p.same.checked) {
          p.same.checked = false;
          markSame(p);
        } else {
          // Unticking puts back what the selects held before.
          var before = (p.same.dataset.before || ",").split(",");
          p.likelihood.value = before[0];
          p.impact.value = before[1];
          delete p.same.dataset.before;
          show(p);
        }
      });
    }
  });

  var all = document.getElementById("same-all");
  if (all) {
    all.addEventListener("click", function (event) {
      event.preventDefault();
      rows.forEach(function (row) {
        var p = parts(row);
        if (p.same && !p.same.checked && p.likelihood.value === "" && p.impact.value === "") {
          markSame(p);
        }
      });
    });
  }
})();
