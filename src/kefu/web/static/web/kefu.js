// kefu's own few lines of script; everything else is server-rendered HTML and htmx attributes.
(function () {
  "use strict";

  // Quick phrases (快捷短语): a button carries the text, already filled in by the server for this ticket;
  // it goes in at the cursor of the textarea it names, so the agent keeps typing where they were.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-into]");
    if (!button) return;
    event.preventDefault();
    var area = document.getElementById(button.dataset.insertInto);
    if (!area) return;
    var text = button.dataset.text || "";
    var start = area.selectionStart || 0, end = area.selectionEnd || 0;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.focus();
    area.selectionStart = area.selectionEnd = start + text.length;
  });

  // Ctrl+Enter sends the form the agent is typing in (reply, note, new ticket) without reaching for the mouse.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var form = event.target.closest && event.target.closest("form");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
    }
  });

  // The screen pop's poll says which call it already shows, so an unchanged pop costs a 204 and no redraw.
  // (Here and not in an hx-vals "js:" expression: the Content-Security-Policy allows no eval.)
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt || event.detail.elt.id !== "screen-pop") return;
    var shown = document.querySelector("#screen-pop [data-call]");
    event.detail.parameters.shown = (shown && shown.dataset.call) || "";
  });

  // Print buttons (no inline onclick: the Content-Security-Policy allows no inline script).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
