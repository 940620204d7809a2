// Readings entered on the phone survive a weak connection: each entry gets an idempotency key when it is
// typed, waits in localStorage, and is sent (and re-sent after a dropped answer) until the server answers;
// the server stores a key once, so a retry never makes a second reading.
(function () {
  "use strict";
  const root = document.querySelector("[data-testid=reading-day]");
  if (!root) return;
  const STORE = "kefu.utility.pending";
  const endpoint = root.dataset.endpoint;
  const state = document.getElementById("sync-state");
  const text = (id) => (document.getElementById(id) || {}).innerHTML || "";
  const csrf = (JSON.parse(document.body.getAttribute("hx-headers") || "{}"))["X-CSRFToken"] || "";

  const load = () => { try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; } };
  const save = (items) => localStorage.setItem(STORE, JSON.stringify(items));
  const key = () => (crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + Math.random().toString(16).slice(2));

  function show() {
    const pending = load().length;
    state.textContent = (navigator.onLine ? state.dataset.online : state.dataset.offline) +
      (pending ? " " + pending + " " + state.dataset.pending : "");
    for (const item of load()) mark(item.meter_id, text("msg-queued"), "warn");
  }

  function mark(meterId, message, cls) {
    const li = root.querySelector('li[data-meter="' + meterId + '"]');
    if (!li) return;
    const span = li.querySelector(".entry-state");
    if (span) { span.textContent = message; span.className = "entry-state small " + (cls || ""); }
    if (cls === "ok") li.classList.add("done");
  }

  async function send(item) {
    const response = await fetch(endpoint, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(item),
    });
    const body = await response.json().catch(() => ({}));
    return {status: response.status, body: body};
  }

  let flushing = false;
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      for (const item of load()) {
        let answer;
        try { answer = await send(item); } catch (e) { break; }  // still offline: keep everything
        if (answer.status === 422 && answer.body.error && answer.body.error.code === "confirm_needed") {
          if (!window.confirm(text("msg-confirm"))) { drop(item.idempotency_key); mark(item.meter_id, "", ""); continue; }
          item.confirm = true;
          replace(item);
          try { answer = await send(item); } catch (e) { break; }
        }
        if (answer.status === 200 || answer.status === 201) {
          drop(item.idempotency_key);
          mark(item.meter_id, answer.body.flag === "lower_than_last" ? text("msg-lower") : text("msg-saved"), "ok");
        } else if (answer.status >= 400 && answer.status < 500) {
          drop(item.idempotency_key);  // refused for good (already read, not your route): show why
          mark(item.meter_id, (answer.body.error || {}).message || String(answer.status), "warn");
        } else {
          break;  // a server error: try again later
        }
      }
    } finally {
      flushing = false;
      show();
    }
  }

  function drop(k) { save(load().filter((i) => i.idempotency_key !== k)); }
  function replace(item) { save(load().map((i) => (i.idempotency_key === item.idempotency_key ? item : i))); }

  root.addEventListener("submit", (event) => {
    const form = event.target.closest(".reading-form");
    if (!form) return;
    event.preventDefault();
    const li = form.closest("li");
    const value = parseInt(form.value.value, 10);
    if (Number.isNaN(value)) return;
    const items = load().filter((i) => i.meter_id !== Number(li.dataset.meter));
    items.push({meter_id: Number(li.dataset.meter), value: value, photo_ref: form.photo_ref.value,
                read_at: new Date().toISOString(), idempotency_key: key(), confirm: false});
    save(items);
    mark(li.dataset.meter, text("msg-queued"), "warn");
    flush();
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  setInterval(flush, 30000);
  show();
  flush();
})();
