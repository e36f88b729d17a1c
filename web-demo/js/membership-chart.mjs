// A campaign's memberships by status as one stacked bar (SVG) with a text legend, so the
// numbers are readable without the picture.
import { el } from './dom.mjs';
import { vocabulary } from './vocabulary.mjs';

const SVG = 'http://www.w3.org/2000/svg';
// Colours in the order of the membership statuses the core serves (pending, active, …).
const PALETTE = ['#9aa5b1', '#2f80ed', '#f2c94c', '#27ae60', '#9b51e0', '#eb5757', '#f2994a', '#4f4f4f'];

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** The chart for `leadCounts` ({status: n, total}). */
export function membershipChart(leadCounts, campaignName) {
  const parts = vocabulary().membershipStatuses
    .map((status, i) => [status, leadCounts[status] ?? 0, PALETTE[i % PALETTE.length]])
    .filter(([, n]) => n > 0);
  const total = parts.reduce((sum, [, n]) => sum + n, 0);
  const width = 220;
  const chart = svg('svg', { width, height: 14, viewBox: `0 0 ${width} 14`, role: 'img', class: 'chart' });
  const label = total ? parts.map(([status, n]) => `${status} ${n}`).join(', ') : 'no members';
  chart.append(Object.assign(svg('title', {}), { textContent: `${campaignName}: ${label}` }));
  chart.append(svg('rect', { x: 0, y: 0, width, height: 14, fill: '#eef1f4' }));
  let x = 0;
  for (const [status, n, colour] of parts) {
    const w = (n / total) * width;
    const bar = svg('rect', { x, y: 0, width: w, height: 14, fill: colour, 'data-status': status });
    bar.append(Object.assign(svg('title', {}), { textContent: `${status}: ${n}` }));
    chart.append(bar);
    x += w;
  }
  return el('figure', { class: 'membership-chart' }, chart,
    el('figcaption', {}, total ? parts.map(([status, n, colour]) =>
      el('span', { class: 'legend', dataset: { status } }, el('i', { style: `background:${colour}` }), `${status} ${n}`)) : 'no members'));
}
