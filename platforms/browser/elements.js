// guiagent's element extractor: run as ONE page.evaluate per observation.
//
// Walks the document (open shadow roots and same-origin iframes included) and returns the
// visible controls plus the visible text, each with a raw role, an accessible name, states,
// a value and a box in top-level viewport CSS pixels. Roles are normalised in Python
// (platforms/browser/elements.py). Nothing here changes the page.
(opts) => {
  const maxElements = opts.maxElements;
  const maxNodes = opts.maxNodes;
  const NAME_MAX = 200;
  const TEXT_MAX = 300;

  // raw roles whose own text is their name: text inside them is not reported again
  const NAMED_BY_CONTENT = new Set([
    'button', 'togglebutton', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem',
    'menuitemcheckbox', 'menuitemradio', 'option', 'treeitem', 'label', 'textbox',
    'searchbox', 'combobox', 'spinbutton', 'slider', 'img', 'listitem',
  ]);
  // structure roles reported only when they carry a name (a dialog's title, a menu's label)
  const NAMED_CONTAINERS = new Set(['dialog', 'alertdialog', 'menu', 'menubar', 'listbox',
    'tablist', 'radiogroup', 'tree', 'grid', 'toolbar']);
  const TEXT_INPUTS = new Set(['', 'text', 'email', 'password', 'search', 'tel', 'url',
    'date', 'datetime-local', 'month', 'week', 'time']);

  const out = [];
  let visited = 0;
  let truncated = false;
  let crossOrigin = 0;
  const groups = new Map(); // text runs: key -> {names, box, states}
  let groupSeq = 0;

  const clean = (s, max) => {
    s = (s || '').replace(/\s+/g, ' ').trim();
    return s.length > max ? s.slice(0, max - 1) + '\u2026' : s;
  };

  const deepActive = () => {
    let a = document.activeElement;
    for (let i = 0; i < 20 && a; i++) {
      if (a.shadowRoot && a.shadowRoot.activeElement) { a = a.shadowRoot.activeElement; continue; }
      if (a.tagName === 'IFRAME') {
        let d = null;
        try { d = a.contentDocument; } catch (e) { d = null; }
        if (d && d.activeElement) { a = d.activeElement; continue; }
      }
      break;
    }
    return a;
  };
  const active = deepActive();

  const rawRole = (el, tag) => {
    const explicit = (el.getAttribute('role') || '').trim().split(/\s+/)[0].toLowerCase();
    if (explicit && explicit !== 'presentation' && explicit !== 'none' && explicit !== 'generic') {
      return explicit;
    }
    switch (tag) {
      case 'a': case 'area': return el.hasAttribute('href') ? 'link' : '';
      case 'button': return el.hasAttribute('aria-pressed') ? 'togglebutton' : 'button';
      case 'summary': return 'button';
      case 'select': return (el.multiple || el.size > 1) ? 'listbox' : 'combobox';
      case 'textarea': return 'textbox';
      case 'option': return 'option';
      case 'label': return 'label';
      case 'img': return 'img';
      case 'dialog': return 'dialog';
      case 'input': {
        const t = (el.getAttribute('type') || '').toLowerCase();
        if (t === 'hidden') return '';
        if (['button', 'submit', 'reset', 'image', 'file', 'color'].includes(t)) return 'button';
        if (t === 'checkbox') return 'checkbox';
        if (t === 'radio') return 'radio';
        if (t === 'range') return 'slider';
        if (t === 'number') return 'spinbutton';
        if (t === 'search') return 'searchbox';
        return 'textbox';
      }
    }
    if (el.isContentEditable && !(el.parentElement && el.parentElement.isContentEditable)) {
      return 'textbox';
    }
    return '';
  };

  const textOf = (ids, doc) => ids.split(/\s+/)
    .map((id) => doc.getElementById(id)).filter(Boolean)
    .map((n) => n.innerText || n.textContent || '').join(' ');

  const labelsOf = (el) => {
    try {
      return el.labels ? Array.from(el.labels).map((l) => l.innerText || '').join(' ') : '';
    } catch (e) { return ''; }
  };

  const nameOf = (el, tag, role) => {
    const root = el.getRootNode();
    const doc = root.getElementById ? root : el.ownerDocument;
    const by = el.getAttribute('aria-labelledby');
    if (by) { const t = clean(textOf(by, doc), NAME_MAX); if (t) return t; }
    const aria = clean(el.getAttribute('aria-label'), NAME_MAX);
    if (aria) return aria;
    if (tag === 'input' || tag === 'textarea' || tag === 'select') {
      const t = (el.getAttribute('type') || '').toLowerCase();
      if (tag === 'input' && ['button', 'submit', 'reset'].includes(t)) {
        return clean(el.value || (t === 'reset' ? 'Reset' : t === 'submit' ? 'Submit' : ''),
          NAME_MAX);
      }
      if (tag === 'input' && t === 'image') return clean(el.alt || el.title, NAME_MAX);
      const lab = clean(labelsOf(el), NAME_MAX);
      if (lab) return lab;
      return clean(el.getAttribute('placeholder') || el.getAttribute('aria-placeholder') ||
        el.title, NAME_MAX);
    }
    if (tag === 'img') return clean(el.alt || el.title, NAME_MAX);
    if (!NAMED_CONTAINERS.has(role)) {
      const inner = clean(el.innerText, NAME_MAX);
      if (inner) return inner;
      const img = el.querySelector('img[alt]');
      if (img && img.alt) return clean(img.alt, NAME_MAX);
    }
    return clean(el.title, NAME_MAX);
  };

  const statesOf = (el, tag, role, cs) => {
    const s = ['visible', 'showing'];
    const attr = (n) => (el.getAttribute(n) || '').toLowerCase();
    let disabled = false;
    try { disabled = el.matches(':disabled'); } catch (e) { disabled = false; }
    if (disabled || attr('aria-disabled') === 'true') s.push('disabled');
    else s.push('enabled', 'sensitive');
    if (el.tabIndex >= 0) s.push('focusable');
    if (el === active) s.push('focused');
    const checkable = tag === 'input' && (el.type === 'checkbox' || el.type === 'radio');
    if ((checkable && el.checked) || attr('aria-checked') === 'true' ||
        attr('aria-pressed') === 'true') s.push('checked');
    if (attr('aria-pressed') === 'true') s.push('pressed');
    if ((checkable && el.indeterminate) || attr('aria-checked') === 'mixed') s.push('mixed');
    if (checkable || attr('aria-checked') || role === 'switch') s.push('checkable');
    const isText = role === 'textbox' || role === 'searchbox' || role === 'spinbutton';
    if (isText && !disabled && !el.readOnly && attr('aria-readonly') !== 'true') {
      s.push('editable');
    }
    if (el.readOnly || attr('aria-readonly') === 'true') s.push('read_only');
    if (tag === 'textarea' || (el.isContentEditable && tag !== 'input')) s.push('multi_line');
    if (el.required || attr('aria-required') === 'true') s.push('required');
    if (attr('aria-selected') === 'true' || (tag === 'option' && el.selected)) s.push('selected');
    let expanded = attr('aria-expanded');
    if (tag === 'summary' && el.parentElement && el.parentElement.tagName === 'DETAILS') {
      expanded = el.parentElement.open ? 'true' : 'false';
    }
    if (expanded === 'true') s.push('expandable', 'expanded');
    if (expanded === 'false') s.push('expandable', 'collapsed');
    if (tag === 'input' && el.type === 'password') s.push('protected');
    if (cs.cursor === 'pointer') s.push('clickable');
    return s;
  };

  const valueOf = (el, tag, role) => {
    if (tag === 'input') {
      const t = (el.type || '').toLowerCase();
      if (t === 'password') return null; // never read a secret into an observation
      if (['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file'].includes(t)) {
        return null;
      }
      return el.value;
    }
    if (tag === 'textarea') return el.value;
    if (tag === 'select') {
      const o = el.options[el.selectedIndex];
      return o ? clean(o.label || o.text, TEXT_MAX) : '';
    }
    if (role === 'textbox' && el.isContentEditable) return clean(el.innerText, 2000);
    const now = el.getAttribute('aria-valuenow');
    if (now !== null && (role === 'slider' || role === 'spinbutton' || role === 'progressbar')) {
      return el.getAttribute('aria-valuetext') || now;
    }
    return null;
  };

  // rect (frame-local CSS px) -> [l, t, r, b] in top-level viewport px, clipped; null if none
  const place = (r, f, clip) => {
    const l = Math.max(r.left + f.dx, clip[0]);
    const t = Math.max(r.top + f.dy, clip[1]);
    const rr = Math.min(r.right + f.dx, clip[2]);
    const b = Math.min(r.bottom + f.dy, clip[3]);
    return (rr - l >= 1 && b - t >= 1) ? [l, t, rr, b] : null;
  };

  // Is the element (not something drawn over it) what a pointer would hit in this box?
  const reaches = (el, hit, cs) => hit === el || el.contains(hit) ||
    (hit.contains(el) && cs.pointerEvents === 'none') ||
    (hit.tagName === 'LABEL' && hit.control === el);

  // The part of ``box`` a click can reach: all of it when its centre is not covered, else the
  // largest band beside whatever covers the centre (a button half under another); null when
  // no sampled point reaches the element at all.
  const reachable = (el, box, f, cs) => {
    const root = el.getRootNode();
    if (!root.elementFromPoint) return box;
    const xs = [0.5, 0.25, 0.75, 0.5, 0.5], ys = [0.5, 0.3, 0.7, 0.1, 0.9];
    let cover = null;
    for (let i = 0; i < xs.length; i++) {
      const x = box[0] + (box[2] - box[0]) * xs[i] - f.dx;
      const y = box[1] + (box[3] - box[1]) * ys[i] - f.dy;
      const hit = root.elementFromPoint(x, y);
      if (!hit) continue;
      if (reaches(el, hit, cs)) return i === 0 || !cover ? box : beside(box, cover, f);
      if (i === 0) cover = hit.getBoundingClientRect();
    }
    return null;
  };

  const beside = (box, r, f) => {
    const c = [r.left + f.dx, r.top + f.dy, r.right + f.dx, r.bottom + f.dy];
    const parts = [
      [box[0], box[1], box[2], Math.min(box[3], c[1])],
      [box[0], Math.max(box[1], c[3]), box[2], box[3]],
      [box[0], box[1], Math.min(box[2], c[0]), box[3]],
      [Math.max(box[0], c[2]), box[1], box[2], box[3]],
    ].filter((p) => p[2] - p[0] >= 2 && p[3] - p[1] >= 2);
    if (!parts.length) return box;
    const area = (p) => (p[2] - p[0]) * (p[3] - p[1]);
    return parts.reduce((a, b) => (area(b) > area(a) ? b : a));
  };

  const push = (item) => {
    if (out.length >= maxElements) { truncated = true; return false; }
    out.push(item);
    return true;
  };

  const addText = (node, ctx) => {
    const raw = node.nodeValue;
    if (!raw || !raw.trim()) return;
    const parent = node.parentElement;
    if (!parent) return;
    const range = node.ownerDocument.createRange();
    range.selectNodeContents(node);
    const box = place(range.getBoundingClientRect(), ctx.frame, ctx.clip);
    if (!box) return;
    const cs = getComputedStyle(parent);
    if (!reachable(parent, box, ctx.frame, cs)) return;
    const key = ctx.block.key + ':' + ctx.block.segment;
    let g = groups.get(key);
    if (!g) {
      g = { parts: [], box: box.slice(), clickable: false, order: groupSeq++ };
      groups.set(key, g);
    }
    g.parts.push(raw);
    g.box = [Math.min(g.box[0], box[0]), Math.min(g.box[1], box[1]),
      Math.max(g.box[2], box[2]), Math.max(g.box[3], box[3])];
    g.clickable = g.clickable || ctx.clickable;
  };

  const isBlock = (cs) => !cs.display.startsWith('inline') && cs.display !== 'contents';
  let blockSeq = 0;

  const walk = (el, ctx) => {
    if (truncated || visited >= maxNodes) { truncated = true; return; }
    visited++;
    const tag = el.tagName.toLowerCase();
    if (tag === 'script' || tag === 'style' || tag === 'noscript' || tag === 'template' ||
        tag === 'head' || tag === 'meta' || tag === 'link') return;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || parseFloat(cs.opacity) === 0) return;
    const shown = cs.visibility === 'visible';
    let child = Object.assign({}, ctx);
    if (isBlock(cs)) child.block = { key: 'b' + (blockSeq++), segment: 0 };
    if (cs.position === 'fixed') child.clip = ctx.frameClip;

    const role = rawRole(el, tag);
    const rect = el.getBoundingClientRect();
    const box = place(rect, ctx.frame, child.clip);
    let reported = false;
    if (role && shown && box) {
      const named = NAMED_BY_CONTENT.has(role) || NAMED_CONTAINERS.has(role);
      const name = nameOf(el, tag, role);
      const worth = named && (!NAMED_CONTAINERS.has(role) || name) &&
        (role !== 'img' || name);
      const reach = worth ? reachable(el, box, ctx.frame, cs) : null;
      if (reach) {
        reported = push({
          role, name, box: reach, tag,
          states: statesOf(el, tag, role, cs),
          value: valueOf(el, tag, role),
          frame: ctx.frameDepth,
        });
      }
    }
    if (role && NAMED_BY_CONTENT.has(role)) {
      if (reported || !shown) child.inControl = true;
      // text after a control belongs to a new run ("Name: [field] (required)")
      ctx.block.segment++;
    }
    // a clickable run inside prose (a <span> styled as a link) is a text run of its own
    const clickRun = cs.cursor === 'pointer' && !ctx.clickable && !ctx.inControl;
    if (clickRun) {
      child.clickable = true;
      if (!isBlock(cs)) ctx.block.segment++;
    }
    if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
      const inner = place({
        left: rect.left + el.clientLeft, top: rect.top + el.clientTop,
        right: rect.left + el.clientLeft + el.clientWidth,
        bottom: rect.top + el.clientTop + el.clientHeight,
      }, ctx.frame, child.clip);
      if (!inner) return; // everything inside is clipped away
      if (tag !== 'html' && tag !== 'body') child.clip = inner;
    }

    if (tag === 'iframe' || tag === 'frame') {
      let doc = null;
      try { doc = el.contentDocument; } catch (e) { doc = null; }
      if (!doc || !doc.documentElement) { crossOrigin++; return; }
      const pl = parseFloat(cs.paddingLeft) || 0, pt = parseFloat(cs.paddingTop) || 0;
      const frame = { dx: ctx.frame.dx + rect.left + el.clientLeft + pl,
        dy: ctx.frame.dy + rect.top + el.clientTop + pt };
      const fclip = place({
        left: rect.left + el.clientLeft + pl, top: rect.top + el.clientTop + pt,
        right: rect.left + el.clientLeft + el.clientWidth - (parseFloat(cs.paddingRight) || 0),
        bottom: rect.top + el.clientTop + el.clientHeight - (parseFloat(cs.paddingBottom) || 0),
      }, ctx.frame, child.clip);
      if (!fclip || !shown) return;
      walk(doc.documentElement, {
        frame, clip: fclip, frameClip: fclip, block: { key: 'b' + (blockSeq++), segment: 0 },
        inControl: false, clickable: false, frameDepth: ctx.frameDepth + 1,
      });
      return;
    }

    // an open shadow root replaces the light children (they come back through its <slot>s)
    const kids = Array.from(el.shadowRoot ? el.shadowRoot.childNodes : el.childNodes);
    if (tag === 'slot' && el.assignedNodes) kids.push(...el.assignedNodes());
    for (const node of kids) {
      if (node.nodeType === 1) walk(node, child);
      else if (node.nodeType === 3 && shown && !child.inControl) addText(node, child);
      if (truncated) return;
    }
    if ((isBlock(cs) || clickRun) && ctx.block) ctx.block.segment++;
  };

  const vw = window.innerWidth, vh = window.innerHeight;
  const clip = [0, 0, vw, vh];
  const start = performance.now();
  if (document.documentElement) {
    walk(document.documentElement, {
      frame: { dx: 0, dy: 0 }, clip, frameClip: clip, block: { key: 'root', segment: 0 },
      inControl: false, clickable: false, frameDepth: 0,
    });
  }
  const texts = Array.from(groups.values()).sort((a, b) => a.order - b.order);
  for (const g of texts) {
    const name = clean(g.parts.join(''), TEXT_MAX);
    if (!name) continue;
    const states = ['visible', 'showing', 'enabled'];
    if (g.clickable) states.push('clickable');
    if (!push({ role: 'text', name, box: g.box, tag: '#text', states, value: null, frame: 0 })) {
      break;
    }
  }
  return {
    elements: out,
    truncated,
    visited,
    crossOriginFrames: crossOrigin,
    viewport: [vw, vh],
    scroll: [window.scrollX, window.scrollY],
    ms: performance.now() - start,
  };
}
