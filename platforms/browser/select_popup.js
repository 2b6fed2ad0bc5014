// guiagent: a stand-in for the <select> drop-down list, installed in every frame.
//
// Headless Chromium draws a native <select> popup into screenshots but sends it no mouse
// input, so a click on an option a person (or a screenshot-reading agent) sees would land on
// the page beneath it. This draws the options as a list in the page instead, where clicks,
// screenshots and the element extractor all see the same thing. Choosing an option sets the
// select's value and fires input + change, as the native list does. Keyboard use of a focused
// select is left to the browser.
(() => {
  if (window.__guiagentSelectPopup) return;
  window.__guiagentSelectPopup = true;
  let open = null; // { select, popup }

  const close = () => {
    if (open) { open.popup.remove(); open = null; }
  };
  const plain = (el) => el instanceof HTMLSelectElement && !el.multiple && el.size <= 1 &&
    !el.disabled;

  const choose = (select, index) => {
    close();
    select.focus();
    if (select.selectedIndex !== index) {
      select.selectedIndex = index;
      select.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
  };

  const show = (select) => {
    close();
    const r = select.getBoundingClientRect();
    const cs = getComputedStyle(select);
    const popup = document.createElement('div');
    popup.setAttribute('data-guiagent-select-popup', '');
    popup.setAttribute('role', 'listbox');
    const label = select.getAttribute('aria-label') ||
      (select.labels && select.labels[0] ? select.labels[0].innerText.trim() : '');
    if (label) popup.setAttribute('aria-label', label);
    const rowHeight = Math.max(18, Math.round(parseFloat(cs.fontSize || '13') * 1.5));
    const rows = Array.from(select.options).length;
    const below = window.innerHeight - r.bottom;
    const want = Math.min(rows, 20) * rowHeight + 2;
    const up = below < want && r.top > below;
    Object.assign(popup.style, {
      position: 'fixed', left: r.left + 'px', minWidth: r.width + 'px',
      maxHeight: Math.max(rowHeight + 2, up ? r.top - 2 : below - 2) + 'px',
      overflowY: 'auto', zIndex: '2147483647', background: '#fff', color: '#000',
      border: '1px solid #767676', boxSizing: 'border-box', font: cs.font,
      boxShadow: '0 2px 6px rgba(0,0,0,.3)', margin: '0', padding: '0', textAlign: 'left',
    });
    if (up) popup.style.bottom = (window.innerHeight - r.top) + 'px';
    else popup.style.top = r.bottom + 'px';
    const paint = (item, on) => {
      item.style.background = on ? '#1a73e8' : '';
      item.style.color = on ? '#fff' : (item.getAttribute('aria-disabled') ? '#888' : '#000');
    };
    let index = 0;
    for (const child of select.children) {
      const opts = child.tagName === 'OPTGROUP' ? Array.from(child.children) : [child];
      if (child.tagName === 'OPTGROUP') {
        const head = document.createElement('div');
        head.textContent = child.label;
        Object.assign(head.style, { fontWeight: 'bold', padding: '0 6px',
          lineHeight: rowHeight + 'px', whiteSpace: 'pre' });
        popup.appendChild(head);
      }
      for (const opt of opts) {
        if (opt.tagName !== 'OPTION') continue;
        const i = index++;
        if (opt.hidden) continue;
        const item = document.createElement('div');
        item.setAttribute('role', 'option');
        item.textContent = opt.label || opt.text;
        item.setAttribute('aria-selected', opt.selected ? 'true' : 'false');
        const off = opt.disabled || (child.tagName === 'OPTGROUP' && child.disabled);
        if (off) item.setAttribute('aria-disabled', 'true');
        Object.assign(item.style, { padding: '0 6px', lineHeight: rowHeight + 'px',
          whiteSpace: 'pre', cursor: 'default',
          paddingLeft: child.tagName === 'OPTGROUP' ? '16px' : '6px' });
        paint(item, opt.selected);
        item.addEventListener('mouseenter', () => paint(item, true));
        item.addEventListener('mouseleave', () => paint(item, opt.selected));
        item.addEventListener('mousedown', (e) => { e.preventDefault(); e.stopPropagation(); });
        item.addEventListener('click', (e) => {
          e.stopPropagation();
          if (!off) choose(select, i);
        });
        popup.appendChild(item);
      }
    }
    (document.body || document.documentElement).appendChild(popup);
    open = { select, popup };
    const chosen = popup.querySelector('[aria-selected="true"]');
    if (chosen) chosen.scrollIntoView({ block: 'nearest' });
  };

  addEventListener('mousedown', (e) => {
    const target = e.composedPath()[0];
    if (open && target instanceof Node && open.popup.contains(target)) return;
    const select = target instanceof Element ? target.closest('select') : null;
    if (e.button === 0 && select && plain(select)) {
      e.preventDefault(); // no native popup: it would draw but never take the click
      const again = open && open.select === select;
      select.focus();
      if (again) close(); else show(select);
      return;
    }
    close();
  }, true);
  addEventListener('keydown', (e) => {
    if (!open) return;
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); }
    close();
  }, true);
  addEventListener('scroll', (e) => {
    if (open && !(e.target instanceof Node && open.popup.contains(e.target))) close();
  }, true);
  addEventListener('resize', close);
})();
