// Drag-and-drop for the upload form: files dropped on the zone go into the form's <input type=file multiple>,
// and the chosen names are listed (with a warning for any over the size limit). Without JavaScript the plain
// file input still works; the server checks everything again.
(function () {
  "use strict";
  var form = document.querySelector("form.upload");
  if (!form) return;
  var zone = form.querySelector("[data-dropzone]");
  var input = form.querySelector("input[type=file]");
  var list = form.querySelector("[data-chosen]");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;

  function showChosen() {
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + Math.ceil(file.size / 1024) + " KB)";
      if (maxBytes && file.size > maxBytes) {
        item.className = "too-big";
        item.textContent += " — over the size limit, will be refused";
      }
      list.appendChild(item);
    });
  }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragover");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.remove("dragover");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      showChosen();
    }
  });
  input.addEventListener("change", showChosen);
})();
