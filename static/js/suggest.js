/* Suggested questions under the search box, as an ARIA combobox.
 *
 * Only an enhancement: without it the form searches as before. While a Japanese
 * input method is composing (compositionstart .. compositionend) nothing is fetched
 * and the form is never submitted, so half-converted text never leaves the box.
 */
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  if (!input || !window.fetch || input.dataset.suggestReady) return;
  input.dataset.suggestReady = "1";
  var form = input.form;
  var listId = "search-q-suggestions";
  var list = document.createElement("ul");
  list.id = listId;
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.dataset.suggestLabel);
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.closest(".search-row").after(list, status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  var composing = false;
  var imeKey = false;
  var timer = null;
  var pending = null;
  var active = -1;
  var items = [];
  var announced = null;

  function close() {
    announced = null;
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function show(suggestions) {
    list.textContent = "";
    items = suggestions;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    suggestions.forEach(function (suggestion, index) {
      var option = document.createElement("li");
      option.id = listId + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = suggestion.question;
      if (suggestion.language) { option.setAttribute("lang", suggestion.language); }
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep focus in the box
        window.location.href = suggestion.url;
      });
      list.appendChild(option);
    });
    var open = suggestions.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (announced !== suggestions.length) { // say it once, not after every pause in typing
      announced = suggestions.length;
      status.textContent = open
        ? input.dataset.suggestSome.replace("{count}", String(suggestions.length))
        : input.dataset.suggestNone;
    }
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (composing || query.length < 2) {
      if (!composing) close();
      return;
    }
    if (pending) pending.abort();
    pending = new AbortController();
    var url = input.dataset.suggestUrl + "?lang=" + encodeURIComponent(input.dataset.suggestLang) +
      "&q=" + encodeURIComponent(query);
    fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) {
        if (!composing && input.value.trim() === query) show(data.suggestions || []);
      })
      .catch(function () { /* aborted or offline: the form still works */ });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 250);
  }

  function choose(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  input.addEventListener("compositionstart", function () {
    composing = true;
    window.clearTimeout(timer);
  });
  input.addEventListener("compositionend", function () {
    composing = false;
    schedule();
  });
  input.addEventListener("input", function (event) {
    if (composing || event.isComposing) return;
    schedule();
  });
  input.addEventListener("keydown", function (event) {
    // 229: the key went to the input method (Safari ends composition before this keydown).
    imeKey = composing || event.isComposing || event.keyCode === 229;
    if (imeKey) return;
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      choose((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      choose(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].url;
    }
  });
  input.addEventListener("keyup", function () {
    imeKey = false; // a submit between keydown and keyup was that key's
  });
  input.addEventListener("blur", function () {
    window.setTimeout(close, 150);
  });
  form.addEventListener("submit", function (event) {
    if (composing || imeKey) {
      event.preventDefault(); // the Enter that confirmed a conversion is not a search
      imeKey = false;
    }
  });
})();
