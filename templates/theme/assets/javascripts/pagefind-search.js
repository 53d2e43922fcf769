/* Search with Pagefind in Material's search box (large catalogues; see generator/search.py).
 *
 * The box is Material's markup (partials/pagefind-search.html); Material's CSS opens and closes it
 * from the __search toggle. This script does what Material's own search script would: open the box
 * on focus or on the keys / s f, close it on Escape, move through results with the arrow keys,
 * follow the first result on Enter, and render results in Material's result markup. Results are
 * papers only; topics that match are named above them, with a link to filter the results on the
 * browse page. Pagefind's bundle (pagefind/pagefind.js and the index chunks it fetches) is loaded
 * from this site only, and only once the reader starts to search, by catalogue-pagefind.js.
 * Titles and excerpts are inserted as text (<mark> kept).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.querySelector("[data-catalogue-search=pagefind]");
  var toggle = document.getElementById("__search");
  var shared = window.CataloguePagefind; /* catalogue-pagefind.js, loaded first */
  if (!script || !box || !toggle || !shared) return;
  var form = box.querySelector("form");
  var input = box.querySelector(".md-search__input");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var scrollwrap = box.querySelector(".md-search__scrollwrap");
  var text = {
    placeholder: meta.textContent.trim(),
    none: script.dataset.none
  };
  var PAGE = 10;
  var latest = 0;
  var timer = 0;
  var busy = false; /* a search is in flight */
  var enterPending = false; /* Enter pressed before the results arrived: follow the first one then */

  function setOpen(open) {
    if (toggle.checked !== open) toggle.checked = open;
  }

  function isTyping(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-search-result__article--document md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var h1 = document.createElement("h1");
    h1.textContent = (data.meta && data.meta.title) || data.url;
    var p = document.createElement("p");
    p.appendChild(shared.excerptNodes(data.excerpt || ""));
    article.append(icon, h1, p);
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  function count(n) {
    return n === 0 ? text.none : shared.papers(n);
  }

  function showMore(results, shown, ticket) {
    var batch = results.slice(shown, shown + PAGE);
    return Promise.all(
      batch.map(function (r) {
        return r.data();
      })
    ).then(function (datas) {
      if (ticket !== latest) return;
      var old = list.querySelector(".catalogue-search-more");
      if (old) old.remove();
      datas.forEach(function (d) {
        list.appendChild(item(d));
      });
      if (enterPending && shown === 0) {
        enterPending = false;
        var first = list.querySelector(".md-search-result__link");
        if (first) first.click();
      }
      var next = shown + batch.length;
      if (next < results.length) {
        var li = document.createElement("li");
        li.className = "md-search-result__item catalogue-search-more";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-search-result__more md-button";
        button.textContent = "Show more (" + (results.length - next).toLocaleString() + ")";
        button.addEventListener("click", function () {
          showMore(results, next, ticket).then(function () {
            var links = list.querySelectorAll(".md-search-result__link");
            if (links[next]) links[next].focus();
          });
        });
        li.appendChild(button);
        list.appendChild(li);
      }
    });
  }

  var browseUrl = script.dataset.browse ? new URL(script.dataset.browse, location.href).pathname : "";

  /* "Topics: Robot manipulation · …" under the count, for a query that names a topic. */
  function topicsLine(found, ticket) {
    return Promise.all(
      found.map(function (r) {
        return r.data();
      })
    ).then(function (datas) {
      if (ticket !== latest || !datas.length) return;
      var line = document.createElement("span");
      line.className = "catalogue-search-topics";
      line.append(datas.length === 1 ? "Topic: " : "Topics: ");
      datas.forEach(function (d, i) {
        if (i) line.append(" · ");
        var a = document.createElement("a");
        a.href = d.url;
        a.textContent = (d.meta && d.meta.title) || d.url;
        line.appendChild(a);
      });
      meta.append(document.createElement("br"), line);
    });
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    timer = 0;
    if (!query) {
      enterPending = false;
      list.replaceChildren();
      meta.textContent = text.placeholder;
      return;
    }
    busy = true;
    shared.load()
      .then(function (pf) {
        /* Papers are the results; topics whose name or description match are named above them. */
        return Promise.all([
          pf.search(query, { filters: { kind: "Paper" } }),
          pf.search(query, { filters: { kind: "Topic" } })
        ]);
      })
      .then(function (searches) {
        var search = searches && searches[0];
        if (ticket !== latest || !search) return;
        list.replaceChildren();
        meta.textContent = count(search.results.length);
        if (browseUrl && search.results.length) {
          var narrow = document.createElement("a");
          narrow.href = browseUrl + "?q=" + encodeURIComponent(query);
          narrow.textContent = "Filter and sort these";
          meta.append(" · ", narrow);
        }
        if (!search.results.length) enterPending = false;
        return topicsLine(searches[1].results.slice(0, 3), ticket).then(function () {
          return showMore(search.results, 0, ticket);
        });
      })
      .catch(function (err) {
        if (ticket !== latest) return;
        meta.textContent = "Search is not available: " + err;
      })
      .then(function () {
        if (ticket === latest) busy = false;
      });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link, .md-search-result__more"));
  }

  input.addEventListener("focus", function () {
    setOpen(true);
    shared.load();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      setTimeout(function () {
        input.focus();
      }, 50);
    } else {
      input.blur();
    }
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      run();
      input.focus();
    });
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var active = document.activeElement;
    if (!toggle.checked) {
      if ((ev.key === "/" || ev.key === "s" || ev.key === "f") && !isTyping(active)) {
        ev.preventDefault();
        setOpen(true);
        input.focus();
        input.select();
      }
      return;
    }
    var all = links();
    var at = all.indexOf(active);
    if (ev.key === "Escape") {
      ev.preventDefault();
      setOpen(false);
      input.blur();
    } else if (ev.key === "Enter" && active === input) {
      ev.preventDefault();
      if (timer || busy) {
        enterPending = true;
      } else {
        var first = list.querySelector(".md-search-result__link");
        if (first) first.click();
      }
    } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (active !== input && at < 0) return;
      ev.preventDefault();
      var next = ev.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) input.focus();
      else if (next < all.length) all[next].focus();
    } else if (at >= 0 && ev.key.length === 1) {
      input.focus(); /* typing on a result goes on typing the query */
    }
  });
  scrollwrap.addEventListener("focusin", function () {
    setOpen(true);
  });
})();
