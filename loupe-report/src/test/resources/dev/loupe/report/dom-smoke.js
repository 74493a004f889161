// Runs the front end (its scripts concatenated in page order) against a report's data in Node with a minimal fake DOM and a fake ECharts that records options.
// Usage: node dom-smoke.js app.js data.json   -> prints JSON {errors, charts, texts, innerHTML}
'use strict';
const fs = require('fs');
const app = fs.readFileSync(process.argv[2], 'utf8');
const dataText = fs.readFileSync(process.argv[3], 'utf8');
const errors = [];
let innerHTMLUsed = 0;
const texts = [];
function Node(tag) {
  this.tagName = tag; this.children = []; this.attrs = {}; this.listeners = {}; this.style = {}; this._text = '';
  this.className = '';
}
Object.defineProperty(Node.prototype, 'value', {
  get: function () {
    if (this._value !== undefined) { return this._value; }
    if (this.tagName === 'select') { const sel = this.children.find(c => c.selected) || this.children[0]; return sel ? sel.value : ''; }
    return '';
  },
  set: function (v) { this._value = String(v); }
});
Node.prototype.appendChild = function (c) { this.children.push(c); c.parentNode = this; return c; };
Node.prototype.insertBefore = function (c, ref) {
  const i = ref ? this.children.indexOf(ref) : -1;
  if (i < 0) { this.children.push(c); } else { this.children.splice(i, 0, c); }
  c.parentNode = this; return c;
};
Node.prototype.removeChild = function (c) { this.children = this.children.filter(x => x !== c); c.parentNode = null; return c; };
Object.defineProperty(Node.prototype, 'nextSibling', {
  get: function () { if (!this.parentNode) { return null; } const s = this.parentNode.children; return s[s.indexOf(this) + 1] || null; }
});
Node.prototype.setAttribute = function (k, v) { this.attrs[k] = String(v); };
Node.prototype.getAttribute = function (k) { return this.attrs[k]; };
Node.prototype.addEventListener = function (k, f) { (this.listeners[k] = this.listeners[k] || []).push(f); };
Node.prototype.scrollIntoView = function () {};
Object.defineProperty(Node.prototype, 'textContent', {
  get: function () { return this._text + this.children.map(c => c.textContent).join(''); },
  set: function (v) { this._text = String(v); this.children = []; texts.push(String(v)); }
});
Object.defineProperty(Node.prototype, 'innerHTML', { set: function () { innerHTMLUsed++; }, get: function () { return ''; } });
const all = [];
const root = new Node('main');
const dataNode = new Node('script'); dataNode._text = dataText;
global.window = global;
global.document = {
  readyState: 'complete',
  body: new Node('body'),
  createElement: function (t) { const n = new Node(t); all.push(n); return n; },
  getElementById: function (id) { return id === 'loupe-data' ? dataNode : id === 'loupe-root' ? root : null; },
  addEventListener: function () {}
};
global.addEventListener = function () {};
const charts = [];
global.echarts = { init: function () { const c = { options: [], handlers: {}, setOption: function (o) { this.options.push(o); }, on: function (k, f) { this.handlers[k] = f; }, resize: function () {} }; charts.push(c); return c; } };
global.console = { warn: function () { errors.push(Array.from(arguments).map(String).join(' ')); }, log: console.log };
global.fetch = function () { return new Promise(function () {}); };
global.URLSearchParams = URLSearchParams;
try { eval(app); } catch (e) { errors.push('boot: ' + e.stack); }
// fire every input/change/click listener once to exercise interactions
function walk(n, f) { f(n); n.children.forEach(c => walk(c, f)); }
let fired = 0;
walk(root, n => {
  ['input', 'change', 'click'].forEach(k => (n.listeners[k] || []).forEach(fn => { try { fn(); fired++; } catch (e) { errors.push(k + ': ' + e.stack); } }));
});
charts.forEach(c => { if (c.handlers.click) { try { c.handlers.click({ value: [0, 1, 5] }); } catch (e) { errors.push('chart click: ' + e.stack); } } });
// call formatters with plausible params
charts.forEach(c => c.options.forEach(o => {
  try { if (o.tooltip && typeof o.tooltip.formatter === 'function') { o.tooltip.formatter({ value: [0, 0, 1], dataIndex: 0 }); } } catch (e) { errors.push('formatter: ' + e.stack); }
}));
process.stdout.write(JSON.stringify({ errors, charts: charts.length, fired, innerHTML: innerHTMLUsed, hostileShown: texts.some(t => t.indexOf('<script>window.__pwned=1</script>') >= 0), ready: document.body.attrs['data-loupe-ready'] || null, text: root.textContent.slice(0, 100000) }));
