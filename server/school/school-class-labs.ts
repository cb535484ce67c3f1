// Where the teacher's API finds a class's labs when several instances share one database
// (--database): the labs this instance holds, read straight from its registry as with one
// process, and the class's other labs from the instances serving them (remote-labs.ts). The
// lab counts of the administrator's Classes panel come from the database; a reveal switch
// reaches the consoles here and, as a `reveal-switched` event, those of every other instance;
// closing a lab another instance serves deletes it in the database and tells that instance
// (`lab-removed`), which closes its consoles (4010) as if closed there. With --workers N the
// labs "here" are those of every lab worker of this instance, gathered through the front.

import type { ClassLabs, LocalLabsSources } from '../teacher/class-labs.ts';
import { localClassLabs } from '../teacher/class-labs.ts';
import type { TeacherLab } from '../../shared/teacher-snapshot.ts';
import type { RemoteLabs } from './remote-labs.ts';
import type { SchoolLink } from './school-link.ts';

export interface SchoolLabsSources extends LocalLabsSources {
  link: SchoolLink;
  remote: RemoteLabs;
  /** With --workers N: the labs of every worker of this instance (server/workers/front-link.ts). */
  gathered?: ClassLabs;
}

export function schoolClassLabs(sources: SchoolLabsSources): ClassLabs {
  const { link, remote } = sources;
  const here = sources.gathered ?? localClassLabs(sources);
  return {
    async labs(now, classId) {
      const own = (await here.labs(now, classId)) as TeacherLab[];
      const codes = new Set(own.map((l) => l.code));
      const elsewhere = await remote.classLabs(classId, now, (code) => codes.has(code));
      return [...own, ...elsewhere];
    },
    labCounts: () => link.store.labCountsByClass(),
    async revealed(classId, on) {
      await here.revealed(classId, on);
      link.publish({ type: 'reveal-switched', lab: null, instance: link.instance, on, scope: String(classId) });
    },
    async closeLab(code, classId) {
      // Held here (by a worker of this instance): closed there, deleted, the others told.
      if (await here.closeLab(code, classId)) return true;
      const stored = await link.store.findLab(code);
      if (!stored || (classId !== null && stored.classId !== classId)) return false;
      await link.store.deleteLab(stored.code);
      remote.invalidate(stored.code);
      link.publish({ type: 'lab-removed', lab: stored.code, instance: link.instance });
      return true;
    },
  };
}
