/* What the search box (pagefind-search.js) and the browse form (catalogue-browse.js) share:
 * loading Pagefind's bundle from this site, once per page, only when a reader first searches or
 * browses; Pagefind's excerpts as DOM nodes (only <mark> kept, everything else as text); and the
 * count of papers in reader words. partials/pagefind-search.html loads this script first; its
 * data-bundle and data-root say where the bundle and the site's root are.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var pagefind = null;

  function load() {
    if (!pagefind) {
      var bundle = new URL(script.dataset.bundle, location.href).href;
      var root = new URL(script.dataset.root, location.href).pathname;
      pagefind = import(bundle).then(function (pf) {
        return pf.options({ baseUrl: root, excerptLength: 24 }).then(function () {
          return pf;
        });
      });
      pagefind.catch(function () {
        pagefind = null;
      });
    }
    return pagefind;
  }

  /* Pagefind's excerpt is HTML with <mark> around matches: keep the marks, everything else as text. */
  function excerptNodes(html) {
    var doc = new DOMParser().parseFromString("<body>" + html, "text/html");
    var out = document.createDocumentFragment();
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function papers(n) {
    return n === 1 ? "1 paper" : n.toLocaleString() + " papers";
  }

  window.CataloguePagefind = { load: load, excerptNodes: excerptNodes, papers: papers };
})();
