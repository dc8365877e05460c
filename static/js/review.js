// Bring the highlighted source passage into view inside its scrolling box (not the whole page).
(function () {
  var mark = document.getElementById("passage");
  if (!mark) return;
  var box = mark.closest(".source-window");
  if (!box) return;
  box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - box.clientHeight / 3);
})();
