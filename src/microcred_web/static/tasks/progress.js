// The job page: poll the job's progress (a small JSON document) and move the bar, until the
// job has finished; then offer the report (a reload shows the refused rows). Without
// JavaScript the page has a plain "Refresh" link instead.
(function () {
  "use strict";
  var INTERVAL_MS = 500;

  function start() {
    var section = document.getElementById("job");
    if (!section || section.dataset.finished === "1") {
      return;
    }
    var url = section.dataset.progressUrl;
    var bar = document.getElementById("job-progress");
    var count = document.getElementById("job-count");
    var template = count.textContent.trim();
    var refresh = document.getElementById("job-refresh");
    var reload = document.getElementById("job-reload");
    var fields = ["issued", "existing", "refused"];

    function text(id, value) {
      var node = document.getElementById(id);
      if (node) {
        node.textContent = String(value);
      }
    }

    function show(state) {
      bar.max = Math.max(state.total, 1);
      bar.value = state.finished && state.state === "succeeded" ? bar.max : state.done;
      bar.textContent = state.percent + "%";
      // "N of M": the numbers of the page's own (translated) sentence are replaced.
      var numbers = 0;
      count.textContent = template.replace(/\d+/g, function () {
        numbers += 1;
        return String(numbers === 1 ? state.done : state.total);
      });
      text("job-state", state.stateLabel);
      text("job-message", state.message);
      text("job-started", state.startedAt);
      text("job-finished", state.finishedAt);
      fields.forEach(function (name) {
        text("job-" + name, state[name]);
      });
      if (state.counts) {
        Object.keys(state.counts).forEach(function (name) {
          text("count-" + name, state.counts[name]);
        });
      }
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (state) {
          show(state);
          if (state.finished) {
            section.dataset.finished = "1";
            refresh.hidden = true;
            reload.hidden = false;
          } else {
            window.setTimeout(poll, INTERVAL_MS);
          }
        })
        .catch(function () {
          window.setTimeout(poll, INTERVAL_MS * 4);
        });
    }

    refresh.hidden = true;
    window.setTimeout(poll, INTERVAL_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
