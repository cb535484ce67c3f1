// Where the teacher's API finds a class's labs when several instances share one database
// (--database): the labs this instance holds, read straight from its registry as with one
// process, and the class's other labs from the instances serving them (remote-labs.ts). The
// lab counts of the administrator's Classes panel come from the database; a reveal switch
// reaches the consoles here and, as a `reveal-switched` event, those of every other instance;
// closing a lab another instance serves deletes it in the database and tells that instance
// (`lab-removed`), which closes its consoles (4010) as if closed there.

import type { ClassLabs, LocalLabsSources } from '../teacher/class-labs.ts';
import { localClassLabs } from '../teacher/class-labs.ts';
import type { TeacherLab } from '../../shared/teacher-snapshot.ts';
import type { RemoteLabs } from './remote-labs.ts';
import type { SchoolLink } from './school-link.ts';

export interface SchoolLabsSources extends LocalLabsSources {
  link: SchoolLink;
  remote: RemoteLabs;
}

export function schoolClassLabs(sources: SchoolLabsSources): ClassLabs {
  const { registry, hub, link, remote } = sources;
  const local = localClassLabs(sources);
  return {
    async labs(now, classId) {
      const here = (await local.labs(now, classId)) as TeacherLab[];
      const elsewhere = await remote.classLabs(classId, now, (code) => registry.get(code) !== undefined);
      return [...here, ...elsewhere];
    },
    labCounts: () => link.store.labCountsByClass(),
    revealed(classId, on) {
      local.revealed(classId, on);
      link.publish({ type: 'reveal-switched', lab: null, instance: link.instance, on, scope: String(classId) });
    },
    async closeLab(code, classId) {
      const held = registry.get(code);
      if (held) {
        if (classId !== null && held.classId !== classId) return false;
        // Its consoles first (they end their programs and sockets and hear 4010), then its code.
        hub.closeLab(held.code);
        return registry.removeLab(held.code);
      }
      const stored = await link.store.findLab(code);
      if (!stored || (classId !== null && stored.classId !== classId)) return false;
      await link.store.deleteLab(stored.code);
      remote.invalidate(stored.code);
      link.publish({ type: 'lab-removed', lab: stored.code, instance: link.instance });
      return true;
    },
  };
}
