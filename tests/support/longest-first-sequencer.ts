// The order test files start in. Two run at a time (vitest.config.ts); a clean clone has no
// timings from an earlier run, so vitest starts the biggest files first, and a small file
// that runs long (the Check runs, the conformance suite) may start last and run alone while
// the other worker idles. This starts the files known to take longest first (the longest
// processing time rule), then the rest in vitest's own order. The seconds are from one run of
// the browser project (2026-12-04, load 6-13); only their order matters.

import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SECONDS_BY_FILE: Record<string, number> = {
  'tests/browser/checks.test.ts': 482,
  'tests/browser/python-conformance.test.ts': 180,
  'tests/browser/python.test.ts': 174,
  'tests/browser/lesson.test.ts': 137,
  'tests/browser/python-snapshot.test.ts': 135,
  'tests/browser/python-threads.test.ts': 66,
  'tests/browser/python-lesson-programs.test.ts': 60,
  'tests/browser/accessibility.test.ts': 53,
};

function knownSeconds(spec: TestSpecification): number {
  for (const [file, seconds] of Object.entries(SECONDS_BY_FILE)) if (spec.moduleId.endsWith(`/${file}`)) return seconds;
  return 0;
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Within a group (interop runs after the others, one file at a time), longest first; a
    // stable sort keeps vitest's order among files of the same known time.
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => {
        const groups = a.spec.project.config.sequence.groupOrder - b.spec.project.config.sequence.groupOrder;
        return groups !== 0 ? groups : knownSeconds(b.spec) - knownSeconds(a.spec) || a.index - b.index;
      })
      .map(({ spec }) => spec);
  }
}
