/**
 * The dashboard's browser code (plain ES5, inlined under a hash-only CSP): follows `/events` (server-sent
 * events, one full state each), renders it with textContent only (no markup from data), redraws the charts
 * with `shipshapeCharts.draw` when their figures change, and posts the buttons' forms as JSON.
 */
export const DASHBOARD_SCRIPT = `(function () {
  var last = null, chartsJson = '';
  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function short(v) { return v ? String(v).slice(0, 8) : '-'; }
  function splitText(split) {
    return split.length ? split.map(function (s) { return short(s.version) + ' ' + s.percent + '%'; }).join(' / ') : 'no traffic change yet';
  }
  function table(target, head, rows) {
    target.textContent = '';
    if (!rows.length) { target.appendChild(el('p', 'none')); return; }
    var t = el('table'), tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', h)); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (cell) {
        var td = el('td', cell && cell.text != null ? cell.text : cell);
        if (cell && cell.cls) td.className = cell.cls;
        row.appendChild(td);
      });
      t.appendChild(row);
    });
    target.appendChild(t);
  }
  function who(a) { return a.action + ' by ' + a.actor.replace(/\\s*<[^>]*>$/, '') + ': ' + (a.reason || '-'); }
  function render(s) {
    last = s;
    $('title').textContent = 'shipshape dashboard: ' + s.worker + (s.env ? ' (' + s.env + ')' : '') + ' on ' + s.target;
    $('actor').textContent = s.actor;
    var r = s.release;
    $('release').textContent = r ? r.id + ': ' + (r.running ? 'running' : (r.outcome || 'unfinished').replace('_', ' ')) + (r.score != null && !r.running ? ', score ' + r.score + '/100' : '') : 'no release yet';
    $('release').setAttribute('data-running', r && r.running ? 'true' : 'false');
    $('release').setAttribute('data-outcome', r && r.outcome ? r.outcome : '');
    var phases = $('phases');
    phases.textContent = '';
    (r ? r.phases : []).forEach(function (p) {
      var li = el('li', p.phase + ': ' + (p.status === 'running' ? 'running' : p.status + ' ' + p.score + '/5'), 'st ' + p.status);
      li.setAttribute('data-phase', p.phase);
      li.setAttribute('data-status', p.status);
      phases.appendChild(li);
    });
    var now = $('now');
    now.textContent = '';
    (r ? r.components : []).forEach(function (c) {
      var box = el('div', null, 'component');
      if (c.component) box.appendChild(el('h3', c.component));
      box.appendChild(el('p', 'Split: ' + splitText(c.split), 'split'));
      var judge = el('p', c.judge ? 'Judge: ' + c.judge.sentence : 'Judge: no verdict yet', 'judge' + (c.judge ? ' sev ' + c.judge.severity : ''));
      box.appendChild(judge);
      now.appendChild(box);
    });
    if (r && r.rollback) now.appendChild(el('p', 'Rollback' + (r.rollback.to ? ' to ' + short(r.rollback.to) : '') + ': ' + r.rollback.reason + (r.rollback.ok === null ? ' (in progress)' : r.rollback.ok ? ' (done)' : ' (failed)'), 'st fail'));
    table($('checks'), ['phase', 'check', 'status', 'message'], (r ? r.checks : []).map(function (c) {
      return [c.phase, (c.component ? c.component + ': ' : '') + c.name, { text: c.status, cls: 'st ' + c.status }, c.message || ''];
    }));
    table($('actions'), ['time', 'action'], (r ? r.actions : []).map(function (a) { return [a.ts, who(a)]; }));
    var json = JSON.stringify(r ? r.charts : []);
    if (json !== chartsJson) {
      chartsJson = json;
      var box = $('charts');
      box.textContent = '';
      if (r && r.charts.length) shipshapeCharts.draw(box, r.charts);
      else box.appendChild(el('p', 'No figures yet: the judge has read no metrics in this release.'));
    }
    table($('history'), ['release', 'outcome', 'score', 'version', 'actions'], s.history.map(function (h) {
      return [h.id, { text: h.status, cls: 'outcome ' + (h.outcome || 'running').replace('_', '-') }, h.score == null ? '-' : h.score, short(h.canary), h.actions.map(who).join('; ')];
    }));
    table($('serving'), ['component', 'version', 'traffic', 'since'], [].concat.apply([], s.serving.map(function (d) {
      if (d.error) return [[d.component || '-', d.error, '', '']];
      return d.split.map(function (x) { return [d.component || '-', short(x.version), x.percent + '%', d.since || '']; });
    })));
    var kill = $('kill');
    kill.textContent = s.flags && s.flags.emergencyStop ? 'Kill switch: EMERGENCY STOP in force (the worker answers 503)' : 'Kill switch: off';
    kill.className = s.flags && s.flags.emergencyStop ? 'st fail' : 'st pass';
    if (s.flags && s.flags.error) table($('flags'), ['flags'], [[s.flags.error]]);
    else table($('flags'), ['flag', 'value', 'source'], (s.flags ? s.flags.flags : []).map(function (f) {
      return [f.name, f.value == null ? '-' : JSON.stringify(f.value), f.source];
    }));
    var running = !!(r && r.running);
    ['promote', 'abort'].forEach(function (a) { $('do-' + a).disabled = !running; });
    var pick = $('rollback-component');
    if (pick.options.length !== s.components.length) {
      pick.textContent = '';
      s.components.forEach(function (c) { var o = el('option', c); o.value = c; pick.appendChild(o); });
      pick.hidden = s.components.length === 0;
    }
    $('updated').textContent = 'updated ' + new Date().toISOString().slice(11, 19) + ' UTC';
  }
  function act(action, form) {
    var body = { reason: form.elements.reason.value };
    if (action === 'rollback' && form.elements.component && !form.elements.component.hidden) body.component = form.elements.component.value;
    var out = $('result');
    out.textContent = action + ': sending...';
    out.className = '';
    out.removeAttribute('data-ok');
    fetch('/api/' + action, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' })
      .then(function (res) { return res.json().then(function (j) { return { ok: res.ok, j: j }; }); })
      .then(function (x) {
        out.textContent = x.ok ? x.j.message : x.j.code + ': ' + x.j.message + ' ' + x.j.hint;
        out.className = x.ok ? 'st pass' : 'st fail';
        out.setAttribute('data-ok', x.ok ? 'true' : 'false');
        if (x.ok) form.reset();
      })
      .catch(function (e) { out.textContent = action + ' failed: ' + e.message; out.className = 'st fail'; });
  }
  ['promote', 'abort', 'rollback'].forEach(function (action) {
    $('form-' + action).addEventListener('submit', function (ev) { ev.preventDefault(); act(action, ev.target); });
  });
  var source = new EventSource('/events');
  source.addEventListener('state', function (ev) { render(JSON.parse(ev.data)); $('link').textContent = 'live'; });
  source.onerror = function () { $('link').textContent = 'disconnected: retrying'; };
})();
`;
