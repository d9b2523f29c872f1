// The "insert figure" button of a report section's editor: puts {{ key }} at the cursor.
// (A static file: the Content-Security-Policy runs no inline script.)
(function () {
  var button = document.getElementById("figure-insert");
  if (!button) return;
  button.addEventListener("click", function () {
    var area = document.getElementById("id_body");
    var token = "{{" + document.getElementById("figure-picker").value + "}}";
    var start = area.selectionStart || area.value.length, end = area.selectionEnd || start;
    area.value = area.value.slice(0, start) + token + area.value.slice(end);
    area.focus();
    area.selectionStart = area.selectionEnd = start + token.length;
  });
})();
