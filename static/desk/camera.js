/* The phone desk's camera: the browser's own barcode reader (BarcodeDetector) where there is one,
 * else jsQR (static/vendor/jsqr, version pinned there). Loaded after desk.js, whose scan() it calls. */
(function () {
  "use strict";
  var desk = window.EventHubDesk;
  if (!desk) return;
  function $(id) { return document.getElementById(id); }
  var toggle = $("camera-toggle"), video = $("camera-video"), stream = null, detector = null, canvas = null;
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia && ("BarcodeDetector" in window || window.jsQR)) {
    toggle.hidden = false;
  }
  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    $("camera-box").hidden = true;
    toggle.setAttribute("aria-pressed", "false");
    toggle.textContent = desk.t("camera_start");
  }
  var lastCode = "", lastAt = 0;
  function found(code) {
    var now = Date.now();
    if (code === lastCode && now - lastAt < 3000) return;  // the same badge held in front of the camera
    lastCode = code;
    lastAt = now;
    desk.scan(code);
  }
  function readFrame() {
    if (!stream) return;
    if (video.readyState < 2) return setTimeout(readFrame, 150);
    if (detector) {
      detector.detect(video).then(function (codes) {
        if (codes.length) found(codes[0].rawValue);
        setTimeout(readFrame, 150);
      }, function () { setTimeout(readFrame, 300); });
      return;
    }
    canvas = canvas || document.createElement("canvas");
    var width = Math.min(video.videoWidth, 640), height = Math.round(video.videoHeight * width / video.videoWidth);
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    var code = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: "dontInvert" });
    if (code && code.data) found(code.data);
    setTimeout(readFrame, 150);
  }
  toggle.addEventListener("click", function () {
    if (stream) return stopCamera();
    var useNative = "BarcodeDetector" in window;
    var ready = useNative && BarcodeDetector.getSupportedFormats ? BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]);
    ready.then(function (formats) {
      detector = useNative && formats.indexOf("qr_code") >= 0 ? new BarcodeDetector({ formats: ["qr_code"] }) : null;
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    }).then(function (s) {
      stream = s;
      video.srcObject = s;
      $("camera-box").hidden = false;
      toggle.setAttribute("aria-pressed", "true");
      toggle.textContent = desk.t("camera_stop");
      return video.play();
    }).then(readFrame).catch(function () { stopCamera(); desk.fail(desk.t("camera_failed")); });
  });
})();
