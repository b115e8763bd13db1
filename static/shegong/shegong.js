// Behaviour shared by every page. No inline scripts: the CSP allows only our own files.
document.addEventListener("DOMContentLoaded", function () {
  // Confirm dangerous buttons: <button data-confirm="...">
  document.body.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
});
