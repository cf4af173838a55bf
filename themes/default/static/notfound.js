// The 404 page: when the address names a dossier or a letter that exists (a typo after it, an
// old sub-page, a letter id in capitals), offer it. Reads only this site's own pages; builds
// every element with textContent, so nothing from the address or a page is parsed as HTML.
(function () {
  'use strict';
  var box = document.getElementById('pk-suggest');
  if (!box || !window.fetch || !window.DOMParser) return;
  var base = document.documentElement.getAttribute('data-base') || '/';

  function slug(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  }

  /** Site-relative candidates, most specific first: the letter, then its dossier. */
  function candidates(path) {
    if (path.indexOf(base) !== 0) return [];
    var parts = path.slice(base.length).split('/').filter(Boolean).map(function (p) {
      try { return slug(decodeURIComponent(p)); } catch (_) { return slug(p); }
    });
    if (parts[0] !== 'dossiers' || !parts[1]) return [];
    var dossier = 'dossiers/' + parts[1] + '/';
    var out = [];
    if (parts[2] && parts[2] !== 'exchanges' && parts[2] !== 'page') out.push(dossier + parts[2] + '/');
    out.push(dossier);
    return out;
  }

  /** The page's main heading, or null when the page does not exist. */
  function heading(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) return null;
      return r.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var h1 = doc.querySelector('main h1');
        return h1 ? h1.textContent.replace(/\s+/g, ' ').trim() : null;
      });
    }).catch(function () { return null; });
  }

  function offer(url, title) {
    var p = document.createElement('p');
    p.appendChild(document.createTextNode(box.getAttribute('data-intro') + ' '));
    var a = document.createElement('a');
    a.href = url;
    a.textContent = title;
    p.appendChild(a);
    box.appendChild(p);
    box.hidden = false;
  }

  var own = document.querySelector('main h1');
  var ownTitle = own ? own.textContent.replace(/\s+/g, ' ').trim() : '';
  var list = candidates(location.pathname);
  (function next(i) {
    if (i >= list.length) return;
    var url = base + list[i];
    if (url === location.pathname) return next(i + 1);
    heading(url).then(function (title) {
      // A host that answers a missing page with 200 sends this page again: no offer then.
      if (title && title !== ownTitle) offer(url, title);
      else next(i + 1);
    });
  })(0);
})();
