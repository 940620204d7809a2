/* The agent's chat desk: several chats side by side over one EventSource. Messages are numbered per chat; a pane
   keeps the last number it showed and fills any gap (or a reconnect) from the JSON endpoint, so nothing is lost
   or shown twice. Text is always put in with textContent. */
(function () {
  "use strict";
  var root = document.getElementById("desk");
  if (!root) { return; }
  var base = "/chat/";
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  var phrases = JSON.parse(document.getElementById("desk-phrases").textContent);
  var panes = {}, source = null, connectedOnce = false;
  var t = function (k, vars) {
    var el = document.getElementById("desk-t").content.querySelector('[data-k="' + k + '"]');
    var text = el ? el.textContent : k;
    Object.keys(vars || {}).forEach(function (n) { text = text.replace("{" + n + "}", vars[n]); });
    return text;
  };

  function post(path, body, isForm) {
    var opts = {method: "POST", headers: {"X-CSRFToken": csrf}, credentials: "same-origin"};
    if (isForm) { opts.body = body; } else { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body || {}); }
    return fetch(base + path, opts).then(function (r) {
      return r.json().then(function (d) { if (!r.ok) { throw d.error || {message: String(r.status)}; } return d; });
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function renderMessage(pane, m) {
    if (pane.seen[m.seq]) { return; }
    pane.seen[m.seq] = true;
    pane.last = Math.max(pane.last, m.seq);
    var li = el("li", "msg " + m.kind);
    li.dataset.seq = m.seq;
    var who = m.kind === "customer" ? t("customer") : m.kind === "agent" ? t("agent") + " " + m.author_no :
      m.kind === "whisper" ? t("whisper") + " · " + m.author_name : m.kind === "assistant" ? t("assistant") : "";
    li.appendChild(el("span", "who", who));
    li.appendChild(el("p", "", m.body));
    if (m.image) {
      var img = el("img");
      img.alt = "";
      img.src = base + "c/" + m.conv + "/image/" + m.seq;
      li.appendChild(img);
    }
    if (m.meta && m.meta.articles && m.meta.articles.length) {
      var ul = el("ul", "small");
      m.meta.articles.forEach(function (a) {
        var item = el("li"), link = el("a", "", a.title);
        link.href = "/help/" + encodeURIComponent(a.id) + "/";
        link.target = "_blank";
        item.appendChild(link);
        ul.appendChild(item);
      });
      li.appendChild(ul);
    }
    var log = pane.el.querySelector(".log");
    var after = Array.prototype.find.call(log.children, function (c) { return Number(c.dataset.seq) > m.seq; });
    log.insertBefore(li, after || null);
    log.scrollTop = log.scrollHeight;
  }

  function renderVisitor(pane, v) {
    var box = pane.el.querySelector(".visitor");
    box.textContent = "";
    box.appendChild(el("strong", "", (v.customer && v.customer.name) || v.name || "—"));
    if (v.customer) { box.appendChild(el("div", "badge", v.customer.tier)); }
    if (v.phone) { box.appendChild(el("div", "", v.phone)); }
    if (v.email) { box.appendChild(el("div", "", v.email)); }
    if (v.tickets.length) {
      box.appendChild(el("div", "muted", t("tickets")));
      var ul = el("ul");
      v.tickets.forEach(function (x) {
        var li = el("li"), a = el("a", "", x.number + " " + x.title);
        a.href = "/tickets/" + x.id + "/";
        a.target = "_blank";
        li.appendChild(a);
        li.appendChild(el("span", "muted", " · " + x.channel + " · " + x.status));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    if (v.chats.length) {
      box.appendChild(el("div", "muted", t("chats")));
      var ul2 = el("ul");
      v.chats.forEach(function (c) { ul2.appendChild(el("li", "", c.at.slice(0, 10) + " " + c.question)); });
      box.appendChild(ul2);
    }
  }

  function setState(pane, state) {
    pane.state = state;
    pane.el.querySelector(".state").textContent = state === "ended" ? t("ended") : state;
    pane.el.querySelector(".compose").hidden = state !== "active";
  }

  function catchUp(pane) {
    return fetch(base + "c/" + pane.id + "/?after=" + pane.last, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        d.messages.forEach(function (m) { renderMessage(pane, m); });
        setState(pane, d.state);
        pane.visitor = d.visitor;
        renderVisitor(pane, d.visitor);
        pane.el.querySelector(".title").textContent = t("chat") + " #" + d.id + " · " + (d.visitor.name || "");
      });
  }

  function openPane(id) {
    if (panes[id]) { return catchUp(panes[id]); }
    document.getElementById("empty").hidden = true;
    var node = document.getElementById("pane-template").content.firstElementChild.cloneNode(true);
    node.dataset.conv = id;
    var pane = {id: id, el: node, last: 0, seen: {}, state: ""};
    panes[id] = pane;
    var select = node.querySelector(".phrase");
    phrases.forEach(function (p) { var o = el("option", "", p.title); o.value = p.id; select.appendChild(o); });
    select.addEventListener("change", function () {
      var p = phrases.find(function (x) { return String(x.id) === select.value; });
      if (p) {
        var name = (pane.visitor && ((pane.visitor.customer && pane.visitor.customer.name) || pane.visitor.name)) || "";
        node.querySelector("textarea").value += p.text.split("{customer_name}").join(name);
      }
      select.value = "";
    });
    var form = node.querySelector(".compose"), error = node.querySelector(".form-error");
    var lastTyping = 0;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      error.textContent = "";
      var file = form.image.files[0], p;
      if (file) {
        var fd = new FormData();
        fd.append("body", form.body.value);
        fd.append("image", file);
        p = post("c/" + id + "/send", fd, true);
      } else if (form.body.value.trim()) {
        p = post("c/" + id + "/send", {body: form.body.value});
      } else { return; }
      p.then(function (m) { renderMessage(pane, m); form.body.value = ""; form.image.value = ""; })
        .catch(function (err) { error.textContent = err.message; });
    });
    form.body.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); return; }
      if (Date.now() - lastTyping > 2000) { lastTyping = Date.now(); post("c/" + id + "/typing"); }
    });
    node.querySelector(".end").addEventListener("click", function () {
      post("c/" + id + "/end").catch(function (err) { error.textContent = err.message; });
    });
    node.querySelector(".ticket").addEventListener("click", function () {
      var open = pane.visitor && pane.visitor.tickets.find(function (x) { return x.open; });
      post("c/" + id + "/ticket", open ? {ticket: open.id} : {})
        .then(function (d) { error.textContent = t("ticket_made", {n: d.number}); })
        .catch(function (err) { error.textContent = err.message; });
    });
    var tf = node.querySelector(".transfer");
    node.querySelector(".transfer-toggle").addEventListener("click", function () { tf.hidden = !tf.hidden; });
    tf.addEventListener("submit", function (e) {
      e.preventDefault();
      post("c/" + id + "/transfer", {to_user: tf.to_user.value, to_team: tf.to_team.value, note: tf.note.value})
        .then(function () { closePane(id); })
        .catch(function (err) { error.textContent = err.message; });
    });
    document.getElementById("panes").appendChild(node);
    return catchUp(pane);
  }

  function closePane(id) {
    var pane = panes[id];
    if (pane) { pane.el.remove(); delete panes[id]; }
  }

  function showOffer(id) {
    if (document.getElementById("offer-" + id)) { return; }
    var box = el("div", "offer");
    box.id = "offer-" + id;
    box.appendChild(el("span", "", t("offer") + " #" + id + " "));
    var b = el("button", "primary", t("accept"));
    b.dataset.testid = "accept";
    b.addEventListener("click", function () {
      post("c/" + id + "/accept").then(function () { box.remove(); openPane(id); })
        .catch(function (err) { box.remove(); window.alert(err.message); });
    });
    box.appendChild(b);
    document.getElementById("offers").appendChild(box);
  }

  function connect() {
    source = new EventSource(root.dataset.events);
    var status = document.getElementById("link-status");
    source.addEventListener("hello", function () {
      status.textContent = "";
      if (connectedOnce) { Object.keys(panes).forEach(function (id) { catchUp(panes[id]); }); }
      connectedOnce = true;
    });
    source.addEventListener("offer", function (e) { showOffer(JSON.parse(e.data).conv); });
    source.addEventListener("offer_gone", function (e) {
      var box = document.getElementById("offer-" + JSON.parse(e.data).conv);
      if (box) { box.remove(); }
    });
    source.addEventListener("assigned", function (e) { openPane(JSON.parse(e.data).conv); });
    source.addEventListener("released", function (e) { closePane(JSON.parse(e.data).conv); });
    source.addEventListener("message", function (e) {
      var m = JSON.parse(e.data), pane = panes[m.conv];
      if (!pane) { return; }
      if (m.seq > pane.last + 1) { catchUp(pane); } else { renderMessage(pane, m); }
    });
    source.addEventListener("state", function (e) {
      var d = JSON.parse(e.data);
      Object.keys(panes).forEach(function (id) { if (d.conv === undefined || String(d.conv) === id) { catchUp(panes[id]); } });
    });
    source.addEventListener("typing", function (e) {
      var pane = panes[JSON.parse(e.data).conv];
      if (!pane) { return; }
      var tp = pane.el.querySelector(".typing");
      tp.hidden = false;
      clearTimeout(pane.typingTimer);
      pane.typingTimer = setTimeout(function () { tp.hidden = true; }, 4000);
    });
    source.addEventListener("presence", function (e) {
      var d = JSON.parse(e.data);
      document.getElementById("capacity").textContent = d.chats + " / " + d.capacity;
      document.getElementById("presence").value = d.state;
    });
    source.onerror = function () { status.textContent = t("offline"); };
  }

  document.getElementById("presence").addEventListener("change", function (e) {
    post("desk/state", {state: e.target.value});
  });
  JSON.parse(document.getElementById("desk-data").textContent).chats.forEach(function (c) {
    if (c.state === "offered") { showOffer(c.id); } else { openPane(c.id); }
  });
  connect();
})();
