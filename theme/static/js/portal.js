// Enhancements only: every control below has a working fallback without JavaScript.
document.querySelectorAll('[data-action="print"]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});

// Click to load: a video hosted elsewhere is a plain link until the reader clicks it;
// then its frame replaces the link (the page loaded nothing from that host before).
document.querySelectorAll(".embed[data-embed-src]").forEach(function (box) {
  var link = box.querySelector(".embed__link");
  if (!link) { return; }
  link.addEventListener("click", function (event) {
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = box.getAttribute("data-embed-src");
    frame.title = box.getAttribute("data-embed-title") || "Video";
    frame.width = box.getAttribute("data-embed-width") || "560";
    frame.height = box.getAttribute("data-embed-height") || "315";
    frame.allowFullscreen = true;
    frame.className = "embed__frame";
    box.replaceChildren(frame);
    frame.focus();
  });
});
