// A short, readable name of a browser from its User-Agent ("Chrome 131 on Linux"), so the
// teacher can tell which laptop is which. Best effort: the order of the checks matters
// because every Chromium-based browser also says "Chrome" and "Safari".

const BROWSERS: readonly [name: string, pattern: RegExp][] = [
  ['Edge', /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /\b(?:OPR|Opera)\/(\d+)/],
  ['Samsung Internet', /\bSamsungBrowser\/(\d+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  ['Chromium', /\bChromium\/(\d+)/],
  ['Chrome', /\b(?:HeadlessChrome|Chrome|CriOS)\/(\d+)/],
  ['Safari', /\bVersion\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//],
];

const SYSTEMS: readonly [name: string, pattern: RegExp][] = [
  ['Android', /\bAndroid\b/],
  ['ChromeOS', /\bCrOS\b/],
  ['iPadOS', /\biPad\b/],
  ['iOS', /\biPhone\b|\biPod\b/],
  ['Windows', /\bWindows\b/],
  ['macOS', /\bMac OS X\b|\bMacintosh\b/],
  ['Linux', /\bLinux\b|\bX11\b/],
];

/** The longest name we return: a User-Agent is whatever the client sent. */
export const MAX_BROWSER_NAME_CHARS = 60;

export function shortBrowserName(userAgent: string): string {
  const ua = userAgent.trim();
  if (ua === '') return '';
  let browser = '';
  for (const [name, pattern] of BROWSERS) {
    const m = pattern.exec(ua);
    if (m) {
      browser = `${name} ${m[1]}`;
      break;
    }
  }
  const system = SYSTEMS.find(([, pattern]) => pattern.test(ua))?.[0] ?? '';
  if (browser && system) return `${browser} on ${system}`;
  if (browser || system) return browser || system;
  // Not a browser we know (a test's Node client, curl): its first word, tidied.
  const first = /^[A-Za-z][\w.-]*(?:\/[\w.-]+)?/.exec(ua)?.[0] ?? 'unknown';
  return first.slice(0, MAX_BROWSER_NAME_CHARS);
}
