// Where the lesson pane (web/lesson/lesson-pane.ts) sits on the lab page: the Lesson button
// opens and closes it, open at first on a wide screen and then as the student left it;
// /lab/CODE#lesson=SECTION opens a section, and the address follows the section shown so that
// it can be shared or reloaded. The pane is built the first time it opens.

import { SafeStorage } from '../common/safe-storage.ts';
import { LESSON_FILES } from '../files/lesson-files.ts';
import type { LessonHost } from '../lesson/lesson-host.ts';
import { LessonPane } from '../lesson/lesson-pane.ts';
import { sectionFromHash } from '../common/lesson/sections.ts';
import type { LessonHooks } from './test-hooks.ts';

/** Whether the lesson pane was open ('1' or '0'; absent on a first visit). */
const LESSON_OPEN_KEY = 'socketlab.lesson.open';
/** On a first visit the lesson starts open where it leaves the consoles room (CSS px). */
const LESSON_OPEN_MIN_WIDTH_PX = 1100;

export interface LessonDockOptions {
  /** What the pane may ask of the page. */
  host: LessonHost;
  /** The page's storage: whether the pane was open is remembered there. */
  storage: SafeStorage;
  /** Ends the dock's listener on window (the page's lifetime). */
  signal: AbortSignal;
}

export class LessonDock {
  /** Built the first time the pane opens. */
  private lesson: LessonPane | null = null;

  constructor(
    /** The pane's place (.lesson-pane). */
    private readonly element: HTMLElement,
    /** The Lesson button (.toggle-lesson). */
    private readonly toggle: HTMLButtonElement,
    /** The workspace (data-lesson open or closed lays the page out). */
    private readonly workspace: HTMLElement,
    private readonly options: LessonDockOptions,
  ) {
    toggle.addEventListener('click', () => {
      if (this.isOpen()) this.show(false);
      else this.open(null);
    });
    window.addEventListener(
      'hashchange',
      () => {
        const section = sectionFromHash(location.hash);
        if (section !== null) this.open(section);
      },
      { signal: options.signal },
    );
  }

  /** At page load: open for a #lesson= link, as last time, or on a first visit to a wide screen. */
  restore(): void {
    const linked = sectionFromHash(location.hash);
    const stored = this.options.storage.get(LESSON_OPEN_KEY);
    const firstVisitWide = stored === null && typeof matchMedia === 'function' && matchMedia(`(min-width: ${LESSON_OPEN_MIN_WIDTH_PX}px)`).matches;
    if (linked !== null || stored === '1' || firstVisitWide) this.open(linked);
  }

  isOpen(): boolean {
    return !this.element.hidden;
  }

  /** The section shown; null before the pane was first opened. */
  get section(): string | null {
    return this.lesson?.section ?? null;
  }

  /** Opens the pane (building it the first time), at the given section if one is named. */
  open(section: string | null): void {
    if (!this.lesson) {
      this.lesson = new LessonPane(this.element, {
        host: this.options.host,
        lessonFiles: LESSON_FILES,
        section,
        onSectionChange: (id) => this.sectionShown(id),
      });
    } else if (section !== null) {
      this.lesson.show(section);
    }
    this.show(true);
  }

  /** window.socketLab.lesson (test-hooks.ts). */
  hooks(): LessonHooks {
    return {
      isOpen: () => this.isOpen(),
      section: () => this.section,
      open: (section) => this.open(section ?? null),
      host: () => this.options.host,
    };
  }

  /** The address follows the section, so that it can be shared or reloaded. */
  private sectionShown(id: string): void {
    const hash = `#lesson=${id}`;
    if (location.hash !== hash) history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
  }

  private show(open: boolean): void {
    this.element.hidden = !open;
    this.workspace.dataset.lesson = open ? 'open' : 'closed';
    this.toggle.setAttribute('aria-pressed', String(open));
    this.options.storage.set(LESSON_OPEN_KEY, open ? '1' : '0'); // not remembered: the pane still opens and closes
  }
}
