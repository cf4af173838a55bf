// "Cite this letter": shows the copy buttons (they do nothing without JavaScript, so the page
// hides them) and copies the citation or the permanent link, announcing the result in the
// page's live region. Strings come from data- attributes, so the theme's translations apply.
(function () {
  'use strict';
  const box = document.querySelector('.cite-this');
  if (!box) return;
  const status = box.querySelector('.copy-status');

  function announce(text) {
    // Empty first, so the same message twice is announced twice.
    status.textContent = '';
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  // Where the Clipboard API is missing or refused (an http:// page, say), select the text
  // and use the older copy command.
  function copyBySelection(el) {
    const range = document.createRange();
    range.selectNodeContents(el);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    return ok;
  }

  function copy(button) {
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    const text = source.textContent.trim();
    const done = function () { announce(button.dataset.copied); };
    const failed = function () {
      if (copyBySelection(source)) done();
      else announce(button.dataset.failed);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  for (const button of box.querySelectorAll('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', function () { copy(button); });
  }
})();
