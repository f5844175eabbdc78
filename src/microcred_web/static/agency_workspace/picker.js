// The provider picker of the QA-result form: search as you type, add with a click.
// Without this script the form still works: "Find providers" reloads the form with the matches.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var picker = document.querySelector("fieldset.picker[data-search-url]");
    if (!picker) { return; }
    var input = picker.querySelector("#f-provider-search");
    var found = picker.querySelector("#found-providers");
    var chosen = picker.querySelector("#chosen-providers");
    var url = picker.getAttribute("data-search-url");
    var timer = null;
    var latest = 0;

    function chosenSlugs() {
      return Array.prototype.map.call(chosen.querySelectorAll("input[name=providers]"), function (el) { return el.value; });
    }
    function choose(p) {
      if (chosenSlugs().indexOf(p.slug) !== -1) { return; }
      var li = document.createElement("li");
      var box = document.createElement("input");
      box.type = "checkbox"; box.name = "providers"; box.value = p.slug; box.checked = true; box.id = "prov-" + p.slug;
      var label = document.createElement("label");
      label.htmlFor = box.id;
      label.textContent = p.name + " ";
      var ident = document.createElement("span");
      ident.className = "ident"; ident.textContent = p.slug + ", " + p.country;
      label.appendChild(ident);
      li.appendChild(box); li.appendChild(document.createTextNode(" ")); li.appendChild(label);
      chosen.appendChild(li);
      var none = document.getElementById("no-providers");
      if (none) { none.remove(); }
    }
    function show(list, text) {
      found.textContent = "";
      var have = chosenSlugs();
      list = list.filter(function (p) { return have.indexOf(p.slug) === -1; });
      if (!list.length) {
        var p = document.createElement("p");
        p.textContent = (found.getAttribute("data-none") || "No provider matches") + " “" + text + "”.";
        found.appendChild(p);
        return;
      }
      var ul = document.createElement("ul");
      ul.className = "found";
      list.forEach(function (prov) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button"; button.className = "secondary";
        button.textContent = (found.getAttribute("data-add") || "Add") + " " + prov.name + " (" + prov.slug + ")";
        button.addEventListener("click", function () { choose(prov); li.remove(); input.focus(); });
        li.appendChild(button);
        ul.appendChild(li);
      });
      found.appendChild(ul);
    }
    function search() {
      var text = input.value.trim();
      var mine = ++latest;
      if (!text) { found.textContent = ""; return; }
      fetch(url + "?q=" + encodeURIComponent(text), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { providers: [] }; })
        .then(function (data) { if (mine === latest) { show(data.providers || [], text); } })
        .catch(function () { /* the "Find providers" button still works */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); search(); }
    });
  });
})();
