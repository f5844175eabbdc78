// The wallet's presentation page: a "Copy" button (shown only when scripts run; the page works
// without it: the text can be selected, and "Download" is a plain form button).
(function () {
  "use strict";
  var button = document.getElementById("copy-presentation");
  var text = document.getElementById("presentation");
  var status = document.getElementById("copy-status");
  if (!button || !text || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(text.value).then(
      function () { status.textContent = button.dataset.done || "Copied."; },
      function () { text.select(); status.textContent = "Select the text and copy it."; }
    );
  });
})();
