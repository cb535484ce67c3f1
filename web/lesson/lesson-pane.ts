// The lesson pane: the worksheet's sections in order, one shown at a time, with Previous,
// Next and a list of all of them. Each section has our own few paragraphs pointing at the
// worksheet's pages, buttons that open its Programs, its inline questions, the encoding
// explorer (str and bytes), and a slot for each exercise's Check. It uses the lab page only
// through LessonHost. All sections are built once, so answers picked stay while moving about.

import './lesson.css';
import { renderEncodingExplorer } from './encoding-explorer.ts';
import { exerciseByNumber } from '../common/lesson/exercises.ts';
import { renderExerciseSlot } from './exercise-slot.ts';
import type { LessonHost } from './lesson-host.ts';
import { renderPrograms } from './program-list.ts';
import { renderQuestion } from './question-view.ts';
import { questionByNumber } from '../common/lesson/questions.ts';
import { sectionIndex, SECTIONS, type LessonSection } from '../common/lesson/sections.ts';

export interface LessonPaneOptions {
  host: LessonHost;
  /** The worksheet's programs by file name (the device's starting files). */
  lessonFiles: Readonly<Record<string, string>>;
  /** The section to show first (an id; unknown or null: the first). */
  section: string | null;
  /** Called when another section is shown (the page keeps it in the address). */
  onSectionChange?(id: string): void;
}

const NAV_TEMPLATE = `
<nav class="lesson-nav" aria-label="Lesson sections">
  <button type="button" class="lesson-prev secondary" aria-label="Previous section">‹ Previous</button>
  <label class="lesson-select-label"><span class="visually-hidden">Section</span><select class="lesson-select"></select></label>
  <button type="button" class="lesson-next secondary" aria-label="Next section">Next ›</button>
</nav>
<p class="lesson-position visually-hidden" aria-live="polite"></p>
<div class="lesson-sections"></div>`;

export class LessonPane {
  private current = 0;
  private readonly articles: HTMLElement[] = [];
  private readonly select: HTMLSelectElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;

  constructor(
    readonly element: HTMLElement,
    private readonly options: LessonPaneOptions,
  ) {
    element.classList.add('lesson');
    element.innerHTML = NAV_TEMPLATE;
    this.select = element.querySelector('.lesson-select')!;
    this.prev = element.querySelector('.lesson-prev')!;
    this.next = element.querySelector('.lesson-next')!;
    const holder = element.querySelector('.lesson-sections')!;
    SECTIONS.forEach((section, i) => {
      const option = document.createElement('option');
      option.value = section.id;
      option.textContent = `${i + 1}. ${section.title}`;
      this.select.append(option);
      const article = this.renderSection(section, i);
      this.articles.push(article);
      holder.append(article);
    });
    this.select.addEventListener('change', () => this.show(this.select.value));
    // Not disabled at the ends (a disabled button would drop the keyboard's focus): it just does nothing.
    this.prev.addEventListener('click', () => this.step(-1));
    this.next.addEventListener('click', () => this.step(1));
    this.showIndex(sectionIndex(options.section), false);
  }

  /** The id of the section shown. */
  get section(): string {
    return SECTIONS[this.current]!.id;
  }

  show(id: string): void {
    this.showIndex(sectionIndex(id), true);
  }

  private step(delta: number): void {
    const to = this.current + delta;
    if (to >= 0 && to < SECTIONS.length) this.showIndex(to, true);
  }

  private showIndex(index: number, announce: boolean): void {
    const changed = index !== this.current;
    this.current = index;
    this.articles.forEach((article, i) => (article.hidden = i !== index));
    this.select.value = SECTIONS[index]!.id;
    this.prev.setAttribute('aria-disabled', String(index === 0));
    this.next.setAttribute('aria-disabled', String(index === SECTIONS.length - 1));
    this.element.querySelector('.lesson-sections')!.scrollTop = 0;
    if (announce) this.element.querySelector('.lesson-position')!.textContent = `Section ${index + 1} of ${SECTIONS.length}: ${SECTIONS[index]!.title}`;
    if (changed || announce) this.options.onSectionChange?.(SECTIONS[index]!.id);
  }

  private renderSection(section: LessonSection, index: number): HTMLElement {
    const { host, lessonFiles } = this.options;
    const article = document.createElement('article');
    article.className = 'lesson-section';
    article.id = `lesson-section-${section.id}`;
    article.dataset.section = section.id;
    article.setAttribute('aria-labelledby', `${article.id}-title`);
    const heading = document.createElement('h2');
    heading.id = `${article.id}-title`;
    heading.className = 'lesson-section-title';
    heading.textContent = `${index + 1}. ${section.title}`;
    const pages = document.createElement('p');
    pages.className = 'lesson-pages';
    pages.textContent = `Worksheet ${section.pages.includes('-') ? 'pages' : 'page'} ${section.pages}`;
    article.append(heading, pages);
    for (const text of section.text) {
      const paragraph = document.createElement('p');
      paragraph.textContent = text;
      article.append(paragraph);
    }
    const programs = renderPrograms(section, host, lessonFiles);
    if (programs) article.append(programs);
    for (const number of section.questions) {
      const question = questionByNumber(number);
      if (question) article.append(renderQuestion(question, host));
    }
    if (section.explorer) article.append(renderEncodingExplorer());
    for (const number of section.exercises) {
      const exercise = exerciseByNumber(number);
      if (exercise) article.append(renderExerciseSlot(exercise, host, lessonFiles));
    }
    return article;
  }
}
