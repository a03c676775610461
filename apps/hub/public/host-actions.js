// @ts-check
// Asks before the host page's "Forget this host" form deletes a host's history.
// Without JavaScript the form posts directly; it carries its own CSRF token either way.
(function () {
  'use strict';

  var form = document.querySelector('form[data-forget-host]');
  if (!form) return;
  form.addEventListener('submit', function (event) {
    var name = document.querySelector('h1');
    var label = name ? name.textContent.trim() : 'this host';
    if (!window.confirm('Forget ' + label + ' and its history? It reappears when its agent sends again.')) event.preventDefault();
  });
})();
