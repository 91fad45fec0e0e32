// Enhancements only: every control below has a working fallback without JavaScript.
document.querySelectorAll('[data-action="print"]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
