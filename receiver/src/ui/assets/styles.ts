/**
 * The dashboard's whole stylesheet, served from /ui/assets/ (no CDN, no web fonts: the system font
 * stack). Colours are custom properties so dark mode follows `prefers-color-scheme`; status colours are
 * always paired with a word and a symbol, never colour alone. Environment names keep their case
 * (`Production` and `production` are two environments), so headers naming one are not uppercased.
 */
export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --surface: #ffffff; --surface-2: #eef1f5; --text: #16191f; --muted: #5b6472;
  --border: #d5dae1; --accent: #1f5fbf; --accent-text: #ffffff; --focus: #c2410c;
  --ok: #18794e; --ok-bg: #e3f5ea; --fail: #b42318; --fail-bg: #fde7e5; --run: #1f5fbf; --run-bg: #e1ecfb;
  --wait: #8a5a00; --wait-bg: #fdf1d8; --off: #59616c; --off-bg: #eceef1; --back: #8a4b00; --back-bg: #fbe9d5;
  --chart-1: #1f5fbf; --chart-2: #b42318; --chart-3: #18794e; --chart-4: #7a3ea8;
  --radius: 6px; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1216; --surface: #171b21; --surface-2: #1f252d; --text: #e6e9ee; --muted: #9aa4b2;
    --border: #2e3641; --accent: #7eb0ff; --accent-text: #0f1216; --focus: #ffb86b;
    --ok: #5fd49a; --ok-bg: #10301f; --fail: #ff8a80; --fail-bg: #3a1512; --run: #8ab8ff; --run-bg: #132a4a;
    --wait: #f3c86b; --wait-bg: #3a2c0c; --off: #aab2bd; --off-bg: #252b33; --back: #ffb566; --back-bg: #3b260c;
    --chart-1: #7eb0ff; --chart-2: #ff8a80; --chart-3: #5fd49a; --chart-4: #c9a2f0;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text); line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  overflow-wrap: break-word;
}
a { color: var(--accent); text-underline-offset: 2px; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
main:focus { outline: none; }
code, .mono { font-family: var(--mono); font-size: 0.92em; }
h1 { font-size: 1.5rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.15rem; margin: 0 0 0.75rem; }
h3 { font-size: 1rem; margin: 0 0 0.5rem; }
p { margin: 0 0 0.75rem; }
.skip-link {
  position: absolute; left: 0.5rem; top: -3rem; z-index: 10; padding: 0.5rem 0.9rem;
  background: var(--accent); color: var(--accent-text); border-radius: var(--radius); font-weight: 600;
}
.skip-link:focus { top: 0.5rem; }
.site-header { background: var(--surface); border-bottom: 1px solid var(--border); }
.site-header nav {
  max-width: 1400px; margin: 0 auto; padding: 0.6rem 1.25rem; display: flex; align-items: center;
  gap: 1.5rem; flex-wrap: wrap;
}
.brand { font-weight: 700; font-size: 1.1rem; color: var(--text); text-decoration: none; display: flex; gap: 0.4rem; align-items: center; }
.brand img { width: 22px; height: 22px; }
.site-header ul { list-style: none; display: flex; gap: 0.25rem; margin: 0; padding: 0; flex-wrap: wrap; }
.site-header li a {
  display: block; padding: 0.35rem 0.75rem; border-radius: var(--radius); color: var(--muted);
  text-decoration: none; font-weight: 500;
}
.site-header li a:hover { background: var(--surface-2); color: var(--text); }
.site-header li a[aria-current="page"] { background: var(--surface-2); color: var(--text); box-shadow: inset 0 -2px 0 var(--accent); }
main { max-width: 1400px; margin: 0 auto; padding: 1.25rem; }
.site-footer { max-width: 1400px; margin: 0 auto; padding: 1rem 1.25rem 2rem; color: var(--muted); font-size: 0.85rem; }
.page-head { display: flex; justify-content: space-between; align-items: flex-end; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.page-head p { color: var(--muted); margin: 0; }
.page-head > *, .card-head > *, .grid-2 > *, .charts > * { min-width: 0; }
section.card, .card {
  background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: 1rem 1.1rem;
  margin-bottom: 1.25rem;
}
.card-head { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
.muted { color: var(--muted); }
.small { font-size: 0.85rem; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 0.75rem; margin: 0 0 1.25rem; padding: 0; }
.stats > div { background: var(--surface); border: 1px solid var(--border); border-radius: 10px; padding: 0.75rem 1rem; }
.stats dt { color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; }
.stats dd { margin: 0.15rem 0 0; font-size: 1.45rem; font-weight: 650; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
caption { text-align: left; color: var(--muted); font-size: 0.85rem; padding-bottom: 0.4rem; }
th, td { text-align: left; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--border); vertical-align: top; }
thead th { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; white-space: nowrap; }
thead th.environment { text-transform: none; letter-spacing: normal; }
tbody tr:hover { background: var(--surface-2); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
.wrap { overflow-wrap: anywhere; }
.wrap .nowrap { white-space: normal; }
td.wrap { min-width: min(10rem, 45vw); }
.ref { display: inline-block; max-width: 100%; overflow-wrap: anywhere; }
td:has(> .ref) { min-width: min(14rem, 40vw); }
.pkg-name, .pkg-list strong { display: inline-block; max-width: min(16rem, 40vw); overflow-wrap: break-word; }
/* Names that may be one long word (an email address): wrapped anywhere, in a column kept 8–12rem wide. */
.who { display: inline-block; min-width: min(8rem, 30vw); max-width: min(12rem, 40vw); overflow-wrap: anywhere; }
.pkg-list code { overflow-wrap: anywhere; }
.badge {
  display: inline-flex; align-items: center; gap: 0.3rem; padding: 0.05rem 0.5rem; border-radius: 999px;
  font-size: 0.8rem; font-weight: 600; white-space: nowrap; border: 1px solid transparent;
}
.status-succeeded { color: var(--ok); background: var(--ok-bg); }
.status-failed { color: var(--fail); background: var(--fail-bg); }
.status-running { color: var(--run); background: var(--run-bg); }
.status-queued { color: var(--wait); background: var(--wait-bg); }
.status-cancelled { color: var(--off); background: var(--off-bg); }
.rollback { color: var(--back); background: var(--back-bg); }
.tag { color: var(--muted); background: var(--surface-2); }
@media (prefers-reduced-motion: no-preference) {
  .status-running .icon { display: inline-block; animation: spin 1.6s linear infinite; }
}
@keyframes spin { to { transform: rotate(360deg); } }
.matrix th[scope="row"] { font-weight: 600; position: sticky; left: 0; z-index: 1; background: var(--surface); }
.matrix td { min-width: 11rem; padding: 0.35rem; }
.cell {
  display: block; padding: 0.45rem 0.6rem; border-radius: var(--radius); text-decoration: none; color: var(--text);
  border-left: 4px solid var(--ok); background: var(--surface-2);
}
.cell:hover { outline: 1px solid var(--border); }
.cell .version { font-family: var(--mono); font-weight: 650; word-break: break-all; }
.cell .meta { display: block; color: var(--muted); font-size: 0.8rem; }
.cell-failed { border-left-color: var(--fail); }
.cell-running { border-left-color: var(--run); }
.cell-cancelled, .cell-queued { border-left-color: var(--wait); }
.cell-rollback { border-left-color: var(--back); }
.attempt { display: inline-block; margin-top: 0.25rem; text-decoration: none; }
.no-current { padding: 0.45rem 0.6rem; border-radius: var(--radius); border: 1px dashed var(--border); }
.no-current .attempt { margin-top: 0; }
.no-current .meta { display: block; color: var(--muted); font-size: 0.8rem; }
.empty-cell { display: block; color: var(--muted); text-align: center; padding: 0.6rem 0; }
figure { margin: 0; }
.legend { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; margin: 0; padding: 0; list-style: none; font-size: 0.85rem; }
.pkg-list { list-style: none; margin: 0; padding: 0; }
.prev { color: var(--muted); font-size: 0.85em; white-space: nowrap; }
.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 0.75rem 1rem; align-items: end; }
.field { display: flex; flex-direction: column; gap: 0.2rem; }
.field label { font-size: 0.82rem; font-weight: 600; color: var(--muted); }
input, select, button {
  font: inherit; color: var(--text); background: var(--surface); border: 1px solid var(--border);
  border-radius: var(--radius); padding: 0.4rem 0.55rem; min-height: 2.3rem; max-width: 100%;
}
/* A select is as wide as its longest option: a team or environment named at length must not widen the page
   (a fixed bound: a percentage does not bound what a select asks of its container). */
select { max-width: 18rem; text-overflow: ellipsis; }
input:focus-visible, select:focus-visible, button:focus-visible { outline: 3px solid var(--focus); outline-offset: 1px; }
button, .button {
  background: var(--accent); color: var(--accent-text); border-color: var(--accent); font-weight: 600; cursor: pointer;
  text-decoration: none; display: inline-flex; align-items: center; justify-content: center; padding: 0.4rem 0.9rem;
  border-radius: var(--radius); min-height: 2.3rem;
}
.button.secondary { background: transparent; color: var(--accent); border: 1px solid var(--border); }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; }
.pager { display: flex; justify-content: space-between; align-items: center; gap: 1rem; margin-top: 0.9rem; flex-wrap: wrap; }
.alert { border: 1px solid var(--fail); background: var(--fail-bg); color: var(--text); border-radius: var(--radius); padding: 0.6rem 0.8rem; margin-bottom: 1rem; }
.notice { border: 1px solid var(--border); background: var(--surface-2); border-radius: var(--radius); padding: 0.6rem 0.8rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 1.25rem; margin: 0; }
.facts dt { color: var(--muted); font-weight: 600; font-size: 0.88rem; }
.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 0 1.25rem; }
.timeline { list-style: none; margin: 0; padding: 0; }
.timeline li { display: grid; grid-template-columns: minmax(8rem, 14rem) 1fr 6rem; gap: 0.75rem; align-items: center; padding: 0.25rem 0; }
.timeline .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 0.88rem; }
.timeline .track { position: relative; height: 0.9rem; background: var(--surface-2); border-radius: 3px; }
.timeline .bar { position: absolute; top: 0; bottom: 0; border-radius: 3px; min-width: 3px; background: var(--ok); }
.timeline .bar.status-failed { background: var(--fail); }
.timeline .bar.status-running { background: var(--run); }
.timeline .bar.status-queued, .timeline .bar.status-cancelled { background: var(--off); }
.timeline .dur { font-size: 0.85rem; color: var(--muted); text-align: right; font-variant-numeric: tabular-nums; }
.timeline li.group-row { display: block; }
.timeline .group { font-weight: 650; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); display: block; padding-top: 0.5rem; }
.logs { font-family: var(--mono); font-size: 0.82rem; }
.logs td { padding: 0.15rem 0.5rem; border: 0; }
.logs td:last-child { width: 100%; white-space: pre-wrap; overflow-wrap: anywhere; }
.logs .level-error, .logs .level-err { color: var(--fail); }
.logs .level-warn, .logs .level-warning { color: var(--wait); }
pre.json { background: var(--surface-2); padding: 0.75rem; border-radius: var(--radius); overflow-x: auto; font-size: 0.82rem; }
details > summary { cursor: pointer; color: var(--accent); margin: 0.4rem 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); gap: 1.25rem; }
.chart { container-type: inline-size; }
.chart svg { width: 100%; height: auto; display: block; }
.chart .axis { stroke: var(--border); stroke-width: 1; }
.chart .grid { stroke: var(--border); stroke-width: 1; stroke-dasharray: 3 3; }
.chart text { fill: var(--muted); font-size: 11px; font-family: system-ui, sans-serif; }
.chart .no-data { font-size: 14px; }
.chart .bar { fill: var(--chart-1); }
.chart .bar:hover { opacity: 0.8; }
.chart .bar.partial { fill-opacity: 0.4; stroke: var(--chart-1); stroke-dasharray: 3 2; }
.chart .bar-2 { fill: var(--chart-2); }
.chart .line { fill: none; stroke: var(--chart-1); stroke-width: 2.5; }
.chart .line-2 { stroke: var(--chart-4); stroke-dasharray: 5 4; stroke-width: 2; }
.chart .dot { fill: var(--chart-1); }
.chart .headline { font-size: 1.6rem; font-weight: 650; margin: 0; }
/*
 * A chart narrower than its drawing scales its text down with it: past a point the labels get larger in
 * the drawing's units, every other period label goes, and the value labels move into the plot, over a
 * halo, the middle and top ones only.
 */
