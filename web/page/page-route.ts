// Which page the address asks for: / (and /join?code=CODE) creates or joins a lab, /class/SLUG
// the same for a class (its labs are made in that class), /lab/CODE
// is a lab (optionally with ?run=NAME to start a program in the first console, ?open=FILE to
// open a file in the editor). Pure, tested.

import { isValidFileName } from '../files/device-files.ts';
import { withLabParam } from '../../shared/lab-routing.ts';

export type PageRoute =
  | { page: 'home' }
  | { page: 'class'; slug: string }
  | { page: 'lab'; code: string; run: string | null }
  | { page: 'unknown' };

/** Lab codes are short letters and digits (server/lab/lab-registry.ts); typed ones may be lower case. */
const LAB_PATH = /^\/lab\/([A-Za-z0-9]{1,32})\/?$/;
/** A class's join page (shared/class-name.ts CLASS_SLUG_PATTERN, typed in any case). */
const CLASS_PATH = /^\/class\/([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)\/?$/;
/** A program name as `run` takes it: nothing else may ride along into the shell. */
const PROGRAM_NAME = /^[A-Za-z0-9_]{1,64}$/;

export function routeFor(pathname: string, search: string): PageRoute {
  if (pathname === '/' || pathname === '/index.html' || pathname === '/join') return { page: 'home' };
  const schoolClass = CLASS_PATH.exec(pathname);
  if (schoolClass) return { page: 'class', slug: schoolClass[1]!.toLowerCase() };
  const lab = LAB_PATH.exec(pathname);
  if (!lab) return { page: 'unknown' };
  const run = new URLSearchParams(search).get('run');
  return { page: 'lab', code: lab[1]!.toUpperCase(), run: run !== null && PROGRAM_NAME.test(run) ? run : null };
}

/** The lab page's ?open=FILE: a file name the device takes, or null. */
export function fileToOpen(search: string): string | null {
  const name = new URLSearchParams(search).get('open');
  return name !== null && isValidFileName(name) ? name : null;
}

/**
 * The bridge's WebSocket address on the server that served the page, naming the lab
 * (?lab=CODE: a front process or HAProxy routes it to the lab's worker by its URL alone).
 */
export function bridgeUrl(location: Pick<Location, 'protocol' | 'host'>, labCode: string): string {
  return withLabParam(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`, labCode);
}
