// The classes as the teacher's API sends them (server/http/classes-plugin.ts) and the pages
// read them (web/teacher/, web/page/home-page.ts). Pure data.

import type { TeacherClass } from './teacher-snapshot.ts';

/** GET /api/teacher/me: who the token is. */
export interface TeacherIdentity {
  /** 'admin': the server's token, every class; 'class': one class's teacher. */
  role: 'admin' | 'class';
  /** The class its page shows first: the teacher's own, or the default class for the administrator. */
  class: TeacherClass;
}

/** One class in the administrator's list (GET /api/teacher/classes, POST answers one). */
export interface ClassInfo extends TeacherClass {
  /** Where its students start, one per network address of the server. */
  joinUrls: string[];
  /** Its teacher's link (/teacher?token=...); null for the default class (the administrator's own). */
  teacherUrl: string | null;
  revealAnswers: boolean;
  /** Its labs now. */
  labs: number;
}

/** GET /api/classes/SLUG, for a class's join page: its name alone. */
export interface PublicClass {
  name: string;
}
