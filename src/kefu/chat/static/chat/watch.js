/* One chat, read-only, for the team lead: every line live (whispers included), whisper and take over. */
(function () {
  "use strict";
  var box = document.getElementById("watch");
  if (!box) { return; }
  var id = box.dataset.conv, log = document.getElementById("watch-log"), seen = {};
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  var label = function (k) { var e = document.getElementById("desk-t").content.querySelector('[data-k="' + k + '"]'); return e ? e.textContent : ""; };
  function post(path, body) {
    return fetch("/chat/c/" + id + "/" + path, {method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": csrf, "Content-Type": "application/json"}, body: JSON.stringify(body || {})})
      .then(function (r) { return r.json().then(function (d) { if (!r.ok) { throw d.error; } return d; }); });
  }
  function render(m) {
    if (seen[m.seq]) { return; }
    seen[m.seq] = true;
    var li = document.createElement("li"), who = document.createElement("span"), p = document.createElement("p");
    li.className = "msg " + m.kind;
    li.dataset.seq = m.seq;
    who.className = "who";
    who.textContent = (label(m.kind) || "") + " " + (m.author_no || "");
    p.textContent = m.body;
    li.appendChild(who);
    li.appendChild(p);
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }
  var source = new EventSource(box.dataset.events);
  source.addEventListener("message", function (e) { render(JSON.parse(e.data)); });
  document.getElementById("whisper").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = e.target;
    post("whisper", {body: f.body.value}).then(function (m) { render(m); f.body.value = ""; })
      .catch(function (err) { document.getElementById("watch-error").textContent = err.message; });
  });
  document.getElementById("takeover").addEventListener("click", function () {
    post("takeover").then(function () { window.location.href = "/chat/desk/"; })
      .catch(function (err) { document.getElementById("watch-error").textContent = err.message; });
  });
})();
