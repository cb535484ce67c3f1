// What a device key looks like: the page makes one (web/page/device-key.ts) and sends it in the
// bridge's hello; the server accepts no other (server/bridge/join-handshake.ts). One pattern for
// both, so a key the page keeps is always one the server takes.

/** 8 to 64 letters, digits, '_' or '-' (the page's own keys are 32 hex digits). */
export const DEVICE_KEY_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
