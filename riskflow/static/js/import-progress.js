// Polls an import's progress and updates the bar; reloads the page when the import ends.
(function () {
  var box = document.querySelector("[data-import-status]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  function poll() {
    fetch(box.getAttribute("data-import-status"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.total) {
          bar.max = job.total;
          bar.value = job.done;
          text.textContent = job.done + " / " + job.total;
        }
        if (job.state === "done" || job.state === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
