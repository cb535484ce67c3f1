// What the lab page's banner says about its consoles' connections, DOM-free: nothing while
// all are connected; "went away, reconnecting" while any retries by itself (a restart says
// it for every console at once); otherwise why a console closed and what the student can do,
// with the one button that helps (the gravest reason first: a closed lab outweighs a reload).

import type { CloseExplanation, ReconnectPolicy } from '../bridge/close-reasons.ts';

/** The banner's button: reconnect the consoles that wait for it, reload, or the home page. */
export type BannerAction = 'reconnect' | 'reload' | 'home';

export interface BannerView {
  kind: 'reconnecting' | 'disconnected';
  text: string;
  action: BannerAction | null;
}

export const RECONNECTING_TEXT =
  'The lab server went away — reconnecting… Programs that were running have ended; the consoles come back by themselves when it is back.';

const GRAVITY: Record<Exclude<ReconnectPolicy, 'auto'>, number> = { never: 3, reload: 2, 'on-request': 1 };
const ACTIONS: Record<Exclude<ReconnectPolicy, 'auto'>, BannerAction> = { never: 'home', reload: 'reload', 'on-request': 'reconnect' };

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The banner for the reasons the page's consoles are not connected (one per such console). */
export function connectionBanner(lost: readonly CloseExplanation[]): BannerView | null {
  if (lost.length === 0) return null;
  if (lost.some((e) => e.policy === 'auto')) return { kind: 'reconnecting', text: RECONNECTING_TEXT, action: null };
  let worst = lost[0]!;
  for (const e of lost) {
    if (GRAVITY[e.policy as Exclude<ReconnectPolicy, 'auto'>] > GRAVITY[worst.policy as Exclude<ReconnectPolicy, 'auto'>]) worst = e;
  }
  const policy = worst.policy as Exclude<ReconnectPolicy, 'auto'>;
  const todo = policy === 'on-request' ? worst.todo.replace(/press Enter/, 'press Enter in the console or the Reconnect button') : worst.todo;
  return { kind: 'disconnected', text: `${sentence(worst.what)}. ${sentence(todo)}.`, action: ACTIONS[policy] };
}
