/* kefu chat: <script src="{{ base }}/chat/embed.js" data-widget="KEY" async></script> adds a chat button that
   opens the chat in an iframe served by kefu (nothing loaded from elsewhere). */
(function () {
  var me = document.currentScript;
  if (!me) { return; }
  var key = me.getAttribute("data-widget");
  var lang = me.getAttribute("data-lang") || ((navigator.language || "zh").toLowerCase().indexOf("en") === 0 ? "en" : "zh-hans");
  var base = "{{ base|escapejs }}";
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = lang === "en" ? "Chat with us" : "在线客服";
  button.setAttribute("data-kefu-chat", "open");
  button.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483646;padding:10px 16px;border:0;border-radius:20px;background:#1f6feb;color:#fff;font-size:15px;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.25)";
  var frame = null;
  button.addEventListener("click", function () {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = base + "/chat/w/" + encodeURIComponent(key) + "/?lang=" + encodeURIComponent(lang);
      frame.title = button.textContent;
      frame.setAttribute("data-kefu-chat", "frame");
      frame.style.cssText = "position:fixed;right:16px;bottom:64px;z-index:2147483647;width:min(380px,calc(100vw - 32px));height:min(600px,calc(100vh - 96px));border:1px solid #ccd;border-radius:8px;background:#fff;box-shadow:0 4px 16px rgba(0,0,0,.25)";
      document.body.appendChild(frame);
    } else {
      frame.style.display = frame.style.display === "none" ? "" : "none";
    }
  });
  document.body.appendChild(button);
})();
