/* The lead's live list: redrawn (htmx) when the server says the queue changed; the clocks tick here. */
(function () {
  "use strict";
  var box = document.getElementById("live");
  if (!box) { return; }
  var timer = null;
  var source = new EventSource(box.dataset.events);
  source.addEventListener("queue", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { window.htmx.trigger(box, "queue-changed"); }, 200);
  });
  source.addEventListener("presence", function () { window.htmx.trigger(box, "queue-changed"); });
  var started = Date.now();
  box.addEventListener("htmx:afterSwap", function () { started = Date.now(); });
  setInterval(function () {
    var extra = Math.floor((Date.now() - started) / 1000);
    box.querySelectorAll(".clock").forEach(function (c) {
      var s = Number(c.dataset.seconds) + extra;
      c.textContent = (s >= 60 ? Math.floor(s / 60) + "m" : "") + (s % 60) + "s";
    });
  }, 1000);
})();
