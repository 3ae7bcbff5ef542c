// The analyst page over /api/v1. Every piece of data reaches the DOM through
// textContent, text nodes or setAttribute on known attributes: article text is
// hostile input, so no HTML string is ever parsed here.
(function () {
  "use strict";

  const API = "/api/v1";
  const PAGE = 1000;
  // Enough for an analyst's view; the status line says when more exist.
  const MAX_PAGES = 5;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  const $ = (id) => document.getElementById(id);

  // A new element with a class and children (strings become text nodes).
  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // Only web links become clickable: a javascript: or data: URL in a record must not.
  function safeUrl(url) {
    if (typeof url !== "string") return null;
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_) {
      return null;
    }
  }

  let regionNames = null;
  try {
    regionNames = new Intl.DisplayNames(["en"], { type: "region" });
  } catch (_) {
    regionNames = null;
  }

  function countryName(code) {
    if (!code) return "";
    let name = null;
    try {
      name = regionNames ? regionNames.of(code) : null;
    } catch (_) {
      name = null;
    }
    return name && name !== code ? `${name} (${code})` : code;
  }

  function fmt(value) {
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.map(fmt).join(", ");
    if (typeof value === "object") {
      if ("text" in value && typeof value.text === "string") return value.text;
      return JSON.stringify(value);
    }
    return String(value);
  }

  // Casualty figures come as numbers or as text such as "30+".
  function count(value) {
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string") {
      const m = value.match(/\d+/);
      return m ? Number(m[0]) : 0;
    }
    if (value && typeof value === "object" && typeof value.min === "number") return value.min;
    return 0;
  }

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many || one + "s"}`;
  }

  function setStatus(text, isError) {
    const status = $("status");
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  async function getJson(path, params) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") query.set(k, v);
    }
    const qs = query.toString();
    const response = await fetch(qs ? `${path}?${qs}` : path, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok) {
      const detail = body && typeof body.detail === "string" ? body.detail : response.statusText;
      throw new Error(`${path}: ${detail}`);
    }
    return body;
  }

  // Every page of a list, up to MAX_PAGES.
  async function getAll(list, params) {
    const results = [];
    let cursor = null;
    for (let i = 0; i < MAX_PAGES; i++) {
      const page = await getJson(`${API}/${list}`, { ...params, limit: PAGE, cursor });
      results.push(...page.results);
      cursor = page.next || null;
      if (!cursor) return { results, more: false };
    }
    return { results, more: true };
  }

  // ---- filters ----

  const FILTERS = ["story", "country", "actor", "type"];

  function readForm() {
    const form = $("filters");
    const out = {};
    for (const name of FILTERS) out[name] = form.elements[name].value.trim();
    return out;
  }

  function writeForm(values) {
    const form = $("filters");
    for (const name of FILTERS) form.elements[name].value = values[name] || "";
  }

  function filtersFromUrl() {
    const params = new URLSearchParams(window.location.search);
    const out = {};
    for (const name of FILTERS) out[name] = params.get(name) || "";
    return out;
  }

  function filtersToUrl(values) {
    const params = new URLSearchParams();
    for (const name of FILTERS) if (values[name]) params.set(name, values[name]);
    const qs = params.toString();
    window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
  }

  async function loadStories(selected) {
    const select = $("f-story");
    try {
      const page = await getJson(`${API}/stories`, { limit: PAGE });
      for (const story of page.results) {
        const when = story.first_published ? ` (${story.first_published.slice(0, 10)})` : "";
        const option = el("option", null, `#${story.id} ${story.title || "untitled"}${when}`);
        option.value = String(story.id);
        select.append(option);
      }
      select.value = selected || "";
    } catch (e) {
      setStatus(`stories: ${e.message}`, true);
    }
  }

  // ---- rendering of facts ----

  // A clickable fact: opens its evidence by mouse or keyboard.
  function clickable(node, fact) {
    node.tabIndex = 0;
    node.dataset.factId = String(fact.id);
    node.addEventListener("click", () => openEvidence(fact.id));
    node.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        openEvidence(fact.id);
      }
    });
    return node;
  }

  function disputedBadge(fact) {
    if (!fact.disputes || fact.disputes.length === 0) return null;
    return el("span", "badge disputed", "disputed");
  }

  function outletsText(fact) {
    return plural(fact.outlets, "outlet");
  }

  function placeOf(fact) {
    const f = fact.fields || {};
    return f.place || f.venue || "";
  }

  function timelineItem(fact) {
    const f = fact.fields || {};
    const meta = [];
    const where = [placeOf(fact), fact.country ? countryName(fact.country) : ""].filter(Boolean);
    if (where.length) meta.push(where.join(", "));
    if (fact.kind === "event") {
      if (f.actor) meta.push(`by ${fmt(f.actor)}`);
      if (f.killed !== undefined) meta.push(`killed ${fmt(f.killed)}`);
      if (f.wounded !== undefined) meta.push(`wounded ${fmt(f.wounded)}`);
    } else {
      if (f.status) meta.push(fmt(f.status));
      if (f.participants) meta.push(fmt(f.participants));
    }
    meta.push(outletsText(fact));
    return clickable(
      el(
        "li",
        `fact ${fact.kind}`,
        el("span", `badge ${fact.kind}`, fact.kind),
        disputedBadge(fact),
        el("span", "label", fact.label),
        el("div", "meta", meta.join(" · "))
      ),
      fact
    );
  }

  function renderTimeline(facts) {
    const list = $("timeline");
    clear(list);
    if (facts.length === 0) {
      list.append(el("li", "empty", "No events or meetings match."));
      return;
    }
    const sorted = facts.slice().sort((a, b) => {
      const da = a.date || "9999";
      const db = b.date || "9999";
      return da < db ? -1 : da > db ? 1 : a.id - b.id;
    });
    let day = null;
    for (const fact of sorted) {
      const d = fact.date || "undated";
      if (d !== day) {
        day = d;
        list.append(el("li", "day", d));
      }
      list.append(timelineItem(fact));
    }
  }

  function renderPeople(people) {
    const body = $("people");
    clear(body);
    if (people.length === 0) {
      const cell = el("td", "empty", "No people match.");
      cell.colSpan = 4;
      body.append(el("tr", null, cell));
      return;
    }
    const sorted = people.slice().sort((a, b) => b.outlets - a.outlets || a.label.localeCompare(b.label));
    for (const person of sorted) {
      const f = person.fields || {};
      const titles = Array.isArray(f.titles) ? f.titles.join("; ") : fmt(f.titles);
      const side = f.side || person.country;
      body.append(
        clickable(
          el(
            "tr",
            "fact-row",
            el("td", null, person.label, disputedBadge(person) ? " " : null, disputedBadge(person)),
            el("td", null, titles),
            el("td", null, side ? countryName(fmt(side)) : ""),
            el("td", null, String(person.outlets))
          ),
          person
        )
      );
    }
  }

  function renderQuotes(quotes) {
    const list = $("quotes");
    clear(list);
    if (quotes.length === 0) {
      list.append(el("li", "empty", "No quotes match."));
      return;
    }
    for (const quote of quotes) {
      const f = quote.fields || {};
      const meta = [f.speaker ? fmt(f.speaker) : "unattributed", quote.date, outletsText(quote)].filter(Boolean);
      list.append(
        clickable(
          el(
            "li",
            "fact quote",
            disputedBadge(quote),
            el("span", "quote-text", f.text ? fmt(f.text) : quote.label),
            el("div", "meta", meta.join(" · "))
          ),
          quote
        )
      );
    }
  }

  function renderClaims(claims) {
    const list = $("claims");
    clear(list);
    if (claims.length === 0) {
      list.append(el("li", "empty", "No claims match."));
      return;
    }
    for (const claim of claims) {
      const f = claim.fields || {};
      const reactions = Array.isArray(f.reactions) ? f.reactions : [];
      const meta = [f.source ? `by ${fmt(f.source)}` : "unattributed", claim.date, outletsText(claim)].filter(Boolean);
      const reactionLine = reactions.length
        ? el("div", "meta", "reactions: ", ...reactions.map((r) => el("span", `badge ${fmt(r)}`, fmt(r))))
        : null;
      list.append(
        clickable(
          el(
            "li",
            "fact claim",
            el("span", "badge", f.kind ? fmt(f.kind) : "claim"),
            disputedBadge(claim),
            el("span", "label", f.gist ? fmt(f.gist) : claim.label),
            el("div", "meta", meta.join(" · ")),
            reactionLine
          ),
          claim
        )
      );
    }
  }

  // "killed: 9 (A, B, C) vs 8 (D)"
  function disputeLine(dispute) {
    const values = dispute.values.map((v) => `${fmt(v.value)} (${v.outlets.join(", ")})`);
    return el("div", "dispute-line", el("span", "field", `${dispute.field}: `), values.join(" vs "));
  }

  function renderDisputes(facts) {
    const list = $("disputes");
    clear(list);
    const disputed = facts.filter((f) => f.disputes && f.disputes.length > 0);
    if (disputed.length === 0) {
      list.append(el("li", "empty", "Outlets agree on everything shown."));
      return;
    }
    for (const fact of disputed) {
      list.append(
        clickable(
          el(
            "li",
            `fact ${fact.kind}`,
            el("span", `badge ${fact.kind}`, fact.kind),
            el("span", "label", fact.label),
            ...fact.disputes.map(disputeLine)
          ),
          fact
        )
      );
    }
  }

  // ---- map ----

  let world = null;

  async function loadWorld() {
    if (!window.d3 || !window.topojson) throw new Error("the map scripts did not load");
    const topology = await getJson("/assets/vendor/countries-110m.json");
    return window.topojson.feature(topology, topology.objects.countries);
  }

  // A box around the markers (padded), or the whole sphere without any.
  function fitTarget(points) {
    if (points.length === 0) return { type: "Sphere" };
    let [w, e, s, n] = [180, -180, 90, -90];
    for (const [lon, lat] of points) {
      w = Math.min(w, lon);
      e = Math.max(e, lon);
      s = Math.min(s, lat);
      n = Math.max(n, lat);
    }
    const padLon = Math.max(12, (e - w) * 0.15);
    const padLat = Math.max(8, (n - s) * 0.15);
    w = Math.max(-180, w - padLon);
    e = Math.min(180, e + padLon);
    s = Math.max(-85, s - padLat);
    n = Math.min(85, n + padLat);
    const corners = [];
    for (let i = 0; i <= 4; i++) {
      const lon = w + ((e - w) * i) / 4;
      corners.push([lon, s], [lon, n]);
    }
    return { type: "MultiPoint", coordinates: corners };
  }

  function radius(fact) {
    if (fact.kind !== "event") return 5;
    return 4 + Math.min(22, Math.sqrt(count((fact.fields || {}).killed)) * 2.2);
  }

  function renderMap(facts) {
    const map = $("map");
    const note = $("map-note");
    clear(map);
    note.textContent = "";
    if (!world) {
      note.textContent = "The map could not be drawn.";
      return;
    }
    const placed = facts.filter((f) => typeof f.lat === "number" && typeof f.lon === "number");
    const d3 = window.d3;
    const projection = d3.geoNaturalEarth1();
    projection.fitExtent(
      [
        [16, 16],
        [944, 504],
      ],
      fitTarget(placed.map((f) => [f.lon, f.lat]))
    );
    const path = d3.geoPath(projection);
    map.append(svg("path", { class: "sphere", d: path({ type: "Sphere" }) }));
    map.append(svg("path", { class: "graticule", d: path(d3.geoGraticule10()) }));
    const countries = svg("g", {});
    for (const feature of world.features) {
      const d = path(feature);
      if (!d) continue;
      const shape = svg("path", { class: "country", d });
      const title = svg("title");
      title.textContent = feature.properties && feature.properties.name ? feature.properties.name : "";
      shape.append(title);
      countries.append(shape);
    }
    map.append(countries);

    // Large markers first so that small ones stay clickable on top.
    const markers = svg("g", {});
    const labels = svg("g", {});
    const labelled = new Set();
    const sorted = placed.slice().sort((a, b) => radius(b) - radius(a));
    for (const fact of sorted) {
      const xy = projection([fact.lon, fact.lat]);
      if (!xy || !Number.isFinite(xy[0]) || !Number.isFinite(xy[1])) continue;
      const circle = svg("circle", {
        class: `marker ${fact.kind}`,
        cx: xy[0].toFixed(1),
        cy: xy[1].toFixed(1),
        r: radius(fact).toFixed(1),
      });
      const title = svg("title");
      const killed = (fact.fields || {}).killed;
      title.textContent = [fact.label, fact.date, killed !== undefined ? `killed ${fmt(killed)}` : ""]
        .filter(Boolean)
        .join(" · ");
      circle.append(title);
      circle.setAttribute("role", "button");
      circle.setAttribute("aria-label", title.textContent);
      markers.append(clickable(circle, fact));
      const key = `${fact.lat},${fact.lon}`;
      const name = placeOf(fact);
      if (name && !labelled.has(key)) {
        labelled.add(key);
        const text = svg("text", {
          class: "marker-label",
          x: (xy[0] + radius(fact) + 3).toFixed(1),
          y: (xy[1] + 4).toFixed(1),
        });
        text.textContent = fmt(name);
        labels.append(text);
      }
    }
    map.append(markers, labels);
    const missing = facts.length - placed.length;
    if (missing > 0) note.textContent = `${plural(missing, "fact")} without coordinates not shown.`;
  }

  // ---- evidence panel ----

  let evidenceToken = 0;
  const documents = new Map();

  function getDocument(id) {
    if (!documents.has(id)) {
      const promise = getJson(`${API}/documents/${encodeURIComponent(id)}`);
      // A failed fetch may succeed later: do not keep it.
      promise.catch(() => documents.delete(id));
      documents.set(id, promise);
    }
    return documents.get(id);
  }

  // The article text with the evidence marked. Offsets are UTF-8 bytes, so the
  // text is sliced as bytes and each piece decoded, never indexed as UTF-16.
  function highlighted(text, spans) {
    const bytes = encoder.encode(text);
    const ranges = spans
      .map((s) => [s.start, s.end])
      .filter(([a, b]) => Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a < b && b <= bytes.length)
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const merged = [];
    for (const [a, b] of ranges) {
      const last = merged[merged.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else merged.push([a, b]);
    }
    const fragment = document.createDocumentFragment();
    let first = null;
    let at = 0;
    for (const [a, b] of merged) {
      if (a > at) fragment.append(decoder.decode(bytes.subarray(at, a)));
      const mark = el("mark", null, decoder.decode(bytes.subarray(a, b)));
      if (!first) first = mark;
      fragment.append(mark);
      at = b;
    }
    if (at < bytes.length) fragment.append(decoder.decode(bytes.subarray(at)));
    return { fragment, first, marked: merged.length };
  }

  function dl(pairs) {
    const list = el("dl");
    for (const [key, value] of pairs) {
      if (value === "" || value === null || value === undefined) continue;
      list.append(el("dt", null, key), el("dd", null, value));
    }
    return list;
  }

  function sourceSection(documentId, group, token) {
    const head = group[0];
    const meta = el("div", "meta");
    const bits = [head.published, head.independent ? null : "syndicated or near-duplicate copy"];
    bits.push(`record ${group.map((s) => s.record_id).join(", ")}`);
    meta.append(bits.filter(Boolean).join(" · "));
    const url = safeUrl(head.url);
    if (url) {
      const link = el("a", null, url);
      link.href = url;
      link.rel = "noopener noreferrer nofollow";
      link.target = "_blank";
      meta.append(el("br"), link);
    } else if (head.url) {
      meta.append(el("br"), String(head.url));
    }
    const article = el("pre", "article", "Loading the article…");
    const section = el("section", "source", el("h3", null, head.outlet || "unknown outlet"), meta, article);
    const spans = group.flatMap((s) => s.evidence || []);
    getDocument(documentId).then(
      (record) => {
        if (token !== evidenceToken) return;
        const doc = (record && record.document) || {};
        const text = typeof doc.text === "string" ? doc.text : "";
        if (doc.title) section.insertBefore(el("div", "meta", fmt(doc.title)), meta);
        const { fragment, first, marked } = highlighted(text, spans);
        clear(article);
        article.append(fragment);
        if (marked === 0) article.prepend(el("em", null, "(no evidence span in this text) "));
        if (first) article.scrollTop = Math.max(0, first.offsetTop - 40);
      },
      (error) => {
        if (token !== evidenceToken) return;
        clear(article);
        article.append(`The article could not be loaded (${error.message}). Evidence:\n\n`);
        for (const span of spans) article.append(el("mark", null, span.text), "\n\n");
      }
    );
    return section;
  }

  function markSelected(id) {
    for (const node of document.querySelectorAll(".selected")) node.classList.remove("selected");
    if (id === null) return;
    for (const node of document.querySelectorAll("[data-fact-id]")) {
      if (node.dataset.factId === String(id)) node.classList.add("selected");
    }
  }

  async function openEvidence(id) {
    const token = ++evidenceToken;
    const panel = $("evidence");
    const body = $("ev-body");
    panel.hidden = false;
    clear(body);
    body.append(el("p", "note", "Loading…"));
    markSelected(id);
    let fact;
    try {
      fact = await getJson(`${API}/facts/${encodeURIComponent(String(id))}/evidence`);
    } catch (e) {
      if (token !== evidenceToken) return;
      clear(body);
      body.append(el("p", "empty", e.message));
      return;
    }
    if (token !== evidenceToken) return;
    clear(body);
    // The fact's own day is shown first; a field that only repeats it is left out.
    const overTime = ["title_history", "quotes", "meetings"];
    const fields = Object.entries(fact.fields || {})
      .filter(([key, value]) => !overTime.includes(key) && !(key === "date" && value === fact.date))
      .map(([key, value]) => [key, fmt(value)]);
    const outlets = [...new Set(fact.sources.filter((s) => s.independent).map((s) => s.outlet).filter(Boolean))];
    body.append(
      el("p", null, el("span", `badge ${fact.kind}`, fact.kind), disputedBadge(fact)),
      el("h3", null, fact.label),
      dl([
        ["date", fact.date],
        ["country", fact.country ? countryName(fact.country) : ""],
        ["coordinates", typeof fact.lat === "number" ? `${fact.lat.toFixed(3)}, ${fact.lon.toFixed(3)}` : ""],
        ["reported by", `${plural(fact.outlets, "independent outlet")}, ${plural(fact.documents, "document")}`],
        ["outlets", outlets.join(", ")],
        ...fields,
      ])
    );
    if (fact.disputes && fact.disputes.length) {
      body.append(el("h3", null, "Where outlets disagree"), ...fact.disputes.map(disputeLine));
    }
    if (fact.kind === "person") body.append(...personOverTime(fact.fields || {}));
    // One section per document, even when it reported the fact twice.
    const groups = new Map();
    for (const source of fact.sources) {
      if (!groups.has(source.document)) groups.set(source.document, []);
      groups.get(source.document).push(source);
    }
    body.append(el("h3", null, `Sources (${groups.size})`));
    for (const [documentId, group] of groups) body.append(sourceSection(documentId, group, token));
  }

  // A person's titles, quotes and meetings, oldest first; each quote or meeting opens
  // its own evidence.
  function personOverTime(fields) {
    const out = [];
    const titles = Array.isArray(fields.title_history) ? fields.title_history : [];
    if (titles.length) {
      out.push(
        el("h3", null, "Titles over time"),
        el("ul", "over-time", ...titles.map((t) => el("li", null, `${fmt(t.title)} (${fmt(t.first)} to ${fmt(t.last)})`)))
      );
    }
    for (const [key, heading] of [["quotes", "Said"], ["meetings", "Met"]]) {
      const items = Array.isArray(fields[key]) ? fields[key] : [];
      if (items.length === 0) continue;
      out.push(
        el("h3", null, `${heading} (${items.length})`),
        el(
          "ul",
          "over-time",
          ...items.map((item) => clickable(el("li", "fact", `${item.date || "undated"}: ${fmt(item.label)}`), item))
        )
      );
    }
    return out;
  }

  function closeEvidence() {
    evidenceToken++;
    $("evidence").hidden = true;
    markSelected(null);
  }

  // ---- loading ----

  let loadToken = 0;

  async function load(filters) {
    const token = ++loadToken;
    const params = { story: filters.story, country: filters.country, actor: filters.actor };
    setStatus("Loading…");
    const lists = ["events", "meetings", "people", "quotes", "claims"];
    let answers;
    try {
      answers = await Promise.all(lists.map((list) => getAll(list, params)));
    } catch (e) {
      if (token === loadToken) setStatus(e.message, true);
      return;
    }
    if (token !== loadToken) return;
    const [events, meetings, people, quotes, claims] = answers.map((a) => a.results);
    const dated = [
      ...(filters.type === "meeting" ? [] : events),
      ...(filters.type === "event" ? [] : meetings),
    ];
    renderTimeline(dated);
    renderMap(dated);
    renderPeople(people);
    renderQuotes(quotes);
    renderClaims(claims);
    renderDisputes([...events, ...meetings, ...claims, ...quotes, ...people]);
    const more = answers.some((a) => a.more) ? " (lists cut at the first pages)" : "";
    setStatus(
      [
        plural(events.length, "event"),
        plural(meetings.length, "meeting"),
        plural(people.length, "person", "people"),
        plural(quotes.length, "quote"),
        plural(claims.length, "claim"),
      ].join(" · ") + more
    );
  }

  async function start() {
    const initial = filtersFromUrl();
    writeForm(initial);
    $("filters").addEventListener("submit", (e) => {
      e.preventDefault();
      const values = readForm();
      filtersToUrl(values);
      load(values);
    });
    $("filters").addEventListener("reset", () => {
      // The form clears itself after this event; load once it has.
      window.setTimeout(() => {
        filtersToUrl({});
        load(readForm());
      }, 0);
    });
    $("ev-close").addEventListener("click", closeEvidence);
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape") closeEvidence();
    });
    const stories = loadStories(initial.story);
    try {
      world = await loadWorld();
    } catch (e) {
      world = null;
      setStatus(`map: ${e.message}`, true);
    }
    await stories;
    await load(initial);
  }

  start();
})();
