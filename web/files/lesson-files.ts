// A new device's starting files: the worksheet's programs (Programs 1 to 11), copied
// unchanged from the lesson into web/files/lesson-files/ (lesson-files.test.ts checks they
// still match), and the lab's own programs of the lesson pane (web/files/lab-programs/: the
// concurrent servers of "Serving many clients at once"), bundled as text with Vite's ?raw
// import. A device seeded before a file was added gets it when the pane runs or opens it.
// Browser only: Node cannot import a .py file, so Node tests read the folders instead. About
// 13 KB in all, so the first bundle carries them and a new device is seeded before its first
// console opens.

/// <reference types="vite/client" />

const modules = import.meta.glob<string>(['./lesson-files/*.py', './lab-programs/*.py'], { query: '?raw', import: 'default', eager: true });

/** File name to text, for DeviceFiles' seed. */
export const LESSON_FILES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(modules).map(([path, text]) => [path.slice(path.lastIndexOf('/') + 1), text]),
);
