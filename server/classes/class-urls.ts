// Where a class's students start: the default class at / (as before classes), any other at
// /class/SLUG, whose page makes its labs in that class. Lab URLs (/lab/CODE) do not name the
// class: lab codes are unique across the server.

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { reachableUrls } from '../startup-urls.ts';
import type { SchoolClass } from './class-registry.ts';

/**
 * The server's own URLs as students reach it ('/' at the end): one per network address when it
 * serves every interface (what a teacher projects), else the one it serves on. `publicPort`:
 * the port students reach (--workers N: the front's), when not this server's own.
 */
export function serverBaseUrls(host: string, server: Server, publicPort?: number): string[] {
  // A lab worker's own server listens on a loopback port nobody is sent to: students' is the front's.
  const port = publicPort ?? (server.address() as AddressInfo | null)?.port ?? 0;
  const urls = reachableUrls(host, port, networkInterfaces());
  return urls.network.length > 0 ? urls.network : [urls.local];
}

/** The path of a class's join page. */
export const CLASS_PATH_PREFIX = '/class/';

/** A class's join URL on a server reached at `base` (ending in '/', as startup-urls.ts gives it). */
export function classJoinUrl(base: string, schoolClass: Pick<SchoolClass, 'slug'>): string {
  return schoolClass.slug === '' ? base : `${base.replace(/\/$/, '')}${CLASS_PATH_PREFIX}${schoolClass.slug}`;
}
