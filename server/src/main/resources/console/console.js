// The console's only script (CSP 'self': no inline script anywhere). Copy buttons, confirmations, and the live
// status block fed by server-sent events; htmx does the partial updates of forms.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest("button.copy");
    if (!button) return;
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector(".copied");
    var text = source ? source.textContent.trim() : "";
    navigator.clipboard.writeText(text).then(function () {
      if (status) status.textContent = "Copied";
    }, function () {
      if (status) status.textContent = "Select the text and copy it";
    });
  });
  document.addEventListener("submit", function (e) {
    var message = e.target.dataset.confirm;
    if (message && !window.confirm(message)) e.preventDefault();
  });
  function watch() {
    var live = document.getElementById("live");
    if (!live || !live.dataset.events || !window.EventSource) return;
    var events = new EventSource(live.dataset.events);
    events.addEventListener("status", function (e) { live.innerHTML = e.data; });
    events.addEventListener("gone", function () { events.close(); live.textContent = "This instance is gone."; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch); else watch();
})();
