// Check-in page: after each check-in, clear and refocus the code field (for badge scanners
// that type the code and press Enter); where the browser has a BarcodeDetector (Chrome on
// Android, for example), offer to scan the badge's QR code with the camera.
(function () {
  "use strict";
  var form = document.querySelector("form.checkin-form");
  if (!form) { return; }
  form.addEventListener("htmx:afterRequest", function () {
    form.elements.code.value = "";
    form.elements.method.value = "typed";
    form.elements.code.focus();
  });
  var button = document.getElementById("scan");
  if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var video = document.getElementById("camera");
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      return video.play().then(function () {
        var tick = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              form.elements.code.value = codes[0].rawValue;
              form.elements.method.value = "scan";
              stream.getTracks().forEach(function (track) { track.stop(); });
              video.hidden = true;
              form.requestSubmit();
            } else {
              window.requestAnimationFrame(tick);
            }
          });
        };
        tick();
      });
    });
  });
})();
