/* The visitor's chat (inside kefu's iframe). Everything a person typed is shown with textContent, never as HTML.
   Live updates come over one EventSource; each message carries its sequence number, so after a dropped
   connection the browser resumes from the last one it saw (Last-Event-ID) and nothing is lost or shown twice. */
(function () {
  "use strict";
  var root = document.getElementById("chat");
  var key = root.dataset.key, lang = root.dataset.lang;
  var prefix = root.dataset.base.replace(/w\/[^/]+\/start$/, "");
  var store = "kefu-chat-" + key;
  var token = null, last = 0, seen = {}, source = null, typingTimer = null, lastTyping = 0;
  var $ = function (id) { return document.getElementById(id); };
  var t = function (k, vars) {
    var el = document.querySelector("#t").content.querySelector('[data-k="' + k + '"]');
    var text = el ? el.textContent : k;
    Object.keys(vars || {}).forEach(function (n) { text = text.replace("{" + n + "}", vars[n]); });
    return text;
  };
  try { token = sessionStorage.getItem(store); } catch (e) { token = null; }

  function call(path, body, isForm) {
    var opts = {method: "POST", headers: {"X-Chat-Token": token || ""}};
    if (isForm) { opts.body = body; } else { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body || {}); }
    return fetch(prefix + path, opts).then(function (r) {
      return r.json().then(function (data) { if (!r.ok) { throw data.error || {message: r.status}; } return data; });
    });
  }

  function status(text) { $("status").textContent = text || ""; }

  function render(m) {
    if (seen[m.seq]) { return; }
    seen[m.seq] = true;
    last = Math.max(last, m.seq);
    var li = document.createElement("li");
    li.className = "msg " + m.kind;
    li.dataset.seq = m.seq;
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = m.kind === "customer" ? t("you") : m.kind === "agent" ? t("agent") + " " + m.author_no :
      m.kind === "assistant" ? t("assistant") : "";
    var body = document.createElement("p");
    body.textContent = m.body;
    li.appendChild(who);
    li.appendChild(body);
    if (m.image) {
      var img = document.createElement("img");
      img.alt = "";
      img.src = prefix + "v/image/" + m.seq + "?token=" + encodeURIComponent(token);
      li.appendChild(img);
    }
    if (m.meta && m.meta.articles && m.meta.articles.length) {
      var ul = document.createElement("ul");
      m.meta.articles.forEach(function (a) {
        var item = document.createElement("li"), link = document.createElement("a");
        link.href = "/help/" + encodeURIComponent(a.id) + "/";
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = a.title;
        item.appendChild(link);
        ul.appendChild(item);
      });
      li.appendChild(ul);
      if (m.meta.ask) {
        var ask = document.createElement("p");
        ask.textContent = m.meta.ask;
        var yes = document.createElement("button"), no = document.createElement("button");
        yes.type = no.type = "button";
        yes.textContent = t("yes");
        no.textContent = t("no");
        yes.dataset.testid = "helped-yes";
        yes.onclick = function () { call("v/helped", {helped: true}); };
        no.onclick = function () { call("v/helped", {helped: false}); };
        li.appendChild(ask); li.appendChild(yes); li.appendChild(no);
      }
    }
    $("log").appendChild(li);
    li.scrollIntoView({block: "end"});
  }

  function showState(state, data) {
    var live = state !== "ended" && state !== "left_message";
    $("composer").hidden = !live;
    $("end").hidden = !live;
    $("actions").hidden = state !== "assistant";
    if (state === "waiting" && data && data.position) { status(t("position", {n: data.position})); }
    else if (state === "offered") { status(t("offered")); }
    else if (state === "active") { status(data && data.agent_no ? t("active", {no: data.agent_no}) : ""); }
    else { status(""); }
    if (state === "ended") {
      $("typing").hidden = true;
      if (!(data && data.rating)) { $("rating").hidden = false; } else { $("thanks").hidden = false; }
      $("transcript").hidden = false;
    }
  }

  function connect() {
    if (source) { source.close(); }
    source = new EventSource(prefix + "v/events?token=" + encodeURIComponent(token) + "&after=" + last);
    source.addEventListener("hello", function (e) { var d = JSON.parse(e.data); status(""); showState(d.state, d); });
    source.addEventListener("message", function (e) { render(JSON.parse(e.data)); });
    source.addEventListener("state", function (e) { var d = JSON.parse(e.data); showState(d.state, d); });
    source.addEventListener("queue", function (e) { showState("waiting", JSON.parse(e.data)); });
    source.addEventListener("typing", function () {
      $("typing").hidden = false;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { $("typing").hidden = true; }, 4000);
    });
    source.onerror = function () { status(t("reconnecting")); };
    window.kefuChat = {source: source, last: function () { return last; }, reconnect: connect};
  }

  function begin() {
    if ($("prechat")) { $("prechat").hidden = true; }
    connect();
  }

  if ($("prechat")) {
    $("prechat").addEventListener("submit", function (e) {
      e.preventDefault();
      var f = e.target;
      call("w/" + key + "/start", {name: f.name.value, phone: f.phone.value, question: f.question.value, language: lang})
        .then(function (d) { token = d.token; try { sessionStorage.setItem(store, token); } catch (x) { /* private mode */ } begin(); })
        .catch(function (err) { status(err.message); });
    });
    if (token) { begin(); }
  }
  if ($("leave")) {
    $("leave").addEventListener("submit", function (e) {
      e.preventDefault();
      var f = e.target;
      call("w/" + key + "/leave", {name: f.name.value, phone: f.phone.value, email: f.email.value, body: f.body.value})
        .then(function () { f.hidden = true; $("left").hidden = false; })
        .catch(function (err) { $("leave-error").hidden = false; $("leave-error").textContent = err.message; });
    });
  }
  $("composer").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = e.target, file = f.image.files[0], p;
    $("send-error").hidden = true;
    if (file) {
      var form = new FormData();
      form.append("body", f.body.value);
      form.append("image", file);
      p = call("v/send", form, true);
    } else if (f.body.value.trim()) {
      p = call("v/send", {body: f.body.value});
    } else { return; }
    p.then(function (m) { render(m); f.body.value = ""; f.image.value = ""; })
      .catch(function (err) { $("send-error").hidden = false; $("send-error").textContent = err.message; });
  });
  $("composer").body.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); $("composer").requestSubmit(); return; }
    var now = Date.now();
    if (now - lastTyping > 2000) { lastTyping = now; call("v/typing"); }
  });
  $("emoji").addEventListener("click", function (e) {
    if (e.target.tagName !== "BUTTON") { return; }
    var area = $("composer").body;
    area.value += e.target.textContent;
    area.focus();
  });
  $("to-agent").addEventListener("click", function () { call("v/agent"); });
  $("end").addEventListener("click", function () { call("v/end"); });
  $("rating").addEventListener("submit", function (e) {
    e.preventDefault();
    var checked = e.target.querySelector("input[name=score]:checked");
    if (!checked) { return; }
    call("v/rate", {score: Number(checked.value), comment: e.target.comment.value})
      .then(function () { $("rating").hidden = true; $("thanks").hidden = false; });
  });
  $("transcript").addEventListener("submit", function (e) {
    e.preventDefault();
    var to = e.target.to.value.trim();
    call("v/transcript", to.indexOf("@") > 0 ? {email: to} : {phone: to})
      .then(function () { e.target.hidden = true; status(t("sent")); })
      .catch(function (err) { status(err.message); });
  });
})();
