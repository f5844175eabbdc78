// The catalogue page: a facet applies as soon as it is ticked (and the sort or an ECTS bound
// as soon as it changes), by sending the search form. Without JavaScript the form has an
// "Apply filters" button at the top of the filter panel instead; this script hides it.
// After the new page loads, the focus goes back to the control that was changed, and the
// result count is announced again (it is a status region), so keyboard and screen-reader
// users do not lose their place.
(function () {
  "use strict";
  var KEY = "microcred-catalogue-focus";

  function remember(control) {
    try {
      window.sessionStorage.setItem(
        KEY,
        JSON.stringify({ name: control.name, value: control.value, type: control.type })
      );
    } catch (e) {
      // Storage refused (private mode): the filter still applies, the focus starts at the top.
    }
  }

  function restore(form) {
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null");
      window.sessionStorage.removeItem(KEY);
    } catch (e) {
      saved = null;
    }
    if (!saved || typeof saved.name !== "string") {
      return;
    }
    var control = null;
    var controls = form.elements.namedItem(saved.name);
    var list = controls && controls.length !== undefined && !controls.tagName ? controls : [controls];
    for (var i = 0; i < list.length; i++) {
      var item = list[i];
      if (item && (saved.type !== "checkbox" || item.value === saved.value)) {
        control = item;
        break;
      }
    }
    if (!control) {
      return;
    }
    var details = control.closest("details");
    if (details) {
      details.open = true;
    }
    control.focus();
    var status = document.getElementById("result-count");
    if (status && status.getAttribute("role") === "status") {
      var text = status.textContent;
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = text;
      }, 150);
    }
  }

  function start() {
    var form = document.getElementById("catalogue-form");
    if (!form) {
      return;
    }
    var i;
    var noJs = form.querySelectorAll("[data-no-js]");
    for (i = 0; i < noJs.length; i++) {
      noJs[i].hidden = true;
    }
    var jsOnly = form.querySelectorAll("[data-js-only]");
    for (i = 0; i < jsOnly.length; i++) {
      jsOnly[i].hidden = false;
    }
    form.addEventListener("change", function (event) {
      var control = event.target;
      if (!control || !control.hasAttribute || !control.hasAttribute("data-auto-apply")) {
        return;
      }
      remember(control);
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
    restore(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