@container (max-width: 580px) {
  .chart text { font-size: 14px; }
  .chart .no-data { font-size: 18px; }
  .chart .x-label.minor, .chart .y-label { display: none; }
  .chart .y-label.y-mid, .chart .y-label.y-top {
    display: inline; text-anchor: start; paint-order: stroke; stroke: var(--surface); stroke-width: 4px;
    stroke-linejoin: round; transform: translate(12px, -8px);
  }
  .chart .y-label.y-top { transform: translate(12px, 14px); }
}
@container (max-width: 440px) {
  .chart text { font-size: 20px; }
  .chart .no-data { font-size: 26px; }
  .chart .y-label.y-mid { transform: translate(12px, -10px); }
  .chart .y-label.y-top { transform: translate(12px, 19px); }
}
.chart-legend { display: flex; gap: 1rem; font-size: 0.8rem; color: var(--muted); list-style: none; padding: 0; margin: 0.3rem 0 0; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; vertical-align: -0.1rem; margin-right: 0.3rem; background: var(--chart-1); }
.swatch-2 { background: var(--chart-4); }
.drift-behind { color: var(--back); font-weight: 600; }
.drift-other { font-weight: 600; }
.live-status { font-size: 0.82rem; color: var(--muted); }
.live-dot { display: inline-block; width: 0.55rem; height: 0.55rem; border-radius: 50%; background: var(--ok); margin-right: 0.35rem; }
.live-status[data-state="error"] .live-dot { background: var(--fail); }
.empty { color: var(--muted); padding: 0.75rem 0; margin: 0; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 720px) {
  main { padding: 0.75rem; }
  .site-header nav { gap: 0.5rem; padding: 0.5rem 0.75rem; }
  .timeline li { grid-template-columns: 1fr 4.5rem; }
  .timeline .track { grid-column: 1 / -1; grid-row: 2; }
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: 0.4rem; }
  th, td { padding: 0.4rem; }
  /* Log lines: time, level and host on one line (the host wraps), the message on its own below. */
  .logs, .logs tbody { display: block; }
  .logs tbody tr { display: grid; grid-template-columns: max-content max-content minmax(0, 1fr); padding: 0.2rem 0; border-top: 1px solid var(--border); }
  .logs td { padding: 0 0.5rem 0 0; }
  .logs td:nth-child(3) { white-space: normal; overflow-wrap: anywhere; }
  .logs td:last-child { grid-column: 1 / -1; width: auto; }
  /* Filter fields are as wide as the form; a select's long option does not widen it. */
  .field { min-width: 0; }
  .field select { width: 100%; max-width: 100%; }
}
/* Release tables, up to a tablet's width: one card per release, each value under its column's name. */
@media (max-width: 960px) {
  table.stack, table.stack tbody, table.stack tr { display: block; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack tr { padding: 0.5rem 0; border-top: 1px solid var(--border); }
  table.stack td { display: block; position: relative; padding: 0.15rem 0 0.15rem 6.5rem; border: 0; text-align: left; white-space: normal; min-height: 1.4rem; }
  table.stack td::before { content: attr(data-label); position: absolute; left: 0; width: 6rem; color: var(--muted); font-size: 0.8rem; font-weight: 600; }
  table.stack td:empty { display: none; }
  table.stack td { overflow-wrap: anywhere; }
  table.stack .who, table.stack .pkg-name, table.stack .pkg-list strong { max-width: 100%; min-width: 0; }
}
@media print { .site-header, .skip-link, .filters, .pager { display: none; } }
`;
