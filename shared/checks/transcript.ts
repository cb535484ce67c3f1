// What happened in a scenario, in order, for the results list: what the reference peer sent
// and received (as Python bytes literals), what the student's program printed and was typed.

import { pyBytesRepr } from '../py-repr.ts';

export type TranscriptWho = 'peer' | 'program' | 'check';

export interface TranscriptEntry {
  /** ms since the scenario started. */
  atMs: number;
  who: TranscriptWho;
  text: string;
}

export class Transcript {
  readonly entries: TranscriptEntry[] = [];
  private readonly startMs: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startMs = now();
  }

  add(who: TranscriptWho, text: string): void {
    this.entries.push({ atMs: this.now() - this.startMs, who, text });
  }

  /** With several connections (Question 11), `client` names the one: "client B sent ...". */
  peerSent(data: Uint8Array, client?: string): void {
    this.add('peer', `${clientPrefix(client)}sent ${pyBytesRepr(data)}`);
  }

  peerReceived(data: Uint8Array, client?: string): void {
    this.add('peer', clientPrefix(client) + (data.length === 0 ? 'received b\'\' (end of stream)' : `received ${pyBytesRepr(data)}`));
  }

  /** Printed text joins the program's last entry while nothing else happened in between. */
  programPrinted(text: string): void {
    const last = this.entries[this.entries.length - 1];
    if (last && last.who === 'program' && last.text.startsWith('printed: ')) last.text += text;
    else this.add('program', `printed: ${text}`);
  }

  typed(line: string): void {
    this.add('program', `typed: ${line}`);
  }

  toText(): string {
    return this.entries
      .map((e) => `${(e.atMs / 1000).toFixed(2).padStart(6)} s  ${e.who.padEnd(7)} ${e.text.replace(/\n(?!$)/g, '\n' + ' '.repeat(18))}`)
      .map((line) => line.replace(/\n$/, ''))
      .join('\n');
  }
}

export function clientPrefix(client: string | undefined): string {
  return client ? `client ${client} ` : '';
}

/** The last few non-empty lines a program printed, to say how it ended. */
export function lastLines(output: string, count = 2): string {
  const lines = output.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
  return lines.slice(-count).join(' / ');
}
