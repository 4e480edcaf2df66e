// Live validation: each change posts the form for checking (never saving) and shows the
// messages of `docgen check` beside their fields. Without JavaScript, "Vérifier" does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-verifier]");
  if (!form) { return; }
  var timer = null;
  function show(data) {
    form.querySelectorAll(".messages").forEach(function (box) { box.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    Object.keys(data.champs).forEach(function (path) {
      var box = form.querySelector('.messages[data-pour="' + CSS.escape(path) + '"]');
      var input = document.getElementById(path);
      if (input) { input.setAttribute("aria-invalid", "true"); }
      data.champs[path].forEach(function (issue) {
        var span = document.createElement("span");
        span.className = issue.gravite === "erreur" ? "erreur" : "avertissement";
        span.textContent = issue.message;
        if (box) { box.appendChild(span); }
      });
    });
    var state = document.querySelector("[data-etat]");
    if (state) {
      state.innerHTML = "";
      var s = document.createElement("span");
      s.className = data.erreurs ? "erreur" : "ok";
      s.textContent = data.erreurs ? data.erreurs + (data.erreurs > 1 ? " erreurs" : " erreur") + " dans le dossier."
                                   : "Aucune erreur dans le dossier.";
      state.appendChild(s);
    }
    var others = form.querySelector("[data-autres]");
    if (others) {
      others.innerHTML = "";
      if (data.autres.length) {
        var h = document.createElement("h2"); h.textContent = "Autres problèmes du dossier"; others.appendChild(h);
        var ul = document.createElement("ul");
        data.autres.forEach(function (i) {
          var li = document.createElement("li");
          li.className = i.gravite === "erreur" ? "erreur" : "avertissement";
          li.textContent = i.fichier + " ligne " + i.ligne + (i.champ ? ", " + i.champ : "") + " : " + i.message;
          ul.appendChild(li);
        });
        others.appendChild(ul);
      }
    }
  }
  function check() {
    var body = new FormData(form);
    body.set("__action", "verifier");
    body.set("__format", "json");
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { show(data); } })
      .catch(function () {});
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 350); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(check, 50); });
})();

// The YAML text page: « Aller à la ligne N » selects that line in the text and shows it.
(function () {
  var area = document.getElementById("texte");
  if (!area) { return; }
  function goTo(line) {
    var lines = area.value.split("\n");
    var start = 0;
    for (var k = 0; k < line - 1 && k < lines.length; k++) { start += lines[k].length + 1; }
    var end = start + (lines[line - 1] || "").length;
    area.focus();
    area.setSelectionRange(start, end);
    var height = area.scrollHeight / Math.max(lines.length, 1);
    area.scrollTop = Math.max(0, (line - 4) * height);
  }
  document.querySelectorAll("[data-aller]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { goTo(parseInt(b.getAttribute("data-aller"), 10)); });
  });
})();

// A build in progress: its documents as the server says they are made (server-sent events),
// then the results (the page again, once). Without scripts, the page refreshes itself.
(function () {
  var box = document.querySelector("[data-suivi]");
  if (!box || !window.EventSource) { return; }
  var list = box.querySelector("[data-documents]");
  var count = box.querySelector("[data-compte]");
  var planned = [], done = {};
  function item(name) {
    var found = list.querySelector('[data-document="' + CSS.escape(name) + '"]');
    if (found) { return found; }
    var li = document.createElement("li");
    li.setAttribute("data-document", name);
    li.className = "attendu";
    li.textContent = name + " ";
    var st = document.createElement("span"); st.className = "etat-doc"; st.textContent = "en attente";
    li.appendChild(st);
    list.appendChild(li);
    return li;
  }
  function tally() {
    var n = Object.keys(done).length;
    count.textContent = planned.length ? n + " document" + (n > 1 ? "s" : "") + " sur " + planned.length
                                       : n + " document" + (n > 1 ? "s" : "") + " fait" + (n > 1 ? "s" : "");
  }
  var events = new EventSource(box.getAttribute("data-suivi"));
  events.addEventListener("prevus", function (e) {
    planned = JSON.parse(e.data);
    planned.forEach(item);
    tally();
  });
  events.addEventListener("fait", function (e) {
    var name = JSON.parse(e.data);
    done[name] = true;
    var li = item(name);
    li.className = "fait";
    li.querySelector(".etat-doc").textContent = "fait";
    tally();
  });
  events.addEventListener("fin", function () { events.close(); window.location.reload(); });
})();
