/* The browse form (templates/_browse.html.j2): narrow papers by words, topic, area, listing and
 * month added, and sort them, with the site's Pagefind index (its filters and sorts; what each
 * paper carries is generator/render/facets.py), loaded by catalogue-pagefind.js. No server: Pagefind fetches the filter index and
 * the fragments of the results shown, from this site only, once the reader uses the form (or at
 * once on the browse page). The page's own list stays until then, and comes back on "Clear".
 * The form's state is kept in the address (?q=&topic=&area=&listing=&added=&sort=), so a narrowed
 * list can be shared. Titles and excerpts are inserted as text (<mark> kept).
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-catalogue-browse]");
  var shared = window.CataloguePagefind; /* catalogue-pagefind.js, loaded first */
  if (!form || !shared) return;
  var FIELDS = ["q", "topic", "area", "listing", "added", "sort"];
  var SORTS = { added: { added: "desc" }, listed: { listed: "desc" }, title: { title: "asc" } };
  var PAGE = 20;
  var EXCERPT = 170;
  var controls = {};
  FIELDS.forEach(function (name) {
    controls[name] = form.elements.namedItem(name);
  });
  var status = form.querySelector(".catalogue-browse__status");
  var list = form.querySelector(".catalogue-browse__results");
  var more = form.querySelector(".catalogue-browse__more");
  var staticList = document.querySelector(".catalogue-browse__static");
  var fallback = document.querySelector(".catalogue-browse__fallback");
  var defaultSort = form.dataset.sort || "title";
  var sortTouched = false;
  var latest = 0;
  var timer = 0;
  var results = [];
  var shown = 0;

  function preset(name) {
    return form.dataset["preset" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
  }

  function setChoice(select, value) {
    if (!select) return;
    var found = Array.prototype.some.call(select.options, function (o) {
      return o.value === value;
    });
    select.value = found ? value : "";
  }

  function applyState(params) {
    controls.q.value = params.get("q") || "";
    ["topic", "area", "listing", "added"].forEach(function (name) {
      setChoice(controls[name], params.has(name) ? params.get(name) : preset(name));
    });
    sortTouched = params.has("sort");
    setChoice(controls.sort, params.get("sort") || (controls.q.value.trim() ? "relevance" : defaultSort));
  }

  /* The address for the form as it is: only what differs from the page's own list. */
  function saveState() {
    var params = new URLSearchParams();
    if (controls.q.value.trim()) params.set("q", controls.q.value.trim());
    ["topic", "area", "listing", "added"].forEach(function (name) {
      if (controls[name].value !== preset(name)) params.set(name, controls[name].value);
    });
    if (sortTouched) params.set("sort", controls.sort.value);
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  /* With no words there is nothing to highlight: the opening of the abstract, after the title. */
  function opening(data, title) {
    var text = withoutWords((data.content || "").trim());
    if (text.indexOf(title) === 0) text = text.slice(title.length).replace(/^[\s.:]+/, "");
    if (text.length <= EXCERPT) return text;
    var cut = text.lastIndexOf(" ", EXCERPT);
    return text.slice(0, cut > 0 ? cut : EXCERPT) + "…";
  }

  function item(data, withWords) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = data.url;
    var title = (data.meta && data.meta.title) || data.url;
    a.textContent = title;
    var excerpt = document.createElement("span");
    excerpt.className = "excerpt";
    if (withWords) excerpt.appendChild(shared.excerptNodes(withoutWords(data.excerpt || "")));
    else excerpt.textContent = opening(data, title);
    var facts = document.createElement("span");
    facts.className = "catalogue-browse__facts";
    var filters = data.filters || {};
    var parts = (filters.topic || []).slice();
    if (filters.added && filters.added.length) parts.push("added " + filters.added[0]);
    facts.textContent = parts.join(" · ");
    li.append(a, document.createElement("br"), excerpt, document.createElement("br"), facts);
    return li;
  }

  function showMore(ticket, withWords) {
    var batch = results.slice(shown, shown + PAGE);
    return Promise.all(
      batch.map(function (r) {
        return r.data();
      })
    ).then(function (datas) {
      if (ticket !== latest) return;
      datas.forEach(function (d) {
        list.appendChild(item(d, withWords));
      });
      shown += batch.length;
      more.hidden = shown >= results.length;
      if (!more.hidden) more.textContent = "Show more (" + (results.length - shown).toLocaleString() + ")";
    });
  }

  function showStatic(on) {
    if (staticList) staticList.hidden = !on;
    list.hidden = on;
    if (on) {
      more.hidden = true;
      status.textContent = "";
    }
  }

  /* With no words typed: the word that the papers of the narrowest choice hold (the same words
   * generator/render/facets.py writes: a search for no word fetches the whole index, and a word
   * every paper holds is slow to score in a large catalogue). The filters still apply. */
  var PREFIX = { topic: "zt", listing: "zl", added: "zm", area: "za" };
  function facetWord(filters) {
    var name = ["topic", "listing", "added", "area"].find(function (n) {
      return filters[n];
    });
    return name ? PREFIX[name] + filters[name].toLowerCase().replace(/[^a-z0-9]/g, "") : "everypaper";
  }

  /* The facet words end a paper's indexed text: never shown. */
  function withoutWords(text) {
    return text.replace(/\s*\beverypaper(\s+z[tlma][a-z0-9]*)*\.?\s*$/, "");
  }

  function run() {
    timer = 0;
    var ticket = ++latest;
    var words = controls.q.value.trim();
    var filters = { kind: "Paper" };
    ["topic", "area", "listing", "added"].forEach(function (name) {
      if (controls[name].value) filters[name] = controls[name].value;
    });
    var sort = controls.sort.value;
    if (!words && sort === "relevance") sort = defaultSort;
    var options = { filters: filters };
    if (SORTS[sort]) options.sort = SORTS[sort];
    saveState();
    status.textContent = "Searching…";
    return shared.load()
      .then(function (pf) {
        return pf.search(words || facetWord(filters), options);
      })
      .then(function (search) {
        if (ticket !== latest || !search) return;
        results = search.results;
        shown = 0;
        list.replaceChildren();
        showStatic(false);
        status.textContent = results.length ? shared.papers(results.length) : "No paper matches all of these.";
        return showMore(ticket, Boolean(words));
      })
      .catch(function (err) {
        if (ticket === latest) status.textContent = "Filtering is not available: " + err;
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  }

  form.hidden = false;
  if (fallback) fallback.hidden = true;
  applyState(new URLSearchParams(location.search));
  var asked = FIELDS.some(function (name) {
    return new URLSearchParams(location.search).has(name);
  });
  if (asked) form.querySelector("details").open = true;
  if (asked || "autorun" in form.dataset) run();

  controls.q.addEventListener("input", function () {
    if (!sortTouched) setChoice(controls.sort, controls.q.value.trim() ? "relevance" : defaultSort);
    later();
  });
  form.addEventListener("change", function (ev) {
    if (ev.target === controls.q) return;
    if (ev.target === controls.sort) sortTouched = true;
    run();
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    run();
  });
  form.addEventListener("reset", function (ev) {
    ev.preventDefault();
    latest++;
    applyState(new URLSearchParams());
    saveState();
    if ("autorun" in form.dataset || !staticList) run();
    else showStatic(true);
  });
  more.addEventListener("click", function () {
    var first = shown;
    showMore(latest, Boolean(controls.q.value.trim())).then(function () {
      var next = list.querySelectorAll("a")[first];
      if (next) next.focus();
    });
  });
})();
