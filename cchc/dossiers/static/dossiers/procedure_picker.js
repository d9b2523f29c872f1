// Search-as-you-type procedure picker for the intake form (progressive enhancement:
// without JavaScript the page keeps its plain <select> and a button that shows the
// chosen procedure's documents). Matching ignores accents and tone-mark placement
// ("khai sinh" = "khai sinh", "hoa" = "hòa" = "hoà"), by name or code; the options
// come ordered by how much the commune uses them, and keep that order.
(function () {
  "use strict";

  var script = document.currentScript;
  var checklistUrl = script && script.dataset.checklistUrl;

  function key(text) {
    return (text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }

  function matches(optionKey, words) {
    // Every word at the start of a word of the option (the server's rule too).
    return words.every(function (w) {
      var at = optionKey.indexOf(w);
      while (at !== -1) {
        if (at === 0 || !/[a-z0-9]/.test(optionKey.charAt(at - 1))) return true;
        at = optionKey.indexOf(w, at + 1);
      }
      return false;
    });
  }

  function loadChecklist(select) {
    var target = document.getElementById("checklist");
    if (!target || !checklistUrl) return;
    var url = checklistUrl + "?procedure=" + encodeURIComponent(select.value || "");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { target.innerHTML = html; })
      .catch(function () { /* the button below still works */ });
  }

  function setup(select) {
    var holder = document.getElementById("procedure-picker");
    var options = Array.prototype.slice.call(select.options)
      .filter(function (o) { return o.value; })
      .map(function (o) {
        return { value: o.value, text: o.text, key: o.dataset.key || key(o.text), code: o.dataset.code || "" };
      });
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control";
    input.id = "procedure-search";
    input.autocomplete = "off";
    input.placeholder = "Gõ tên hoặc mã thủ tục, ví dụ: khai sinh";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "procedure-results");
    input.setAttribute("aria-autocomplete", "list");
    var list = document.createElement("ul");
    list.id = "procedure-results";
    list.className = "list-group position-absolute w-100 shadow-sm";
    list.style.zIndex = "1050";
    list.style.maxHeight = "22rem";
    list.style.overflowY = "auto";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    holder.appendChild(input);
    holder.appendChild(list);
    // The select stays in the form (it carries the value) but the picker replaces it on screen.
    select.classList.add("visually-hidden");
    select.tabIndex = -1;
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) label.setAttribute("for", input.id);
    var button = document.getElementById("show-checklist");
    if (button) button.hidden = true;
    if (select.value) {
      var current = select.options[select.selectedIndex];
      input.value = current ? current.text : "";
    }

    var shown = [];
    var active = -1;

    function render() {
      list.innerHTML = "";
      shown.forEach(function (o, i) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-action py-1 small" + (i === active ? " active" : "");
        li.id = "procedure-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        li.dataset.value = o.value;
        li.textContent = o.text;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(o); });
        list.appendChild(li);
      });
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "list-group-item small text-muted py-1";
        none.textContent = "Không có thủ tục phù hợp.";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      if (active >= 0) input.setAttribute("aria-activedescendant", "procedure-option-" + active);
    }

    function search() {
      var words = key(input.value).split(" ").filter(Boolean);
      var q = key(input.value);
      var exact = options.filter(function (o) { return key(o.code) === q; });
      var found = words.length ? options.filter(function (o) { return matches(o.key, words); }) : options;
      shown = exact.concat(found.filter(function (o) { return exact.indexOf(o) === -1; })).slice(0, 30);
      active = shown.length ? 0 : -1;
      render();
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(o) {
      select.value = o.value;
      input.value = o.text;
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    input.addEventListener("input", search);
    input.addEventListener("focus", search);
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (list.hidden) search();
        if (!shown.length) return;
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : -1) + shown.length) % shown.length;
        render();
        var item = document.getElementById("procedure-option-" + active);
        if (item) item.scrollIntoView({ block: "nearest" });
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0) {
          e.preventDefault();
          choose(shown[active]);
        }
      } else if (e.key === "Escape") {
        close();
      }
    });
    select.addEventListener("change", function () { loadChecklist(select); });
  }

  function showCase(select) {
    var value = select.value;
    document.querySelectorAll("#checklist [data-case]").forEach(function (group) {
      group.hidden = Boolean(value) && group.dataset.case !== value;
    });
  }

  document.addEventListener("change", function (e) {
    if (e.target && e.target.matches("[data-case-select]")) showCase(e.target);
  });

  var select = document.querySelector("select[data-picker=procedure]");
  if (select) setup(select);
})();
