// Which device this tab is in the lab. Normally the browser's (device-key.ts: localStorage,
// so every tab is the same device); /lab/CODE?device=new ("Add a device") makes a fresh key
// kept in this tab's sessionStorage: the tab is another computer in the lab, and stays that
// one when reloaded. The parameter is then dropped from the address, so a copied address is
// the lab's ordinary one.

import { openStorage, SafeStorage } from '../common/safe-storage.ts';
import { DEVICE_KEY_PATTERN } from '../../shared/device-key-pattern.ts';
import { deviceKeyFor, deviceStorageKey, newDeviceKey } from './device-key.ts';

/** This tab's device key in the lab `code` (see above). */
export function tabDeviceKey(code: string): string {
  const fill = (bytes: Uint8Array) => crypto.getRandomValues(bytes);
  const session = new SafeStorage(openStorage(() => window.sessionStorage));
  const name = deviceStorageKey(code);
  const params = new URLSearchParams(location.search);
  if (params.get('device') === 'new') {
    const key = newDeviceKey(fill);
    session.set(name, key); // not kept: this tab is a new device until it is reloaded
    params.delete('device');
    const search = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
    return key;
  }
  const own = session.get(name);
  if (own && DEVICE_KEY_PATTERN.test(own)) return own;
  return deviceKeyFor(code, openStorage(() => window.localStorage), fill);
}
