// Text from the server (a User-Agent, a program's name, an outside address) goes into the
// teacher's page through innerHTML: always escaped first.

export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
