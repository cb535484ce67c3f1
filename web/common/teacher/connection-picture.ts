// The small picture of one lab on the teacher's page: its devices as circles (a thick ring for
// one with a listener, its ports under it), a line from client to server for each connection
// (an arrowhead at the server, solid while ESTABLISHED, dashed while closing), a loop for a
// device connected to itself, and a dashed circle for a program outside the lab. Pure: it
// returns SVG text, so it is tested without a DOM and drawn with innerHTML.

import type { TeacherLab, TeacherLink } from '../../../shared/teacher-snapshot.ts';
import { escapeHtml } from './html-escape.ts';

const WIDTH = 260;
const HEIGHT = 150;
const NODE_RADIUS = 15;
const ARROW_LENGTH = 8;
/** Listening ports named under a device; more become "+N". */
const MAX_PORTS_SHOWN = 3;

interface Node {
  id: string;
  label: string;
  title: string;
  outside: boolean;
  ports: number[];
  x: number;
  y: number;
}

const escapeXml = escapeHtml;

function lastOctet(address: string): string {
  return `.${address.slice(address.lastIndexOf('.') + 1)}`;
}

function place(nodes: Node[]): void {
  const cx = WIDTH / 2;
  const cy = HEIGHT / 2 - 8;
  const n = nodes.length;
  nodes.forEach((node, i) => {
    if (n === 1) [node.x, node.y] = [cx, cy];
    else {
      // On an ellipse, the first device on the left, going clockwise.
      const angle = Math.PI + (2 * Math.PI * i) / n;
      node.x = cx + (WIDTH / 2 - 40) * Math.cos(angle);
      node.y = cy + (HEIGHT / 2 - 32) * Math.sin(angle);
    }
  });
}

function linkTitle(link: TeacherLink): string {
  return `${link.client} connected to ${link.server} port ${link.port} (${link.state})`;
}

function drawLink(link: TeacherLink, from: Node, to: Node, bend: number): string {
  const dash = link.state === 'ESTABLISHED' ? '' : ' stroke-dasharray="4 3"';
  const data = `data-client="${escapeXml(link.client)}" data-server="${escapeXml(link.server)}" data-port="${link.port}" data-state="${escapeXml(link.state)}"`;
  const title = `<title>${escapeXml(linkTitle(link))}</title>`;
  if (from === to) {
    // A loop over the device's circle, for a connection to itself (127.0.0.1).
    const r = NODE_RADIUS;
    const d = `M${from.x - r * 0.6},${from.y - r * 0.8} C${from.x - r * 1.6 - bend},${from.y - r * 3 - bend} ${from.x + r * 1.6 + bend},${from.y - r * 3 - bend} ${from.x + r * 0.6},${from.y - r * 0.8}`;
    return `<path class="link" ${data} d="${d}" fill="none"${dash}>${title}</path>`;
  }
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  const [ux, uy] = [dx / length, dy / length];
  const start = [from.x + ux * NODE_RADIUS, from.y + uy * NODE_RADIUS];
  const end = [to.x - ux * NODE_RADIUS, to.y - uy * NODE_RADIUS];
  // Several connections between the same two devices bow apart instead of overlapping.
  const mid = [(start[0]! + end[0]!) / 2 - uy * bend, (start[1]! + end[1]!) / 2 + ux * bend];
  const tangent = [end[0]! - mid[0]!, end[1]! - mid[1]!];
  const tl = Math.hypot(tangent[0]!, tangent[1]!) || 1;
  const [tx, ty] = [tangent[0]! / tl, tangent[1]! / tl];
  const base = [end[0]! - tx * ARROW_LENGTH, end[1]! - ty * ARROW_LENGTH];
  const arrow = [end, [base[0]! - ty * 4, base[1]! + tx * 4], [base[0]! + ty * 4, base[1]! - tx * 4]].map((p) => p.map((v) => v.toFixed(1)).join(',')).join(' ');
  const f = (v: number) => v.toFixed(1);
  return (
    `<g class="link" ${data}>${title}` +
    `<path d="M${f(start[0]!)},${f(start[1]!)} Q${f(mid[0]!)},${f(mid[1]!)} ${f(base[0]!)},${f(base[1]!)}" fill="none"${dash}/>` +
    `<polygon points="${arrow}"/></g>`
  );
}

function drawNode(node: Node): string {
  const listening = node.ports.length > 0;
  const ports = node.ports.slice(0, MAX_PORTS_SHOWN).map((p) => `:${p}`).join(' ') + (node.ports.length > MAX_PORTS_SHOWN ? ` +${node.ports.length - MAX_PORTS_SHOWN}` : '');
  const title = `${node.title}${listening ? `, listening on ${node.ports.join(', ')}` : ''}`;
  return (
    `<g class="node${node.outside ? ' outside' : ''}${listening ? ' listening' : ''}" data-address="${escapeXml(node.id)}"><title>${escapeXml(title)}</title>` +
    `<circle cx="${node.x.toFixed(1)}" cy="${node.y.toFixed(1)}" r="${NODE_RADIUS}"/>` +
    `<text x="${node.x.toFixed(1)}" y="${(node.y + 4).toFixed(1)}" text-anchor="middle">${escapeXml(node.label)}</text>` +
    (listening ? `<text class="ports" x="${node.x.toFixed(1)}" y="${(node.y + NODE_RADIUS + 12).toFixed(1)}" text-anchor="middle">${escapeXml(ports)}</text>` : '') +
    `</g>`
  );
}

/** A sentence of the picture, for screen readers and the picture's tooltip. */
export function pictureSummary(lab: TeacherLab): string {
  const devices = `${lab.devices.length} device${lab.devices.length === 1 ? '' : 's'}`;
  if (lab.links.length === 0) return `Lab ${lab.code}: ${devices}, no connections`;
  return `Lab ${lab.code}: ${devices}; ${lab.links.map(linkTitle).join('; ')}`;
}

export function connectionPicture(lab: TeacherLab): string {
  const nodes = new Map<string, Node>();
  const add = (id: string, outside: boolean) => {
    if (!nodes.has(id)) {
      nodes.set(id, { id, label: outside ? 'out' : lastOctet(id), title: outside ? `outside the lab: ${id}` : id, outside, ports: [], x: 0, y: 0 });
    }
    return nodes.get(id)!;
  };
  for (const d of lab.devices) add(d.address, false);
  for (const l of lab.links) {
    add(l.client, l.outside === 'client');
    add(l.server, l.outside === 'server');
  }
  for (const l of lab.listeners) {
    const node = nodes.get(l.device);
    if (node && !node.ports.includes(l.port)) node.ports.push(l.port);
  }
  place([...nodes.values()]);
  const pairs = new Map<string, number>();
  const links = lab.links.map((l) => {
    const from = nodes.get(l.client)!;
    const to = nodes.get(l.server)!;
    const pair = [from.id, to.id].sort().join('|');
    const seen = pairs.get(pair) ?? 0;
    pairs.set(pair, seen + 1);
    // 0, +14, -14, +28, ...: the first straight, the next ones bowed to either side.
    const bend = seen === 0 ? 0 : Math.ceil(seen / 2) * 14 * (seen % 2 ? 1 : -1);
    return drawLink(l, from, to, from === to ? seen * 6 : bend);
  });
  const label = escapeXml(pictureSummary(lab));
  return (
    `<svg class="links-picture" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${label}">` +
    `<g class="links">${links.join('')}</g><g class="nodes">${[...nodes.values()].map(drawNode).join('')}</g></svg>`
  );
}
