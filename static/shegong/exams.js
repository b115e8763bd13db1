// A mock exam's countdown. The server decides what counts (answers after the deadline are
// not); this only shows the time left and hands the paper in two seconds before the end, so
// the answers given so far arrive in time.
(function () {
  "use strict";
  var clock = document.querySelector("[data-exam-seconds-left]");
  var form = document.querySelector("[data-testid=exam-answer-form]");
  if (!clock || !form) {
    return;
  }
  var end = Date.now() + 1000 * parseInt(clock.getAttribute("data-exam-seconds-left"), 10);
  var sent = false;
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    clock.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
    if (left <= 2 && !sent) {
      sent = true;
      form.requestSubmit ? form.requestSubmit() : form.submit();
      return;
    }
    window.setTimeout(tick, 500);
  }
  tick();
})();
