// Small behaviours of every page, bound here because the Content-Security-Policy
// forbids inline handlers (onclick=, onsubmit=):
// - <button data-print>: print the page;
// - <form data-confirm="Câu hỏi?">: ask before submitting.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
