// The contact form's character count, kept up to date while typing. Without JavaScript the
// count shown is the one of the text last sent, and the server checks the limit either way.
(function () {
  "use strict";
  var box = document.getElementById("id_question");
  var count = document.getElementById("question-count");
  var number = count && count.querySelector("[data-count]");
  if (!box || !number) return;
  var limit = parseInt(count.getAttribute("data-limit"), 10);
  function update() {
    // As the server counts: characters, with each line break sent as two (CR LF).
    var text = box.value;
    var used = Array.from(text).length + (text.match(/\n/g) || []).length;
    number.textContent = used.toLocaleString();
    count.classList.toggle("over-limit", used > limit);
  }
  box.addEventListener("input", update);
  update();
})();

// After a refused post, start at the summary of what to fix (its links lead to the fields).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
