/**
 * Browser code that draws `ChartSpec`s (chart-data.ts) with uPlot, which must be loaded first. It defines
 * `shipshapeCharts.draw(container, specs)`: one figure per spec, the marks drawn on the plot (traffic steps
 * dashed, the rollback red, each verdict a tick coloured by severity at the bottom). Each figure carries
 * `data-points`: the figures uPlot holds per line, so a test can compare them with the journal.
 * Plain ES5 in a string: it is inlined into pages (report, dashboard) whose CSP admits only hashed scripts.
 */
export const CHART_SCRIPT = `(function () {
  var COLORS = {
    canary: ['#d9480f', '#f59f00'],
    baseline: ['#1864ab', '#4dabf7'],
    other: ['#495057', '#adb5bd']
  };
  var SEVERITY = {
    none: '#adb5bd', low: '#2f9e44', medium: '#f59f00', inconclusive: '#7048e8', high: '#e03131', critical: '#862e9c'
  };
  function marksPlugin(marks) {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx, box = u.bbox, px = window.devicePixelRatio || 1;
      ctx.save();
      ctx.font = (10 * px) + 'px sans-serif';
      ctx.textAlign = 'left';
      // Labels of marks close together are stacked, not overprinted.
      var lastEnd = -Infinity, row = 0;
      marks.forEach(function (m) {
        var x = Math.round(u.valToPos(m.t, 'x', true));
        if (x < box.left || x > box.left + box.width) return;
        if (m.kind === 'verdict') {
          ctx.fillStyle = SEVERITY[m.severity] || SEVERITY.none;
          ctx.fillRect(x - px, box.top + box.height - 8 * px, 2 * px, 8 * px);
          return;
        }
        ctx.strokeStyle = m.kind === 'rollback' ? '#e03131' : '#868e96';
        ctx.lineWidth = px;
        ctx.setLineDash(m.kind === 'traffic' ? [4 * px, 4 * px] : []);
        ctx.beginPath();
        ctx.moveTo(x, box.top);
        ctx.lineTo(x, box.top + box.height);
        ctx.stroke();
        ctx.fillStyle = ctx.strokeStyle;
        var label = m.kind === 'rollback' ? 'rollback' : m.label;
        row = x + 3 * px < lastEnd ? row + 1 : 0;
        ctx.fillText(label, x + 3 * px, box.top + (12 + 12 * row) * px);
        lastEnd = Math.max(row === 0 ? -Infinity : lastEnd, x + 3 * px + ctx.measureText(label).width);
      });
      ctx.restore();
    }] } };
  }
  function line(l) {
    var colors = COLORS[l.role] || COLORS.other;
    return {
      label: l.label,
      stroke: l.metric === 'p50' ? colors[1] : colors[0],
      width: 2,
      spanGaps: false,
      points: { show: true, size: 5 },
      value: function (u, v) { return v == null ? '-' : v.toFixed(2); }
    };
  }
  // The span of the figures and the marks, never a single instant: one window alone would get a span of years.
  function span(spec) {
    var ts = spec.x.concat(spec.marks.map(function (m) { return m.t; }));
    var lo = Math.min.apply(null, ts), hi = Math.max.apply(null, ts);
    var pad = Math.max(1, (hi - lo) * 0.02);
    return [lo - pad, hi + pad];
  }
  function draw(container, specs) {
    var width = Math.max(480, Math.min(1100, (container.clientWidth || 900) - 8));
    return specs.map(function (spec) {
      var figure = document.createElement('figure');
      figure.className = 'chart';
      figure.setAttribute('data-chart', spec.id);
      var caption = document.createElement('figcaption');
      caption.textContent = spec.title + ' (' + spec.unit + ', time in UTC)';
      figure.appendChild(caption);
      container.appendChild(figure);
      var data = [spec.x].concat(spec.lines.map(function (l) { return l.values; }));
      var chart = new uPlot({
        width: width,
        // The tables give times in UTC; the axis says the same clock.
        tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
        height: 260,
        series: [{}].concat(spec.lines.map(line)),
        axes: [{}, { label: spec.unit, size: 60 }],
        scales: { x: { time: true, range: function () { return span(spec); } }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
        plugins: [marksPlugin(spec.marks)]
      }, data, figure);
      figure.setAttribute('data-points', JSON.stringify(chart.data.slice(1).map(function (col) {
        return col.filter(function (v) { return v != null; }).length;
      })));
      figure.setAttribute('data-lines', JSON.stringify(spec.lines.map(function (l) { return l.label; })));
      return chart;
    });
  }
  window.shipshapeCharts = { draw: draw };
})();
`;
