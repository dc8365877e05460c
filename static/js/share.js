// "Copy link" beside a shared view's address: copies the address the link shows. Without the clipboard API (plain
// HTTP on another machine) the address stays selected for the reader to copy by hand.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var link = document.getElementById(button.getAttribute("data-copy"));
  var status = button.parentNode.querySelector("[data-copy-status]");
  function said(words) { if (status) status.textContent = words; }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(link.href).then(function () { said("Link copied."); },
      function () { said("Select the address above to copy it."); });
  } else {
    var range = document.createRange();
    range.selectNodeContents(link);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    said("The address is selected: copy it (Ctrl+C).");
  }
});
