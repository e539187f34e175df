/* The console's session: typing keeps it alive, a warning comes before it ends, and what was
   typed is kept in this tab (sessionStorage) and put back after signing in again.
   Without this file the session simply ends after its idle time. */
(function () {
  "use strict";
  var status = document.getElementById("session-status");
  var form = document.getElementById("console-form");
  if (!status || !form || !window.fetch || !window.sessionStorage) return;

  var keepAliveUrl = status.getAttribute("data-keep-alive-url");
  var loginUrl = status.getAttribute("data-login-url");
  var csrf = form.querySelector('input[name="csrfmiddlewaretoken"]');
  var WARN_MS = 2 * 60 * 1000;
  var PING_MS = 4 * 60 * 1000;
  var KEY = "console-draft";
  var SKIP = { csrfmiddlewaretoken: true, settled_q: true, settled_total: true, used: true };
  var typed = false;
  var lastPing = Date.now();
  var absoluteEnd = false;
  var timers = [];

  function fields() {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !SKIP[field.name] && !/^(submit|button|file|reset)$/.test(field.type);
    });
  }

  function saveDraft() {
    var draft = {};
    fields().forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") {
        draft[field.name] = draft[field.name] || [];
        if (field.checked) draft[field.name].push(field.value);
      } else {
        draft[field.name] = field.value;
      }
    });
    try { sessionStorage.setItem(KEY, JSON.stringify(draft)); } catch (error) { /* storage full or off */ }
  }

  function restoreDraft() {
    var draft = null;
    try { draft = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (error) { draft = null; }
    if (!draft) return;
    fields().forEach(function (field) {
      if (!(field.name in draft)) return;
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = draft[field.name].indexOf(field.value) !== -1;
      } else {
        field.value = draft[field.name];
      }
    });
    say(status.getAttribute("data-restored"), false);
  }

  function say(text, offerToStay) {
    status.textContent = text;
    if (offerToStay) {
      var stay = document.createElement("button");
      stay.type = "button";
      stay.className = "button";
      stay.textContent = status.getAttribute("data-stay");
      stay.addEventListener("click", ping);
      status.appendChild(document.createTextNode(" "));
      status.appendChild(stay);
    }
    status.hidden = false;
  }

  function schedule(seconds) {
    timers.forEach(window.clearTimeout);
    status.hidden = true;
    timers = [
      window.setTimeout(function () {
        var minutes = String(Math.max(1, Math.round(Math.min(seconds * 1000, WARN_MS) / 60000)));
        var text = status.getAttribute(absoluteEnd ? "data-warning-final" : "data-warning");
        say(text.replace("{minutes}", minutes), !absoluteEnd);
      }, Math.max(0, seconds * 1000 - WARN_MS)),
      window.setTimeout(ended, seconds * 1000)
    ];
  }

  function ended() {
    timers.forEach(window.clearTimeout);
    say(status.getAttribute("data-ended"), false);
    var again = document.createElement("a");
    again.href = loginUrl + "?next=" + encodeURIComponent(window.location.pathname);
    again.textContent = status.getAttribute("data-sign-in");
    status.appendChild(document.createTextNode(" "));
    status.appendChild(again);
  }

  function ping() {
    lastPing = Date.now();
    typed = false;
    return window.fetch(keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "" }
    })
      .then(function (response) {
        if (response.status === 401) { ended(); return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (!answer) return;
        absoluteEnd = answer.absolute_seconds <= answer.idle_seconds;
        schedule(Math.min(answer.idle_seconds, answer.absolute_seconds));
      })
      .catch(function () { /* offline for a moment: the next keystroke tries again */ });
  }

  /* Back from the sign-in page: put back what was typed. Any other arrival is a new call. */
  if (document.referrer && new URL(document.referrer).pathname === loginUrl) {
    restoreDraft();
  } else {
    try { sessionStorage.removeItem(KEY); } catch (error) { /* nothing kept */ }
  }

  form.addEventListener("input", function () {
    saveDraft();
    typed = true;
    if (Date.now() - lastPing > PING_MS) ping();
  });
  form.addEventListener("change", saveDraft);
  /* Still typed into, but quiet (listening to the caller): keep it alive on the same beat. */
  window.setInterval(function () {
    if (typed && Date.now() - lastPing > PING_MS) ping();
  }, 30 * 1000);
  ping();
})();
