// Small enhancements only: every page works without this script.
document.addEventListener("DOMContentLoaded", function () {
  // Ask before a form marked data-confirm is sent.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });
  // Close the phone menu after a link is chosen.
  var toggle = document.getElementById("nav-toggle");
  document.querySelectorAll(".sidebar a").forEach(function (a) {
    a.addEventListener("click", function () { if (toggle) { toggle.checked = false; } });
  });
});
