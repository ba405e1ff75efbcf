// Proof of work for the report form (see src/modules/reports/pow.ts). Progressive enhancement: without
// JavaScript, or without Web Crypto, the form is sent as it is and the portal accepts it.
(function () {
  var form = document.querySelector('form[data-pow-challenge]');
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) return;
  var challenge = form.getAttribute('data-pow-challenge');
  var bits = Number(challenge.split('.')[1]);
  var field = form.querySelector('input[name="pow"]');
  var status = form.querySelector('[data-pow-status]');
  var encoder = new TextEncoder();
  var busy = false;
  function zeroBits(bytes) {
    var n = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { n += 8; continue; }
      return n + Math.clz32(bytes[i]) - 24;
    }
    return n;
  }
  async function search() {
    for (var nonce = 0; ; nonce++) {
      var digest = await crypto.subtle.digest('SHA-256', encoder.encode(challenge + ':' + nonce));
      if (zeroBits(new Uint8Array(digest)) >= bits) return nonce;
    }
  }
  form.addEventListener('submit', function (event) {
    if (field.value || busy) return;
    // The browser's own validation (the required checkbox) runs first.
    if (!form.checkValidity()) return;
    event.preventDefault();
    busy = true;
    if (status) status.textContent = status.getAttribute('data-pow-status');
    search().then(function (nonce) {
      field.value = String(nonce);
      form.submit();
    }, function () {
      form.submit();
    });
  });
})();
