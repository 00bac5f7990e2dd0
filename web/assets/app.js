// govmap's web page: the map, the gap report and the review queue over /api/v1.
// Plain JavaScript, no build step. Everything from the API reaches the page through
// textContent and createElement only. All state lives in the query string.
'use strict';

(function () {
  const THIS_YEAR = new Date().getFullYear();
  const EARLIEST_YEAR = 1865;
  const GAP_KINDS = ['uncovered', 'thin', 'no_global', 'no_multistakeholder', 'adjacent_only',
    'region_missing', 'stakeholder_missing', 'single_point_of_failure', 'fragmented',
    'deep_nesting', 'low_assessment', 'criterion_unmet'];
  const GAP_BOOLS = ['by-region', 'strict-regions', 'include-proposed', 'active-only',
    'primary-only', 'with-observatories'];
  // Query-string keys each view writes (and reads back).
  const VIEW_KEYS = {
    map: ['under', 'scope', 'participation', 'region', 'as-of', 'm'],
    gaps: ['level', 'under', 'as-of', 'min-mechanisms', 'max-depth', 'kinds'].concat(GAP_BOOLS),
    review: ['status', 'p'],
  };

  // ---------------------------------------------------------------- utilities
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else if (k === 'dataset') Object.assign(e.dataset, v);
        else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function safeUrl(u) {
    return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null;
  }

  // A link only for http(s) addresses; anything else is shown as text.
  function extLink(url, text) {
    const u = safeUrl(url);
    if (!u) return document.createTextNode(text || url || '');
    return el('a', { href: u, rel: 'noopener noreferrer', target: '_blank', class: 'ext' }, text || u);
  }

  function debounce(fn, ms) {
    let t = null;
    return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  }

  function human(s) { return s === null || s === undefined ? '' : String(s).replace(/_/g, ' '); }

  let pending = 0;
  async function api(path, options) {
    pending++;
    try {
      const res = await fetch(path, Object.assign({ credentials: 'same-origin', headers: { Accept: 'application/json' } }, options || {}));
      let body = null;
      const text = await res.text();
      try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
      if (!res.ok) {
        const msg = body && body.error ? body.error : `${res.status} ${res.statusText}`;
        const err = new Error(msg);
        err.status = res.status;
        throw err;
      }
      return body;
    } finally {
      pending--;
    }
  }

  function showError(msg) {
    $('error-text').textContent = msg;
    $('error').hidden = false;
  }
  function hideError() { $('error').hidden = true; }

  // ---------------------------------------------------------------- state <-> URL
  let state = readUrl();
  let info = null;
  let areas = [];           // taxonomy nodes from /api/v1/areas
  const regionNames = new Map();  // region code -> name: /api/v1/regions, and the graphs drawn

  function readUrl() {
    const q = new URLSearchParams(location.search);
    const s = {};
    for (const [k, v] of q) if (v !== '') s[k] = v;
    if (!['map', 'gaps', 'review'].includes(s.view)) s.view = 'map';
    return s;
  }

  function urlFor(s) {
    const q = new URLSearchParams();
    q.set('view', s.view);
    for (const k of VIEW_KEYS[s.view]) {
      if (s[k] !== undefined && s[k] !== null && s[k] !== '') q.set(k, s[k]);
    }
    return '?' + q.toString();
  }

  // Change the state, record it in the URL (a new history entry unless replace) and redraw.
  function navigate(changes, opts) {
    const next = Object.assign({}, state, changes);
    for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === null || next[k] === '') delete next[k];
    state = next;
    const url = urlFor(state);
    if (url !== location.search) {
      if (opts && opts.replace) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
    }
    render();
  }

  window.addEventListener('popstate', () => { state = readUrl(); render(); });

  // ---------------------------------------------------------------- rendering
  function render() {
    hideSearch();
    for (const v of ['map', 'gaps', 'review']) {
      $('view-' + v).hidden = state.view !== v;
      const tab = $('tab-' + v);
      tab.classList.toggle('active', state.view === v);
      if (state.view === v) tab.setAttribute('aria-current', 'page'); else tab.removeAttribute('aria-current');
    }
    updateTabLinks();
    if (state.view === 'map') renderMap();
    else if (state.view === 'gaps') renderGaps();
    else if (state.view === 'review') renderReview();
    document.title = 'govmap: ' + { map: 'Map', gaps: 'Gaps', review: 'Review' }[state.view];
  }

  function updateTabLinks() {
    for (const v of ['map', 'gaps', 'review']) {
      $('tab-' + v).setAttribute('href', urlFor(Object.assign({}, state, { view: v })));
    }
  }
  for (const v of ['map', 'gaps', 'review']) {
    $('tab-' + v).addEventListener('click', (ev) => {
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
      ev.preventDefault();
      navigate({ view: v });
    });
  }
  $('home-link').addEventListener('click', (ev) => {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
    ev.preventDefault();
    navigate({ view: 'map', under: '', scope: '', participation: '', region: '', 'as-of': '', m: '' });
  });
  $('error-close').addEventListener('click', hideError);

  // ---------------------------------------------------------------- taxonomy selects
  function fillAreaSelect(select, firstLabel) {
    const current = select.value;
    clear(select);
    select.append(el('option', { value: '' }, firstLabel));
    const children = new Map();
    for (const a of areas) {
      const p = a.parent || '';
      if (!children.has(p)) children.set(p, []);
      children.get(p).push(a);
    }
    for (const list of children.values()) list.sort((x, y) => String(x.name).localeCompare(String(y.name)));
    const walk = (parent, depth) => {
      for (const a of children.get(parent) || []) {
        const label = '\u00a0\u00a0\u00a0'.repeat(depth) + a.name + (a.mechanisms !== undefined ? ` (${a.mechanisms})` : '');
        select.append(el('option', { value: a.code, class: 'level-' + a.level }, label));
        walk(a.code, depth + 1);
      }
    };
    walk('', 0);
    select.value = current;
  }

  function ensureOption(select, value, label) {
    if (!value) return;
    if (![...select.options].some((o) => o.value === value)) select.append(el('option', { value }, label || value));
  }

  // ================================================================ MAP VIEW
  let cy = null;
  let graphKey = null;       // the query the drawn graph answers
  let graphSeq = 0;
  let graphMode = 'none';    // 'full' | 'areas' | 'none'
  let panelSlug = null;
  let panelSeq = 0;
  let minFounded = EARLIEST_YEAR;

  function graphQuery() {
    const q = new URLSearchParams();
    for (const k of ['under', 'scope', 'region', 'as-of']) if (state[k]) q.set(k, state[k]);
    return q.toString();
  }

  function renderMap() {
    // controls
    fillMapControls();
    const key = graphQuery();
    if (key !== graphKey) loadGraph(key);
    else applyParticipation();
    updateExportLink();
    if ((state.m || null) !== panelSlug) loadPanel(state.m || null);
    else if (state.m) selectNode('mechanism:' + state.m, false);
  }

  function fillMapControls() {
    const under = $('f-under');
    ensureOption(under, state.under, state.under);
    under.value = state.under || '';
    $('f-scope').value = state.scope || '';
    ensureOption($('f-participation'), state.participation, human(state.participation));
    $('f-participation').value = state.participation || '';
    ensureOption($('f-region'), state.region, regionNames.get(state.region) || state.region);
    $('f-region').value = state.region || '';
    const slider = $('f-asof');
    slider.min = String(Math.min(minFounded, THIS_YEAR));
    slider.max = String(THIS_YEAR);
    const asOf = state['as-of'];
    const all = asOf === 'all';
    $('f-allyears').checked = all;
    slider.disabled = all;
    const year = /^\d{4}$/.test(asOf || '') ? Number(asOf) : THIS_YEAR;
    slider.value = String(year);
    $('f-asof-value').textContent = all ? 'all years' : String(year);
  }

  $('f-under').addEventListener('change', (e) => navigate({ under: e.target.value }));
  $('f-scope').addEventListener('change', (e) => navigate({ scope: e.target.value }));
  $('f-participation').addEventListener('change', (e) => navigate({ participation: e.target.value }));
  $('f-region').addEventListener('change', (e) => navigate({ region: e.target.value }));
  const asOfChanged = debounce((v) => navigate({ 'as-of': Number(v) === THIS_YEAR ? '' : v }), 250);
  $('f-asof').addEventListener('input', (e) => {
    $('f-asof-value').textContent = e.target.value;
    asOfChanged(e.target.value);
  });
  $('f-allyears').addEventListener('change', (e) => {
    navigate({ 'as-of': e.target.checked ? 'all' : '' });
  });
  $('export-format').addEventListener('change', updateExportLink);
  $('map-filters').addEventListener('submit', (e) => e.preventDefault());

  function updateExportLink() {
    const q = new URLSearchParams();
    const fmt = $('export-format').value;
    q.set('format', fmt);
    for (const k of ['under', 'scope', 'region', 'as-of']) if (state[k]) q.set(k, state[k]);
    const a = $('export-link');
    a.href = '/api/v1/export?' + q.toString();
    const ext = { graphml: 'graphml', gexf: 'gexf', dot: 'dot', cytoscape: 'json', kumu: 'json' }[fmt] || 'txt';
    a.setAttribute('download', 'govmap' + (state.under ? '-' + state.under : '') + '.' + ext);
  }

  function setGraphStatus(text) { $('graph-status').textContent = text; }

  async function loadGraph(key) {
    const seq = ++graphSeq;
    graphKey = key;
    setGraphStatus('Loading…');
    document.body.dataset.graph = 'loading';
    let res;
    try {
      res = await api('/api/v1/graph' + (key ? '?' + key : ''));
    } catch (e) {
      if (seq !== graphSeq) return;
      setGraphStatus('');
      document.body.dataset.graph = 'error';
      graphKey = null;
      showError('Could not load the map: ' + e.message);
      return;
    }
    if (seq !== graphSeq) return;
    hideError();
    drawGraph(res);
    document.body.dataset.graph = 'ready';
  }

  // The export's size, with a floor so that small nodes stay visible and clickable. On a big
  // map a region can have tens of thousands of links: sizes of a kind whose largest passes
  // MAX_NODE_SIZE are scaled down to it, keeping their order.
  const MAX_TAXONOMY_DRAWN = 300;
  const GAP_LIST_LIMIT = 100;
  const GAP_ROWS_SHOWN = 300;
  const GAP_FINDINGS_SHOWN = 200;
  let gapsShowAll = false;
  const MIN_NODE_SIZE = 18;
  const MAX_NODE_SIZE = 72;
  let largestSize = {};
  function nodeSize(n) {
    const s = Number(n.data('size'));
    if (!Number.isFinite(s)) return 20;
    const largest = largestSize[n.data('kind')] || s;
    const scaled = largest > MAX_NODE_SIZE ? MIN_NODE_SIZE + (MAX_NODE_SIZE - MIN_NODE_SIZE) * (s / largest) : s;
    return Math.max(MIN_NODE_SIZE, scaled);
  }
  function measureSizes(nodes) {
    largestSize = {};
    for (const n of nodes) {
      const d = n.data || {};
      const s = Number(d.size);
      if (Number.isFinite(s)) largestSize[d.kind] = Math.max(largestSize[d.kind] || 0, s);
    }
  }

  const CY_STYLE = [
    { selector: 'node', style: {
      'background-color': 'data(colour)', width: nodeSize, height: nodeSize,
      label: 'data(label)', 'font-family': 'Segoe UI, Helvetica Neue, Arial, sans-serif',
      'font-size': 11, color: '#1b1b1b', 'text-valign': 'bottom', 'text-margin-y': 3,
      'text-wrap': 'ellipsis', 'text-max-width': 140, 'min-zoomed-font-size': 7,
      'text-background-color': '#ffffff', 'text-background-opacity': 0.7, 'text-background-padding': 1,
      'border-width': 1, 'border-color': '#ffffff' } },
    { selector: 'node[kind = "area"]', style: { shape: 'round-rectangle', 'font-weight': 'bold', 'font-size': 12 } },
    { selector: 'node[level = "cluster"]', style: { 'font-size': 15 } },
    { selector: 'node[kind = "mechanism"]', style: { 'font-size': 11, 'min-zoomed-font-size': 6 } },
    { selector: 'node[kind = "stakeholder"]', style: { shape: 'diamond' } },
    { selector: 'node[kind = "region"]', style: { shape: 'hexagon' } },
    { selector: 'node[review_status = "proposed"]', style: { 'border-style': 'dashed', 'border-color': '#b35c00', 'border-width': 2 } },
    { selector: 'edge', style: { width: 1, 'line-color': '#c3c9d1', 'curve-style': 'haystack', opacity: 0.7 } },
    { selector: 'edge[kind = "within"]', style: { width: 2, 'line-color': '#8ea9c8' } },
    { selector: 'edge[kind = "part_of"], edge[kind = "reports_to"], edge[kind = "feeds_into"], edge[kind = "convened_by"], edge[kind = "operated_by"], edge[kind = "succeeded_by"], edge[kind = "cooperates_with"]',
      style: { 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'arrow-scale': 0.8, 'line-color': '#6b7a8c', 'target-arrow-color': '#6b7a8c', width: 1.5 } },
    { selector: 'edge[kind = "cooperates_with"]', style: { 'target-arrow-shape': 'none', 'line-style': 'dashed' } },
    { selector: '.faded', style: { opacity: 0.25, 'text-opacity': 0.25 } },
    { selector: 'node:selected, node.picked', style: { 'border-width': 4, 'border-color': '#d62728', 'z-index': 10 } },
    { selector: '.filtered', style: { display: 'none' } },
  ];

  function drawGraph(res) {
    const g = res.graph || {};
    const elements = (g.elements) || { nodes: [], edges: [] };
    graphMode = res.too_many ? 'areas' : 'full';
    // notice for big maps
    const notice = $('notice');
    if (res.too_many) {
      clear(notice);
      const what = res.mechanisms !== undefined ? `${res.mechanisms} mechanisms` : `${res.nodes} nodes`;
      notice.append(el('strong', null, what),
        `: choose a cluster or area to draw them (more than ${res.limit} nodes are not drawn at once). `,
        'The taxonomy is shown, sized by coverage; click an area to draw its mechanisms.');
      notice.hidden = false;
    } else {
      notice.hidden = true;
    }
    // earliest founding year for the slider, regions and participation values for the selects
    const nodes = elements.nodes || [];
    let earliest = null;
    const parts = new Set();
    for (const n of nodes) {
      const d = n.data || {};
      const f = Number(d.founded);
      if (d.kind === 'mechanism' && Number.isFinite(f) && f > 0) earliest = earliest === null ? f : Math.min(earliest, f);
      if (d.kind === 'mechanism' && d.participation) parts.add(d.participation);
      if (d.kind === 'region') regionNames.set(d.key, d.label);
    }
    if (earliest !== null && earliest < minFounded) minFounded = earliest;
    refillRegions();
    refillParticipation(parts);

    if (!cy) {
      cy = window.cytoscape({
        container: $('cy'), elements: [], style: CY_STYLE,
        minZoom: 0.05, maxZoom: 4, boxSelectionEnabled: false,
      });
      cy.on('tap', 'node', (ev) => onNodeTap(ev.target));
      cy.on('tap', (ev) => { if (ev.target === cy) clearHighlight(); });
      cy.on('mouseover', 'node', (ev) => { $('cy').title = ev.target.data('label') || ''; });
      // The side panel narrows the graph: tell cytoscape its container changed.
      if (window.ResizeObserver) new ResizeObserver(() => cy.resize()).observe($('cy-wrap'));
    }
    cy.elements().remove();
    measureSizes(nodes);
    cy.add(nodes.concat(elements.edges || []));
    applyParticipation(true);
    layout();
    buildLegend(nodes);
    updateGraphStatus();
    fillMapControls();
    if (state.m) selectNode('mechanism:' + state.m, true);
  }

  function layout() {
    const n = cy.nodes(':visible').length;
    const level = { cluster: 3, area: 2, issue: 1 };
    const opts = graphMode === 'areas'
      ? { name: 'concentric', animate: false, concentric: (node) => level[node.data('level')] || 0, levelWidth: () => 1, minNodeSpacing: 6 }
      : n > 600
      ? { name: 'concentric', animate: false, concentric: (node) => ({ area: 3, region: 1, stakeholder: 2 }[node.data('kind')] || 0), levelWidth: () => 1, minNodeSpacing: 4 }
      : { name: 'cose', animate: false, randomize: true, padding: 20, nodeRepulsion: () => 16000, idealEdgeLength: () => 70, nodeOverlap: 10 };
    cy.elements(':visible').layout(opts).run();
    fitView();
  }

  // Fit what is drawn, without blowing a small graph up to giant nodes.
  function fitView() {
    cy.fit(cy.elements(':visible'), 24);
    if (cy.zoom() > 1.4) {
      cy.zoom(1.4);
      cy.center(cy.elements(':visible'));
    }
  }

  function refillRegions() {
    const s = $('f-region');
    const cur = state.region || '';
    clear(s);
    s.append(el('option', { value: '' }, 'Any region'));
    const list = [...regionNames.entries()].sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    for (const [code, name] of list) s.append(el('option', { value: code }, name));
    ensureOption(s, cur, cur);
    s.value = cur;
  }

  const knownParticipation = new Set();
  function refillParticipation(parts) {
    for (const p of parts) knownParticipation.add(p);
    const s = $('f-participation');
    const cur = state.participation || '';
    clear(s);
    s.append(el('option', { value: '' }, 'Any participation'));
    for (const p of [...knownParticipation].sort()) s.append(el('option', { value: p }, human(p)));
    s.append(el('option', { value: 'unknown' }, 'not recorded'));
    ensureOption(s, cur, human(cur));
    s.value = cur;
  }

  // Participation is filtered here: mechanisms of other participation are hidden (with their edges).
  function applyParticipation(noLayout) {
    if (!cy) return;
    const want = graphMode === 'full' ? (state.participation || '') : '';
    const before = cy.nodes('.filtered').length;
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        if (n.data('kind') !== 'mechanism' || !want) { n.removeClass('filtered'); return; }
        const p = n.data('participation') || 'unknown';
        n.toggleClass('filtered', p !== want);
      });
    });
    hideUnused();
    updateGraphStatus();
    const after = cy.nodes('.filtered').length;
    if (!noLayout && before !== after) layout();
  }

  function updateGraphStatus() {
    const vis = cy.nodes(':visible');
    const mech = vis.filter('[kind = "mechanism"]').length;
    setGraphStatus(graphMode === 'areas' ? `${vis.length} taxonomy nodes` :
      `${mech} mechanism${mech === 1 ? '' : 's'}, ${vis.length - mech} other nodes, ${cy.edges(':visible').length} links`);
  }

  // Regions and stakeholder groups that no drawn mechanism links to are left out (the export
  // carries the whole region tree); a used region keeps the regions it lies within.
  function hideUnused() {
    cy.batch(() => {
      const keep = new Set();
      cy.nodes('[kind = "region"], [kind = "stakeholder"]').forEach((n) => {
        const used = n.connectedEdges().some((e) => e.data('kind') !== 'within' &&
          e.connectedNodes().some((o) => o.data('kind') === 'mechanism' && !o.hasClass('filtered')));
        if (!used) return;
        keep.add(n.id());
        let up = n;
        for (let i = 0; i < 10; i++) {
          const parent = up.outgoers('edge[kind = "within"]').targets();
          if (!parent.length) break;
          up = parent[0];
          keep.add(up.id());
        }
      });
      cy.nodes('[kind = "region"], [kind = "stakeholder"]').forEach((n) => n.toggleClass('filtered', !keep.has(n.id())));
      // A whole big taxonomy (hundreds of issues) is drawn as its clusters and areas; an area
      // chosen from it shows its issues.
      const issues = cy.nodes('[kind = "area"][level = "issue"]');
      issues.toggleClass('filtered', graphMode === 'areas' && cy.nodes('[kind = "area"]').length > MAX_TAXONOMY_DRAWN);
    });
  }

  function buildLegend(nodes) {
    const lg = $('legend');
    clear(lg);
    const seen = new Map();
    for (const n of nodes) {
      const d = n.data || {};
      if (d.kind !== 'mechanism') continue;
      const p = d.participation || 'not recorded';
      if (!seen.has(p) && d.colour) seen.set(p, d.colour);
    }
    const item = (colour, label, cls) => {
      const sw = el('span', { class: 'swatch ' + (cls || '') });
      if (colour) sw.style.backgroundColor = colour;
      return el('li', null, sw, label);
    };
    const ul = el('ul');
    for (const [p, c] of [...seen.entries()].sort()) ul.append(item(c, 'mechanism: ' + human(p)));
    ul.append(item('#1f4e79', 'cluster / area / issue', 'square'));
    ul.append(item('#70ad47', 'stakeholder group', 'diamond'));
    ul.append(item('#7f6aa8', 'region', 'hex'));
    lg.append(el('div', { class: 'legend-title' }, 'Legend'), ul);
  }

  function onNodeTap(node) {
    const kind = node.data('kind');
    if (kind === 'mechanism') {
      navigate({ m: node.data('key') });
    } else if (kind === 'area') {
      if (graphMode === 'areas' || node.data('key') !== state.under) navigate({ under: node.data('key'), m: '' });
    } else if (kind === 'region') {
      navigate({ region: node.data('key') });
    } else {
      highlight(node);
    }
  }

  function highlight(node) {
    cy.batch(() => {
      cy.elements().addClass('faded');
      node.closedNeighborhood().removeClass('faded');
    });
  }
  function clearHighlight() { if (cy) cy.elements().removeClass('faded'); }

  function selectNode(id, center) {
    if (!cy) return;
    cy.nodes('.picked').removeClass('picked');
    const n = cy.getElementById(id);
    if (n && n.length) {
      n.addClass('picked');
      highlight(n);
      if (center) cy.animate({ center: { eles: n }, duration: 0 });
    } else {
      clearHighlight();
    }
  }

  // ---------------------------------------------------------------- side panel
  $('panel-close').addEventListener('click', () => navigate({ m: '' }));

  async function loadPanel(slug) {
    panelSlug = slug;
    const seq = ++panelSeq;
    const panel = $('panel');
    if (!slug) {
      panel.hidden = true;
      document.body.dataset.panel = 'closed';
      if (cy) { cy.nodes('.picked').removeClass('picked'); clearHighlight(); }
      return;
    }
    panel.hidden = false;
    document.body.dataset.panel = 'loading';
    $('panel-title').textContent = slug;
    clear($('panel-body'));
    $('panel-body').append(el('p', { class: 'muted' }, 'Loading…'));
    let m;
    try {
      m = await api('/api/v1/mechanisms/' + encodeURIComponent(slug));
    } catch (e) {
      if (seq !== panelSeq) return;
      clear($('panel-body'));
      $('panel-body').append(el('p', { class: 'error-text' }, e.status === 404 ? `No mechanism "${slug}" on the map.` : 'Could not load: ' + e.message));
      document.body.dataset.panel = 'error';
      return;
    }
    if (seq !== panelSeq) return;
    fillPanel(m);
    selectNode('mechanism:' + slug, true);
    document.body.dataset.panel = 'ready';
  }

  function section(title, id, content) {
    return el('section', { class: 'panel-section', id }, el('h3', null, title), content);
  }

  function fillPanel(m) {
    $('panel-title').textContent = m.name + (m.acronym ? ` (${m.acronym})` : '');
    const body = $('panel-body');
    clear(body);
    const sources = new Map((m.sources || []).map((s) => [s.key, s]));
    const srcRef = (key) => {
      if (!key) return null;
      const s = sources.get(key);
      const u = s && safeUrl(s.url);
      return u ? el('a', { href: u, rel: 'noopener noreferrer', target: '_blank', class: 'src-ref', title: s.title || key }, '[source]')
        : el('span', { class: 'src-ref muted', title: key }, '[' + key + ']');
    };

    if (m.review && m.review !== 'accepted') body.append(el('p', { class: 'badge proposed' }, human(m.review)));
    if (m.description) body.append(el('p', { class: 'description', id: 'panel-description' }, m.description));

    const dl = el('dl', { class: 'attrs', id: 'panel-attrs' });
    const attr = (label, value, node) => {
      if ((value === null || value === undefined || value === '') && !node) return;
      dl.append(el('dt', null, label), el('dd', { dataset: { field: label } }, node || human(value)));
    };
    attr('Kind', m.kind);
    attr('Scope', m.scope);
    attr('Model', m.model);
    attr('Centrality', m.centrality);
    attr('Status', m.status);
    attr('Founded', m.founded);
    attr('Ended', m.ended);
    attr('Open participation', m.open_participation === undefined || m.open_participation === null ? null : (m.open_participation === true || m.open_participation === 'true' ? 'yes' : 'no'));
    attr('Authority', m.authority);
    if (m.url) attr('Web site', null, extLink(m.url));
    attr('Note', m.note);
    if (m.source) attr('Source', null, srcRef(m.source) || document.createTextNode(m.source));
    body.append(dl);

    // areas
    const areasUl = el('ul', { class: 'areas' });
    for (const a of m.areas || []) {
      const link = el('a', { href: urlFor(Object.assign({}, state, { view: 'map', under: a.code, m: m.slug })), class: 'area-link', dataset: { code: a.code } }, a.name);
      link.addEventListener('click', (ev) => { ev.preventDefault(); navigate({ under: a.code }); });
      areasUl.append(el('li', { class: 'area' }, link, ' ',
        el('span', { class: 'muted' }, `${human(a.level)}, ${human(a.strength)}`),
        a.valid_from || a.valid_to ? el('span', { class: 'muted' }, ` ${a.valid_from || '…'}–${a.valid_to || ''}`) : null,
        ' ', srcRef(a.source)));
    }
    body.append(section('Areas', 'panel-areas', (m.areas || []).length ? areasUl : el('p', { class: 'muted' }, 'None recorded.')));

    // relations both ways
    const relUl = el('ul', { class: 'relations' });
    for (const r of m.relations || []) {
      const other = el('a', { href: urlFor(Object.assign({}, state, { view: 'map', m: r.slug })), class: 'relation-link', dataset: { slug: r.slug } }, r.name || r.slug);
      other.addEventListener('click', (ev) => { ev.preventDefault(); navigate({ m: r.slug }); });
      const kind = el('span', { class: 'rel-kind' }, human(r.kind));
      const li = r.direction === 'in'
        ? el('li', { class: 'relation in' }, other, ' ', kind, ' this')
        : el('li', { class: 'relation out' }, 'this ', kind, ' ', other);
      li.append(' ', srcRef(r.source));
      relUl.append(li);
    }
    body.append(section('Relations', 'panel-relations', (m.relations || []).length ? relUl : el('p', { class: 'muted' }, 'None recorded.')));

    // participation
    const stUl = el('ul', { class: 'stakeholders' });
    for (const s of m.stakeholders || []) {
      stUl.append(el('li', null, s.name || human(s.code), ' ', el('span', { class: 'muted' }, human(s.role)), ' ', srcRef(s.source)));
    }
    body.append(section('Participation', 'panel-stakeholders', (m.stakeholders || []).length ? stUl : el('p', { class: 'muted' }, 'Not recorded.')));

    // regions
    const rgUl = el('ul', { class: 'regions' });
    for (const r of m.regions || []) rgUl.append(el('li', null, r.name || r.code, ' ', srcRef(r.source)));
    body.append(section('Regions', 'panel-regions', (m.regions || []).length ? rgUl : el('p', { class: 'muted' }, m.scope === 'global' ? 'Global.' : 'None recorded.')));

    // assessments
    if ((m.assessments || []).length) {
      const asUl = el('ul', { class: 'assessments' });
      for (const a of m.assessments) asUl.append(el('li', null, `${human(a.principle)}: ${a.score}/3`, a.evidence ? el('span', { class: 'muted' }, ' — ' + a.evidence) : null));
      body.append(section('Assessments', 'panel-assessments', asUl));
    }

    // sources
    const srcUl = el('ul', { class: 'sources' });
    for (const s of m.sources || []) {
      srcUl.append(el('li', { class: 'source', dataset: { key: s.key } }, extLink(s.url, s.title || s.key),
        s.publisher ? el('span', { class: 'muted' }, ' — ' + s.publisher) : null,
        s.published ? el('span', { class: 'muted' }, ` (${s.published})`) : null));
    }
    body.append(section('Sources', 'panel-sources', (m.sources || []).length ? srcUl : el('p', { class: 'muted' }, 'None.')));
    const foot = [];
    if (m.contributed_by) foot.push('contributed by ' + m.contributed_by);
    if (m.updated) foot.push('updated ' + m.updated);
    if (m.version) foot.push('version ' + m.version);
    if (foot.length) body.append(el('p', { class: 'muted small' }, foot.join(', ')));
  }

  // ================================================================ GAPS VIEW
  let gapsKey = null;
  let gapsSeq = 0;

  function gapsQuery() {
    const q = new URLSearchParams();
    for (const k of ['level', 'under', 'as-of', 'min-mechanisms', 'max-depth', 'kinds']) if (state[k]) q.set(k, state[k]);
    for (const k of GAP_BOOLS) if (state[k] === '1') q.set(k, '1');
    return q.toString();
  }

  function buildKindBoxes() {
    const box = $('g-kinds');
    for (const k of GAP_KINDS) {
      const cb = el('input', { type: 'checkbox', value: k, id: 'g-kind-' + k });
      cb.addEventListener('change', onKindsChange);
      box.append(el('label', { class: 'inline', for: 'g-kind-' + k }, cb, ' ' + human(k)));
    }
  }
  function onKindsChange() {
    const checked = [...$('g-kinds').querySelectorAll('input:checked')].map((c) => c.value);
    navigate({ kinds: checked.length === GAP_KINDS.length ? '' : (checked.length ? checked.join(',') : 'none') });
  }

  function fillGapControls() {
    $('g-level').value = state.level || '';
    ensureOption($('g-under'), state.under, state.under);
    $('g-under').value = state.under || '';
    $('g-asof').value = state['as-of'] || '';
    $('g-min').value = state['min-mechanisms'] || '';
    $('g-depth').value = state['max-depth'] || '';
    for (const k of GAP_BOOLS) $('g-' + k).checked = state[k] === '1';
    const kinds = state.kinds ? state.kinds.split(',') : GAP_KINDS;
    for (const cb of $('g-kinds').querySelectorAll('input')) cb.checked = kinds.includes(cb.value);
  }

  $('g-level').addEventListener('change', (e) => navigate({ level: e.target.value }));
  $('g-under').addEventListener('change', (e) => navigate({ under: e.target.value }));
  $('g-asof').addEventListener('change', (e) => {
    const v = e.target.value.trim().toLowerCase();
    if (v && !/^(\d{4}|all)$/.test(v)) { showError('As of: a year (YYYY) or "all".'); return; }
    navigate({ 'as-of': v });
  });
  $('g-min').addEventListener('change', (e) => navigate({ 'min-mechanisms': e.target.value }));
  $('g-depth').addEventListener('change', (e) => navigate({ 'max-depth': e.target.value }));
  for (const k of GAP_BOOLS) $('g-' + k).addEventListener('change', (e) => navigate({ [k]: e.target.checked ? '1' : '' }));
  $('gap-filters').addEventListener('submit', (e) => e.preventDefault());

  function renderGaps() {
    fillGapControls();
    const key = gapsQuery();
    if (key !== gapsKey) loadGaps(key);
  }

  async function loadGaps(key) {
    const seq = ++gapsSeq;
    gapsKey = key;
    gapsShowAll = false;
    document.body.dataset.gaps = 'loading';
    $('gaps-settings').textContent = 'Loading…';
    if (state.kinds === 'none') {
      drawGaps({ nodes: [], findings: [], brokers: [], settings: 'No finding kinds selected.' });
      document.body.dataset.gaps = 'ready';
      return;
    }
    let r;
    try {
      // The report's lists are cut for the browser (the counts are not): a finding about a big
      // map names every mechanism it concerns.
      r = await api('/api/v1/gaps?' + (key ? key + '&' : '') + 'list-limit=' + GAP_LIST_LIMIT);
    } catch (e) {
      if (seq !== gapsSeq) return;
      gapsKey = null;
      $('gaps-settings').textContent = '';
      document.body.dataset.gaps = 'error';
      showError('Could not load the gap report: ' + e.message);
      return;
    }
    if (seq !== gapsSeq) return;
    hideError();
    drawGaps(r);
    document.body.dataset.gaps = 'ready';
  }

  const STAKEHOLDER_LABELS = {
    governments: 'Govern\u00adments', private_sector: 'Private sector', civil_society: 'Civil society',
    technical_community: 'Technical community', academia: 'Academia', intergovernmental_organisations: 'IGOs',
  };

  function gapColumns(r) {
    const first = (r.nodes || [])[0] || {};
    const cols = [
      { key: 'mechanisms', label: 'Mechanisms', get: (n) => n.mechanisms, gap: true },
      { key: 'participation:multistakeholder', label: 'Multi\u00adstakeholder', get: (n) => (n.participation || {}).multistakeholder, gap: true },
      { key: 'scope:global', label: 'Global', get: (n) => (n.scope || {}).global, gap: true },
      { key: 'scope:regional', label: 'Regional', get: (n) => (n.scope || {}).regional },
      { key: 'scope:national', label: 'National', get: (n) => (n.scope || {}).national },
      { key: 'model:intergovernmental', label: 'Inter\u00adgovern\u00admental', get: (n) => (n.model || {}).intergovernmental },
      { key: 'centrality:core', label: 'Core', get: (n) => (n.centrality || {}).core },
      { key: 'centrality:adjacent', label: 'Adjacent', get: (n) => (n.centrality || {}).adjacent },
    ];
    for (const s of Object.keys(first.stakeholder || {})) {
      cols.push({ key: 'stakeholder:' + s, label: STAKEHOLDER_LABELS[s] || human(s), get: (n) => (n.stakeholder || {})[s], gap: true, group: 'stakeholder' });
    }
    if (r.filters && r.filters.by_region) {
      for (const g of Object.keys(first.region || {})) {
        cols.push({ key: 'region:' + g, label: regionNames.get(g) || human(g), get: (n) => (n.region || {})[g], gap: true, group: 'region' });
      }
    }
    return cols;
  }

  function drawGaps(r) {
    $('gaps-settings').textContent = r.settings || '';
    // summary
    const sum = $('gaps-summary');
    clear(sum);
    if (r.summary) {
      for (const basis of ['coverage', 'data']) {
        const s = r.summary[basis] || {};
        sum.append(el('span', { class: 'summary-item', id: 'summary-' + basis },
          `${basis === 'coverage' ? 'Coverage gaps' : 'Data gaps'}: `,
          el('span', { class: 'sev sev-high' }, `${s.high || 0} high`), ' ',
          el('span', { class: 'sev sev-medium' }, `${s.medium || 0} medium`), ' ',
          el('span', { class: 'sev sev-low' }, `${s.low || 0} low`)));
      }
    }
    // heat map
    const table = $('heatmap');
    clear(table);
    const nodes = r.nodes || [];
    const cols = gapColumns(r);
    const max = cols.map((c) => Math.max(0, ...nodes.map((n) => Number(c.get(n)) || 0)));
    const head = el('tr', null, el('th', { scope: 'col', class: 'node-col' }, 'Node'));
    cols.forEach((c) => head.append(el('th', { scope: 'col', class: 'dim ' + (c.group || ''), title: c.key }, el('span', null, c.label))));
    table.append(el('thead', null, head));
    const tbody = el('tbody');
    const depth = { cluster: 0, area: 1, issue: 2 };
    // A big taxonomy is shown a page at a time: a browser lays out a table of 1 500 rows and
    // 45 columns slowly, and nobody reads it at once.
    const shownNodes = gapsShowAll ? nodes : nodes.slice(0, GAP_ROWS_SHOWN);
    for (const n of shownNodes) {
      const link = el('a', { href: urlFor(Object.assign({}, state, { view: 'map', under: n.code, m: '' })), class: 'node-link', title: n.code }, n.name);
      link.addEventListener('click', (ev) => { if (ev.button !== 0 || ev.ctrlKey || ev.metaKey) return; ev.preventDefault(); navigate({ view: 'map', under: n.code, m: '' }); });
      const th = el('th', { scope: 'row', class: 'node level-' + n.level }, link);
      th.style.paddingLeft = (0.5 + 1.2 * (depth[n.level] || 0)) + 'em';
      const tr = el('tr', { class: 'row level-' + n.level, id: 'row-' + n.code, dataset: { code: n.code } }, th);
      cols.forEach((c, i) => {
        const v = Number(c.get(n)) || 0;
        const td = el('td', { class: 'cell', dataset: { row: n.code, col: c.key, value: String(v) }, title: `${n.name}: ${c.label.replace(/\u00ad/g, '')} ${v}` }, String(v));
        shade(td, v, max[i], c.gap);
        tr.append(td);
      });
      tbody.append(tr);
    }
    table.append(tbody);
    if (!nodes.length) table.append(el('caption', null, 'No nodes.'));
    const findings = r.findings || [];
    const more = $('gaps-more');
    clear(more);
    if (shownNodes.length < nodes.length || (!gapsShowAll && findings.length > GAP_FINDINGS_SHOWN)) {
      const button = el('button', { type: 'button', id: 'gaps-show-all' },
        `Show all ${nodes.length} nodes and ${findings.length} findings`);
      button.addEventListener('click', () => { gapsShowAll = true; drawGaps(r); });
      more.append(el('span', null, `Showing the first ${shownNodes.length} nodes and ` +
        `${Math.min(findings.length, GAP_FINDINGS_SHOWN)} findings. `), button);
      more.hidden = false;
    } else {
      more.hidden = true;
    }

    // findings
    const nameOf = new Map(nodes.map((n) => [n.code, n.name]));
    const ol = $('findings');
    clear(ol);
    (gapsShowAll ? findings : findings.slice(0, GAP_FINDINGS_SHOWN)).forEach((f, i) => {
      const kinds = f.kinds || [];
      const li = el('li', { class: `finding severity-${f.severity} basis-${f.basis}`, id: 'finding-' + i,
        dataset: { node: f.node || '', kinds: kinds.join(' '), severity: f.severity, basis: f.basis } });
      li.append(el('span', { class: 'sev sev-' + f.severity }, f.severity),
        el('span', { class: 'basis' }, f.basis === 'data' ? 'data gap' : 'coverage gap'),
        el('span', { class: 'kinds' }, kinds.map(human).join(', ')),
        el('span', { class: 'finding-node' }, f.node ? (f.name || nameOf.get(f.node) || f.node) : 'whole map'),
        el('p', { class: 'finding-text' }, f.detail || (f.reasons || []).join('; ')));
      ol.append(li);
    });
    if (!(r.findings || []).length) ol.append(el('li', { class: 'muted none' }, 'No findings.'));

    // brokers
    const br = $('brokers');
    clear(br);
    for (const b of r.brokers || []) {
      const a = el('a', { href: urlFor(Object.assign({}, state, { view: 'map', m: b.slug })), class: 'broker-link' }, b.name || b.slug);
      a.addEventListener('click', (ev) => { if (ev.button !== 0 || ev.ctrlKey || ev.metaKey) return; ev.preventDefault(); navigate({ view: 'map', m: b.slug }); });
      br.append(el('li', null, a, el('span', { class: 'muted' }, ` ${(Number(b.betweenness) * 100).toFixed(1)}% of shortest paths`)));
    }
  }

  function shade(td, v, max, gap) {
    if (v === 0) {
      td.classList.add(gap ? 'zero-gap' : 'zero');
      return;
    }
    const t = max > 0 ? v / max : 0;
    const alpha = 0.12 + 0.78 * t;
    td.style.backgroundColor = `rgba(31, 78, 121, ${alpha.toFixed(3)})`;
    td.style.color = alpha > 0.5 ? '#ffffff' : '#10243a';
  }

  // ================================================================ REVIEW VIEW
  let proposalsKey = null;
  let proposalId = null;
  let reviewSeq = 0;
  let proposalSeq = 0;

  $('r-status').addEventListener('change', (e) => navigate({ status: e.target.value === 'open' ? '' : e.target.value }));

  function renderReview() {
    $('r-status').value = state.status || 'open';
    const key = state.status || 'open';
    if (key !== proposalsKey) loadProposals(key);
    else markCurrentProposal();
    if ((state.p || null) !== proposalId) loadProposal(state.p || null);
  }

  async function loadProposals(status) {
    const seq = ++reviewSeq;
    proposalsKey = status;
    document.body.dataset.proposals = 'loading';
    let list;
    try {
      list = await api('/api/v1/proposals?status=' + encodeURIComponent(status));
    } catch (e) {
      if (seq !== reviewSeq) return;
      proposalsKey = null;
      document.body.dataset.proposals = 'error';
      showError('Could not load the proposals: ' + e.message);
      return;
    }
    if (seq !== reviewSeq) return;
    const ul = $('proposals');
    clear(ul);
    for (const p of list || []) {
      const a = el('a', { href: urlFor(Object.assign({}, state, { view: 'review', p: String(p.id) })), class: 'proposal-link' },
        el('span', { class: 'pid' }, '#' + p.id), ' ', el('span', { class: 'psummary' }, p.summary || ''));
      a.addEventListener('click', (ev) => { if (ev.button !== 0 || ev.ctrlKey || ev.metaKey) return; ev.preventDefault(); navigate({ p: String(p.id) }); });
      ul.append(el('li', { class: 'proposal-item status-' + p.status, id: 'proposal-' + p.id, dataset: { id: String(p.id) } }, a,
        el('div', { class: 'muted small' }, `${p.author || ''}, ${p.created_at || ''} — ${p.changes || ''}${p.status !== 'open' ? ' — ' + p.status : ''}`)));
    }
    if (!(list || []).length) ul.append(el('li', { class: 'muted none' }, 'No proposals.'));
    markCurrentProposal();
    document.body.dataset.proposals = 'ready';
  }

  function markCurrentProposal() {
    for (const li of $('proposals').querySelectorAll('li.proposal-item')) li.classList.toggle('current', li.dataset.id === state.p);
  }

  function fmtValue(v) {
    if (v === null || v === undefined) return '(none)';
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  async function loadProposal(id) {
    proposalId = id;
    const seq = ++proposalSeq;
    const box = $('proposal');
    clear(box);
    if (!id) {
      box.append(el('p', { class: 'muted' }, 'Choose a proposal to see what it would change.'));
      return;
    }
    document.body.dataset.proposal = 'loading';
    let p;
    try {
      p = await api('/api/v1/proposals/' + encodeURIComponent(id));
    } catch (e) {
      if (seq !== proposalSeq) return;
      box.append(el('p', { class: 'error-text' }, 'Could not load proposal ' + id + ': ' + e.message));
      document.body.dataset.proposal = 'error';
      return;
    }
    if (seq !== proposalSeq) return;
    box.append(el('h2', { id: 'proposal-title' }, `Proposal #${p.id}: ${p.summary || ''}`));
    box.append(el('p', { class: 'muted' }, `${human(p.status)} — by ${p.author || '?'}, ${p.created_at || ''}${p.decided_by ? `; decided by ${p.decided_by}, ${p.decided_at || ''}` : ''}`));
    if (p.note) box.append(el('p', { class: 'note' }, 'Note: ' + p.note));

    for (const r of p.records || []) {
      const rec = el('div', { class: 'record' + (r.stale ? ' stale' : ''), dataset: { key: r.key || '', type: r.type || '' } });
      rec.append(el('h3', null, `${human(r.op)} ${human(r.type)} `, el('code', null, r.key || ''),
        r.stale ? el('span', { class: 'badge stale-badge' }, 'changed since proposed') : null));
      const t = el('table', { class: 'diff' });
      t.append(el('thead', null, el('tr', null, el('th', null, 'Field'), el('th', null, 'Before'), el('th', null, 'After'))));
      const tb = el('tbody');
      for (const f of r.fields || []) {
        tb.append(el('tr', { class: 'diff-row', dataset: { field: f.field } },
          el('th', { scope: 'row' }, f.field),
          el('td', { class: 'before' + (f.before === null ? ' none' : '') }, f.before === null ? el('span', { class: 'muted' }, '(none)') : el('del', null, fmtValue(f.before))),
          el('td', { class: 'after' + (f.after === null ? ' none' : '') }, f.after === null ? el('span', { class: 'muted' }, '(none)') : el('ins', null, fmtValue(f.after)))));
      }
      t.append(tb);
      rec.append(t);
      box.append(rec);
    }
    if ((p.possible_duplicates || []).length) {
      const ul = el('ul', { class: 'duplicates' });
      for (const d of p.possible_duplicates) ul.append(el('li', null, typeof d === 'string' ? d : Object.entries(d).map(([k, v]) => `${k}: ${fmtValue(v)}`).join(', ')));
      box.append(el('h3', null, 'Possible duplicates'), ul);
    }
    if ((p.sources || []).length) {
      const ul = el('ul', { class: 'sources' });
      for (const s of p.sources) ul.append(el('li', null, typeof s === 'string' ? s : extLink(s.url, s.title || s.key)));
      box.append(el('h3', null, 'Sources'), ul);
    }
    if (info && info.can_review && p.status === 'open') box.append(reviewForm(p));
    document.body.dataset.proposal = 'ready';
  }

  function reviewForm(p) {
    const note = el('textarea', { id: 'review-note', rows: '3', placeholder: 'A note for the contributor (required to reject)' });
    const accept = el('button', { type: 'button', id: 'accept', class: 'button accept' }, 'Accept');
    const reject = el('button', { type: 'button', id: 'reject', class: 'button reject' }, 'Reject');
    const msg = el('p', { class: 'form-msg', id: 'review-msg', 'aria-live': 'polite' });
    const decide = async (action) => {
      const text = note.value.trim();
      if (action === 'reject' && !text) { msg.textContent = 'Rejecting needs a note: the contributor reads it.'; note.focus(); return; }
      accept.disabled = reject.disabled = true;
      msg.textContent = action === 'accept' ? 'Accepting…' : 'Rejecting…';
      try {
        await api(`/api/v1/proposals/${encodeURIComponent(p.id)}/${action}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'govmap', Accept: 'application/json' },
          body: JSON.stringify({ note: text }),
        });
      } catch (e) {
        msg.textContent = 'Refused: ' + e.message;
        accept.disabled = reject.disabled = false;
        return;
      }
      // The map changed: forget what was drawn and reload.
      graphKey = null; gapsKey = null; proposalsKey = null; proposalId = null; panelSlug = null;
      render();
    };
    accept.addEventListener('click', () => decide('accept'));
    reject.addEventListener('click', () => decide('reject'));
    return el('div', { class: 'review-form', id: 'review-form' },
      el('label', { for: 'review-note' }, 'Note'), note, el('div', { class: 'buttons' }, accept, ' ', reject), msg);
  }

  // ================================================================ SEARCH
  const search = $('search');
  const results = $('search-results');
  let searchSeq = 0;
  let activeResult = -1;

  function hideSearch() {
    results.hidden = true;
    search.setAttribute('aria-expanded', 'false');
    activeResult = -1;
  }

  const runSearch = debounce(async () => {
    const q = search.value.trim();
    const seq = ++searchSeq;
    if (q.length < 2) { clear(results); hideSearch(); return; }
    let list;
    try {
      list = await api('/api/v1/search?' + new URLSearchParams({ q, limit: '12' }).toString());
    } catch (e) {
      if (seq !== searchSeq) return;
      clear(results);
      results.append(el('li', { class: 'muted' }, 'Search failed: ' + e.message));
      results.hidden = false;
      return;
    }
    if (seq !== searchSeq) return;
    clear(results);
    activeResult = -1;
    for (const r of list || []) {
      const li = el('li', { class: 'search-result', role: 'option', dataset: { slug: r.slug } },
        el('span', { class: 'sr-name' }, r.name + (r.acronym ? ` (${r.acronym})` : '')),
        el('span', { class: 'muted small' }, [human(r.scope), human(r.status)].filter(Boolean).join(', ')));
      li.addEventListener('mousedown', (ev) => { ev.preventDefault(); pickResult(r.slug); });
      results.append(li);
    }
    if (!(list || []).length) results.append(el('li', { class: 'muted none' }, 'No mechanism found.'));
    results.hidden = false;
    search.setAttribute('aria-expanded', 'true');
  }, 200);

  function pickResult(slug) {
    search.value = '';
    clear(results);
    hideSearch();
    search.blur();
    navigate({ view: 'map', m: slug });
  }

  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', (ev) => {
    const items = [...results.querySelectorAll('li.search-result')];
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (!items.length) return;
      ev.preventDefault();
      activeResult = (activeResult + (ev.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
      items.forEach((li, i) => li.classList.toggle('active', i === activeResult));
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      const li = items[activeResult >= 0 ? activeResult : 0];
      if (li) pickResult(li.dataset.slug);
    } else if (ev.key === 'Escape') {
      hideSearch();
    }
  });
  search.addEventListener('blur', () => setTimeout(hideSearch, 150));
  search.addEventListener('focus', () => { if (results.children.length) { results.hidden = false; } });

  // ================================================================ start
  async function start() {
    buildKindBoxes();
    try {
      info = await api('/api/v1/info');
    } catch (e) {
      showError('Could not reach the govmap server: ' + e.message);
      info = { can_review: false, can_propose: false };
    }
    if (Number.isInteger(info.first_year) && info.first_year > 0) minFounded = info.first_year;
    $('map-version').textContent = info.map || '';
    const who = [];
    if (info.user) who.push(info.user);
    if (info.mechanisms !== undefined) who.push(`${info.mechanisms} mechanisms, ${info.areas} taxonomy nodes`);
    $('user').textContent = who.join(', ');
    const canSee = !!(info.can_review || info.can_propose);
    $('tab-review').hidden = !canSee;
    if (state.view === 'review' && !canSee) state.view = 'map';
    try {
      areas = await api('/api/v1/areas') || [];
      // Every region in which some mechanism operates, whatever the current selection draws.
      for (const r of await api('/api/v1/regions') || []) {
        if (Number(r.mechanisms) > 0) regionNames.set(r.code, r.name);
      }
      refillRegions();
    } catch (e) {
      showError('Could not load the taxonomy: ' + e.message);
    }
    fillAreaSelect($('f-under'), 'All clusters');
    fillAreaSelect($('g-under'), 'The whole map');
    history.replaceState(null, '', urlFor(state));
    render();
  }

  // A small hook for the browser tests (and for the curious, from the console).
  window.govmapTest = {
    idle: () => pending === 0 && document.body.dataset.graph !== 'loading',
    state: () => Object.assign({}, state),
    graphMode: () => graphMode,
    nodeIds: (kind) => (cy ? cy.nodes(':visible').filter((n) => !kind || n.data('kind') === kind).map((n) => n.id()) : []),
    nodeData: (id) => (cy && cy.getElementById(id).length ? Object.assign({}, cy.getElementById(id).data()) : null),
    // page coordinates of a node's centre (for a real mouse click)
    nodePosition: (id) => {
      if (!cy) return null;
      const n = cy.getElementById(id);
      if (!n.length || !n.visible()) return null;
      const p = n.renderedPosition();
      const r = $('cy').getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    },
    tap: (id) => { if (cy) cy.getElementById(id).emit('tap'); },
    cy: () => cy,
  };

  if (window.cytoscape) start();
  else window.addEventListener('load', start);
})();
