/* The specification editor, improved: live validation, search in pickers, add and remove rows
 * and languages in the page. The form works without it (its buttons post to the server).
 *
 * The form's JSON is built by the same rules as microcred_web/editor/layout.py form_to_data:
 * inputs are named by element path, multilingual texts are pairs P.lang.N / P.text.N, empty
 * inputs and empty rows are left out, a number that is not one stays as typed. The JSON goes to
 * POST /api/v1/specifications/validate and each finding is shown at the element its path names.
 */
(function () {
  "use strict";
  const form = document.getElementById("spec-form");
  if (!form) return;
  const t = form.dataset;
  const LANG = /^(.+)\.(lang|text)\.(\d+)$/;
  let timer = null;
  let sent = 0;

  function parsePath(path) {
    const parts = [];
    path.replace(/([^.[\]]+)|\[(\d+)\]/g, function (_, name, index) {
      parts.push(name !== undefined ? name : Number(index));
      return "";
    });
    return parts;
  }

  function put(out, parts, value) {
    let node = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i];
      if (node[part] === undefined || node[part] === null) {
        node[part] = typeof parts[i + 1] === "number" ? [] : {};
      }
      node = node[part];
    }
    node[parts[parts.length - 1]] = value;
  }

  function read(kind, el) {
    if (kind === "codes") {
      const codes = Array.from(el.selectedOptions).map((o) => o.value.trim()).filter(Boolean);
      return codes.length ? codes : undefined;
    }
    const raw = el.value;
    const value = raw.trim();
    if (kind === "split") {
      const parts = raw.split(";").map((p) => p.trim()).filter(Boolean);
      return parts.length ? parts : undefined;
    }
    if (!value) return undefined;
    if (kind === "code" && /^\d{1,2}$/.test(value)) return Number(value);
    if (kind === "number") {
      const typed = /^\d+,\d{1,2}$/.test(value) ? value.replace(",", ".") : value;
      const number = Number(typed);
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(typed) && isFinite(number)
        ? number : value;
    }
    if (kind === "bool") return value === "true" ? true : value === "false" ? false : undefined;
    return value;
  }

  function empty(value) {
    return value === undefined || value === null ||
      (Array.isArray(value) && value.length === 0) ||
      (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
  }

  function compact(value) {
    if (Array.isArray(value)) {
      if (!value.some((v) => v === undefined || v === null || typeof v === "object")) return value;
      return value.map(compact).filter((v) => !empty(v));
    }
    if (value !== null && typeof value === "object") {
      const out = {};
      for (const [key, child] of Object.entries(value)) {
        const kept = compact(child);
        if (!empty(kept)) out[key] = kept;
      }
      return out;
    }
    return value;
  }

  /* The JSON, and for each group the form's row number of each row kept (findings name rows
   * by their place in the JSON, which skips rows left empty). */
  function build() {
    const out = {};
    const langs = {};
    for (const el of form.elements) {
      if (!el.name || el.type === "submit" || el.name === "csrfmiddlewaretoken") continue;
      const m = el.name.match(LANG);
      if (m) {
        const pairs = (langs[m[1]] = langs[m[1]] || {});
        const pair = (pairs[m[3]] = pairs[m[3]] || {});
        pair[m[2]] = el.value;
        continue;
      }
      if (!el.dataset.kind) continue;
      const value = read(el.dataset.kind, el);
      if (value !== undefined) put(out, parsePath(el.name), value);
    }
    const used = [];
    for (const [path, pairs] of Object.entries(langs)) {
      const text = {};
      const numbers = Object.keys(pairs).map(Number).sort((a, b) => a - b);
      for (const n of numbers) {
        let tag = (pairs[n].lang || "").trim();
        const body = pairs[n].text || "";
        if (!tag && !body.trim()) continue;
        while (Object.prototype.hasOwnProperty.call(text, tag)) tag += "?";
        text[tag] = body;
        if (tag && tag.indexOf("?") < 0 && used.indexOf(tag) < 0) used.push(tag);
      }
      if (Object.keys(text).length) put(out, parsePath(path), text);
    }
    const rows = {};
    for (const group of form.querySelectorAll("[data-group]")) {
      const name = group.dataset.group;
      const list = out[name];
      if (!Array.isArray(list)) continue;
      const kept = [];
      rows[name] = [];
      list.forEach(function (row, i) {
        const c = compact(row);
        if (!empty(c)) {
          kept.push(c);
          rows[name].push(i);
        }
      });
      out[name] = kept;
    }
    const data = compact(out);
    if (t.localId) data.id = t.localId;
    return { data: data, rows: rows, used: used, langs: langs };
  }

  /* "learning_outcomes[1].text" in the JSON is the form's row rows[...][1]. */
  function formPath(path, rows) {
    return path.replace(/^([a-z_]+)\[(\d+)\]/, function (all, group, index) {
      const map = rows[group];
      return map && map[Number(index)] !== undefined ? group + "[" + map[Number(index)] + "]" : all;
    });
  }

  function slotFor(path, slots) {
    let best = null;
    for (const slot of slots) {
      const p = slot.dataset.for;
      if ((path === p || path.startsWith(p + ".") || path.startsWith(p + "[")) &&
          (best === null || p.length > best.dataset.for.length)) best = slot;
    }
    return best;
  }

  function findingNode(tag, f, withPath) {
    const node = document.createElement(tag);
    node.className = (tag === "p" ? "finding " : "") + "finding-" + f.severity;
    node.dataset.code = f.code;
    const strong = document.createElement("strong");
    strong.textContent = f.severity === "error" ? t.tError : t.tWarning;
    node.appendChild(strong);
    node.appendChild(document.createTextNode(" "));
    if (withPath) {
      const link = document.createElement("a");
      link.href = "#" + withPath.id;
      link.textContent = f.path || t.tRecord;
      node.appendChild(link);
      node.appendChild(document.createTextNode(": "));
    }
    node.appendChild(document.createTextNode(f.message + " "));
    const code = document.createElement("code");
    code.textContent = f.code;
    node.appendChild(code);
    return node;
  }

  function anchorOf(slot) {
    if (!slot) return { id: "editor-findings" };
    const id = slot.id.replace(/-findings$/, "");
    return document.getElementById(id) ? { id: id } : { id: slot.id };
  }

  function show(findings, built) {
    const slots = Array.from(form.querySelectorAll(".findings[data-for]"));
    for (const slot of slots) slot.replaceChildren();
    const list = document.getElementById("summary-list");
    if (list) list.replaceChildren();
    let errors = 0;
    let warnings = 0;
    for (const f of findings) {
      if (f.severity === "error") errors++; else warnings++;
      const slot = slotFor(formPath(f.path || "", built.rows), slots);
      if (slot) slot.appendChild(findingNode("p", f));
      if (list) list.appendChild(findingNode("li", f, anchorOf(slot)));
    }
    const count = document.getElementById("summary-count");
    if (count) {
      count.textContent = t.tCount.replace("%(errors)s", errors).replace("%(warnings)s", warnings);
    }
    const summary = document.getElementById("editor-findings");
    if (summary) summary.classList.toggle("has-errors", errors > 0);
  }

  function showMissing(built) {
    for (const hint of form.querySelectorAll("[data-missing-for]")) {
      const pairs = built.langs[hint.dataset.missingFor] || {};
      const present = Object.values(pairs).map((p) => (p.lang || "").trim());
      const begun = present.some(Boolean);
      const missing = begun ? built.used.filter((tag) => present.indexOf(tag) < 0) : [];
      hint.textContent = missing.length ? t.tMissing + " " + missing.join(", ") : "";
    }
  }

  function validate() {
    const built = build();
    showMissing(built);
    const mine = ++sent;
    fetch(t.validateUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(built.data),
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (body) {
      if (mine === sent) show(body.findings || [], built);
    }).catch(function () {
      const count = document.getElementById("summary-count");
      if (count && mine === sent) count.textContent = t.tOffline;
    });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(validate, 350);
  }

  /* --- adding and removing languages and rows ---------------------------------------------- */

  function clearInputs(root) {
    for (const el of root.querySelectorAll("input, textarea")) {
      if (el.type !== "search") el.value = "";
    }
    for (const sel of root.querySelectorAll("select")) {
      for (const o of sel.options) o.selected = false;
      if (!sel.multiple && sel.options.length) sel.options[0].selected = true;
    }
    for (const slot of root.querySelectorAll(".findings")) slot.replaceChildren();
    for (const hint of root.querySelectorAll(".chosen")) hint.textContent = "";
  }

  function rename(root, from, to) {
    for (const el of [root, ...root.querySelectorAll("*")]) {
      for (const attr of ["name", "id", "for", "value", "aria-describedby", "data-for",
        "data-missing-for", "data-lang-path", "list"]) {
        if (attr === "value" && el.tagName !== "BUTTON") continue;
        const value = el.getAttribute(attr);
        if (value !== null) el.setAttribute(attr, from(value, to));
      }
    }
  }

  function addLanguage(button) {
    const field = button.closest(".lang-field");
    const rows = field.querySelector(".lang-rows");
    const last = rows.lastElementChild;
    const n = rows.children.length ? Math.max(...Array.from(rows.querySelectorAll("[name]"))
      .map((el) => Number(el.name.match(LANG)[3]))) + 1 : 0;
    const copy = last.cloneNode(true);
    rename(copy, function (value, to) {
      return value.replace(/\.(lang|text)\.\d+$/, ".$1." + to).replace(/-(lang|text)-\d+$/, "-$1-" + to);
    }, n);
    clearInputs(copy);
    rows.appendChild(copy);
    copy.querySelector("input").focus();
  }

  function addRow(button) {
    const group = button.closest("[data-group]");
    const name = group.dataset.group;
    const rows = group.querySelector(".rows");
    const last = rows.lastElementChild;
    const old = Number(last.dataset.row);
    const next = Math.max(...Array.from(rows.children).map((r) => Number(r.dataset.row))) + 1;
    const copy = last.cloneNode(true);
    const fromPath = name + "[" + old + "]";
    const fromId = "f-" + name + "-" + old;
    rename(copy, function (value, to) {
      return value.split(fromPath).join(name + "[" + to + "]")
        .replace(new RegExp("(^|\\s)" + fromId + "(?=-|$|\\s)", "g"), "$1f-" + name + "-" + to);
    }, next);
    copy.dataset.row = String(next);
    for (const langRows of copy.querySelectorAll(".lang-rows")) {
      while (langRows.children.length > 1) langRows.lastElementChild.remove();
    }
    clearInputs(copy);
    rows.appendChild(copy);
    renumber(rows);
    enhancePickers(copy);
    const first = copy.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  function removeRow(button) {
    const row = button.closest("[data-row]");
    const rows = row.parentElement;
    if (rows.children.length > 1) row.remove(); else clearInputs(row);
    renumber(rows);
    soon();
  }

  function renumber(rows) {
    Array.from(rows.children).forEach(function (row, i) {
      const number = row.querySelector(".row-number");
      if (number) number.textContent = String(i + 1);
    });
  }

  /* --- pickers with search ------------------------------------------------------------------ */

  function chosenText(select) {
    return Array.from(select.selectedOptions).map((o) => o.text).join("; ");
  }

  function enhancePickers(root) {
    for (const select of root.querySelectorAll("select[data-picker]")) {
      const pair = select.closest(".field-pair");
      const old = pair.querySelector(".picker-search");
      if (old) old.remove();
      const oldChosen = pair.querySelector(".chosen");
      if (oldChosen) oldChosen.remove();
      if (select.options.length > 8) {
        const box = document.createElement("div");
        box.className = "picker-search";
        const label = document.createElement("label");
        label.htmlFor = select.id + "-search";
        label.textContent = t.tSearch + " (" + pair.querySelector("label").textContent.trim() + ")";
        const input = document.createElement("input");
        input.type = "search";
        input.id = select.id + "-search";
        input.autocomplete = "off";
        input.setAttribute("aria-controls", select.id);
        input.addEventListener("keydown", function (event) {
          if (event.key === "Enter") event.preventDefault();
        });
        input.addEventListener("input", function () {
          const q = input.value.trim().toLowerCase();
          for (const option of select.options) {
            option.hidden = q !== "" && !option.selected && option.value !== "" &&
              option.text.toLowerCase().indexOf(q) < 0;
          }
        });
        box.appendChild(label);
        box.appendChild(input);
        select.before(box);
      }
      if (select.multiple) {
        const chosen = document.createElement("p");
        chosen.className = "hint chosen";
        chosen.setAttribute("aria-live", "polite");
        const update = function () {
          const text = chosenText(select);
          chosen.textContent = text ? t.tChosen + " " + text : "";
        };
        update();
        select.addEventListener("change", update);
        select.after(chosen);
      }
    }
  }

  form.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-add-lang")) {
      event.preventDefault();
      addLanguage(button);
    } else if (button.hasAttribute("data-add-row")) {
      event.preventDefault();
      addRow(button);
    } else if (button.hasAttribute("data-remove-row")) {
      event.preventDefault();
      removeRow(button);
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.type !== "search") soon();
  });
  form.addEventListener("change", function (event) {
    if (event.target.type !== "search") soon();
  });
  enhancePickers(form);
  showMissing(build());
})();
