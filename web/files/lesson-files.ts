// The worksheet's programs (Programs 1 to 11) as a new device's starting files: copied
// unchanged from the lesson into web/files/lesson-files/ (lesson-files.test.ts checks they
// still match) and bundled as text with Vite's ?raw import. Browser only: Node cannot import
// a .py file, so Node tests read the folder instead. About 9 KB in all, so the first bundle
// carries them and a new device is seeded before its first console opens.

/// <reference types="vite/client" />

const modules = import.meta.glob<string>('./lesson-files/*.py', { query: '?raw', import: 'default', eager: true });

/** File name to text, for DeviceFiles' seed. */
export const LESSON_FILES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(modules).map(([path, text]) => [path.slice(path.lastIndexOf('/') + 1), text]),
);
