/* The operator console, made quick: results while typing, keys for everything.
   Without this file the console works as plain forms (search, use, save). */
(function () {
  "use strict";
  var root = document.querySelector(".console");
  var form = document.getElementById("console-form");
  if (!root || !form) return;

  var searchUrl = root.getAttribute("data-search-url");
  var box = form.querySelector('input[name="q"]');
  var languageSelect = form.querySelector('select[name="search_lang"]');
  var resultsArea = document.getElementById("console-results");
  var preview = document.getElementById("console-preview");
  var usedList = document.getElementById("used-list");
  var usedInputs = document.getElementById("used-inputs");
  var settledQuery = form.querySelector('input[name="settled_q"]');
  var settledTotal = form.querySelector('input[name="settled_total"]');
  var saveButton = document.getElementById("save-inquiry");
  var composing = false;
  var timer = null;
  var pending = null;
  var active = -1;
  var shown = { query: "", total: 0 };

  /* The call timer, from the moment the form opened. */
  var clock = document.getElementById("call-timer");
  if (clock) {
    var since = Date.parse(clock.getAttribute("data-since")) || Date.now();
    var tick = function () {
      var seconds = Math.max(0, Math.floor((Date.now() - since) / 1000));
      var minutes = Math.floor(seconds / 60);
      clock.textContent = minutes + ":" + String(seconds % 60).padStart(2, "0");
    };
    tick();
    window.setInterval(tick, 1000);
  }

  function options() {
    return Array.prototype.slice.call(resultsArea.querySelectorAll(".console-result"));
  }

  /* Results become a listbox the search box points into (aria-activedescendant); the no-script
     buttons and full texts step aside for the preview pane. */
  function enhance() {
    var list = resultsArea.querySelector(".console-results");
    var count = resultsArea.querySelector(".results-count");
    shown.query = count ? count.getAttribute("data-query") || "" : "";
    shown.total = count ? parseInt(count.getAttribute("data-total"), 10) || 0 : 0;
    active = -1;
    box.removeAttribute("aria-activedescendant");
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    if (!list) {
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-controls");
      preview.hidden = true;
      return;
    }
    list.setAttribute("role", "listbox");
    box.setAttribute("aria-controls", list.id);
    box.setAttribute("aria-expanded", "true");
    options().forEach(function (option, index) {
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.querySelectorAll(".use-answer, .result-full").forEach(function (part) {
        part.hidden = true;
      });
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); /* keep the focus in the search box */
      });
      option.addEventListener("click", function () {
        choose(index);
        useAnswer(option);
      });
    });
  }

  function choose(index) {
    var all = options();
    if (!all.length) return;
    active = (index + all.length) % all.length;
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === active ? "true" : "false");
      option.classList.toggle("active", i === active);
    });
    var option = all[active];
    box.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
    var full = option.querySelector(".result-full .answer");
    if (full) {
      preview.innerHTML = "";
      var heading = document.createElement("h3");
      heading.textContent = option.getAttribute("data-question");
      preview.appendChild(heading);
      preview.appendChild(full.cloneNode(true));
      preview.hidden = false;
    }
  }

  function search(now) {
    window.clearTimeout(timer);
    var run = function () {
      var query = box.value.trim();
      var params = new URLSearchParams({ q: query, search_lang: languageSelect.value });
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(searchUrl + "?" + params.toString(), {
        signal: pending.signal,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          resultsArea.innerHTML = html;
          enhance();
        })
        .catch(function () {
          /* aborted by a newer search, or the network: the Search button still works */
        });
    };
    if (now) run();
    else timer = window.setTimeout(run, 200);
  }

  function appendText(field, text) {
    if (!field || !text) return;
    field.value = field.value.trim() ? field.value.replace(/\s+$/, "") + "\n\n" + text : text;
  }

  function useAnswer(option) {
    var id = option.getAttribute("data-article");
    if (usedInputs.querySelector('input[value^="' + id + '|"]')) return;
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "used";
    input.value = id + "|" + shown.total + "|" + shown.query;
    usedInputs.appendChild(input);
    settledQuery.value = shown.query;
    settledTotal.value = String(shown.total);

    var none = usedList.querySelector(".used-none");
    if (none) none.remove();
    var item = document.createElement("li");
    item.setAttribute("data-article", id);
    item.textContent = option.getAttribute("data-question") + " ";
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button-link";
    drop.textContent = usedList.getAttribute("data-remove-label") || "×";
    drop.setAttribute("aria-label", (usedList.getAttribute("data-remove-label") || "") + " " + option.getAttribute("data-question"));
    drop.addEventListener("click", function () {
      input.remove();
      item.remove();
    });
    item.appendChild(drop);
    usedList.appendChild(item);

    var template = option.querySelector("template.copy-text");
    appendText(form.elements.answer, template ? template.content.textContent.trim() : "");
    if (!form.elements.summary.value.trim()) form.elements.summary.value = option.getAttribute("data-question");
    var category = option.getAttribute("data-category");
    if (category && !form.elements.category.value) form.elements.category.value = category;
    announce((usedList.getAttribute("data-used-label") || "") + " " + option.getAttribute("data-question"));
  }

  var liveRegion = document.createElement("p");
  liveRegion.className = "visually-hidden";
  liveRegion.setAttribute("role", "status");
  root.appendChild(liveRegion);
  function announce(text) {
    liveRegion.textContent = "";
    window.setTimeout(function () {
      liveRegion.textContent = text;
    }, 50);
  }

  box.addEventListener("compositionstart", function () {
    composing = true;
  });
  box.addEventListener("compositionend", function () {
    composing = false;
    search(false);
  });
  box.addEventListener("input", function (event) {
    if (composing || event.isComposing) return;
    search(false);
  });
  box.addEventListener("keydown", function (event) {
    if (event.isComposing || composing || event.keyCode === 229) return; /* the input method's Enter */
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      choose(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      var all = options();
      if (active >= 0 && all[active]) useAnswer(all[active]);
      else search(true);
    } else if (event.key === "Escape") {
      active = -1;
      options().forEach(function (option) {
        option.setAttribute("aria-selected", "false");
        option.classList.remove("active");
      });
      box.removeAttribute("aria-activedescendant");
    }
  });
  languageSelect.addEventListener("change", function () {
    search(true);
  });

  function check(name, value) {
    var radio = form.querySelector('input[name="' + name + '"][value="' + value + '"]');
    if (radio) {
      radio.checked = true;
      announce(radio.parentNode.textContent.trim());
    }
  }

  var kinds = { q: "question", c: "consultation", r: "request", p: "proposal", k: "complaint" };
  var outcomes = { 1: "resolved", 2: "escalated", 3: "transferred", 4: "abandoned", 0: "" };
  var typing = /^(INPUT|TEXTAREA|SELECT)$/;

  document.addEventListener("keydown", function (event) {
    if (event.isComposing || event.keyCode === 229) return;
    var survey = document.getElementById("survey-panel");
    if (survey && !event.altKey && !event.ctrlKey && !event.metaKey && /^[0-5]$/.test(event.key)) {
      var answer = survey.querySelector('[data-key="' + event.key + '"]');
      if (answer) {
        event.preventDefault();
        answer.click();
      }
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      form.requestSubmit(saveButton);
    } else if (event.altKey && !event.ctrlKey) {
      var key = event.key.toLowerCase();
      var code = (event.code || "").replace(/^Key|^Digit/, "").toLowerCase();
      if (kinds[code]) {
        event.preventDefault();
        check("kind", kinds[code]);
      } else if (code in outcomes) {
        event.preventDefault();
        check("outcome", outcomes[code]);
      } else if (code === "j" || key === "j") {
        event.preventDefault();
        languageSelect.value = languageSelect.value === "ja" ? languageSelect.getAttribute("data-caller") || "ja" : "ja";
        search(true);
        announce(languageSelect.options[languageSelect.selectedIndex].textContent);
      }
    } else if (event.key === "/" && !typing.test(document.activeElement.tagName)) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  /* The caller's language decides the search language until the operator picks one. */
  var callerLanguage = form.elements.language;
  languageSelect.setAttribute("data-caller", languageSelect.value);
  if (callerLanguage) {
    callerLanguage.addEventListener("change", function () {
      var wanted = callerLanguage.value === "other" ? "ja" : callerLanguage.value;
      if (languageSelect.querySelector('option[value="' + wanted + '"]')) {
        languageSelect.value = wanted;
        languageSelect.setAttribute("data-caller", wanted);
        if (box.value.trim()) search(true);
      }
    });
  }

  /* A second press of Save while the first is on its way sends nothing more. */
  form.addEventListener("submit", function (event) {
    if (event.submitter === saveButton) {
      if (form.getAttribute("data-saving")) {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-saving", "1");
    }
  });

  enhance();
})();
