// The lab's own programs for the lesson pane (web/files/lab-programs/: the concurrent servers
// of the section "Serving many clients at once"), bundled as text with Vite's ?raw import.
// Not a new device's starting files, which stay the worksheet's (lesson-files.ts): the pane
// writes one to the device when the student runs or opens it, so a device made before these
// existed and a new one get them the same way. Browser only, as lesson-files.ts.

/// <reference types="vite/client" />

const modules = import.meta.glob<string>('./lab-programs/*.py', { query: '?raw', import: 'default', eager: true });

/** File name to text. */
export const LAB_PROGRAMS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(modules).map(([path, text]) => [path.slice(path.lastIndexOf('/') + 1), text]),
);
