// The classes of a school's instance: the default class (the only one of a server where the
// administrator made none: its teacher is the administrator, its join URL is /) and the ones
// the administrator makes on the teacher's page, each with its own teacher's token, join URL
// (/class/SLUG) and reveal switch. Held in memory, written through to the LabStore (a school
// has tens of classes, read on every console's hello and every teacher request).

import { randomBytes } from 'node:crypto';
import { classNameKey, classNameProblem, classSlug, tidyClassName } from '../../shared/class-name.ts';
import { DEFAULT_CLASS_ID, type LabStore, type StoredClass } from '../store/lab-store.ts';
import { tokenMatches } from '../teacher/teacher-auth.ts';

export interface SchoolClass {
  readonly id: number;
  readonly name: string;
  /** '' for the default class (join URL /); else its join URL is /class/SLUG. */
  readonly slug: string;
  /** Its teacher's token; null for the default class (the administrator's, --teacher-token). */
  readonly token: string | null;
  revealAnswers: boolean;
  readonly createdAt: number;
}

/** Why a class could not be made: the administrator reads `message`; `status` is the HTTP answer. */
export class ClassRefusal extends Error {
  constructor(
    message: string,
    readonly status: 400 | 409,
  ) {
    super(message);
  }
}

/** Enough for a school many times over; a page listing more would be a script gone wrong. */
export const MAX_CLASSES = 500;

/** Bytes of a class teacher's token: 32 characters of base64url, as hard to guess as a key. */
const CLASS_TOKEN_BYTES = 24;

export type ClassStore = Pick<LabStore, 'loadClasses' | 'insertClass' | 'setClassRevealAnswers'>;

export class ClassRegistry {
  private readonly classes = new Map<number, SchoolClass>();
  private readonly nameKeys = new Set<string>();

  constructor(
    private readonly store: ClassStore,
    private readonly now: () => number = Date.now,
  ) {
    for (const stored of store.loadClasses()) this.remember(stored);
    if (!this.classes.has(DEFAULT_CLASS_ID)) throw new Error('the store has no default class');
  }

  private remember(stored: StoredClass): SchoolClass {
    const c: SchoolClass = { id: stored.id, name: stored.name, slug: stored.slug, token: stored.token, revealAnswers: stored.revealAnswers, createdAt: stored.createdAt };
    this.classes.set(c.id, c);
    this.nameKeys.add(stored.nameKey);
    return c;
  }

  get defaultClass(): SchoolClass {
    return this.classes.get(DEFAULT_CLASS_ID)!;
  }

  /** The default class first, then in the order they were made. */
  all(): SchoolClass[] {
    return [...this.classes.values()].sort((a, b) => a.id - b.id);
  }

  get(id: number): SchoolClass | undefined {
    return this.classes.get(id);
  }

  /** The class of a join URL's /class/SLUG (never the default class: its URL is /). */
  bySlug(slug: string): SchoolClass | undefined {
    if (slug === '') return undefined;
    for (const c of this.classes.values()) if (c.slug === slug) return c;
    return undefined;
  }

  /**
   * The class whose teacher's token this is. Every class's token is compared, each in time
   * that does not depend on where it differs, so the answer's time tells nothing of any token.
   */
  byToken(given: string | null): SchoolClass | undefined {
    let found: SchoolClass | undefined;
    for (const c of this.classes.values()) if (c.token !== null && tokenMatches(given, c.token)) found = c;
    return found;
  }

  /** Makes a class (stored first); throws ClassRefusal for an empty, over-long or duplicate name. */
  create(typedName: string): SchoolClass {
    const name = tidyClassName(typedName);
    const problem = classNameProblem(name);
    if (problem) throw new ClassRefusal(problem, 400);
    const nameKey = classNameKey(name);
    if (this.nameKeys.has(nameKey)) throw new ClassRefusal(`There is already a class named "${name}": choose another name.`, 409);
    if (this.classes.size >= MAX_CLASSES) throw new ClassRefusal(`This server has ${MAX_CLASSES} classes, as many as it takes.`, 409);
    const slug = classSlug(name, (s) => this.bySlug(s) !== undefined);
    const token = randomBytes(CLASS_TOKEN_BYTES).toString('base64url');
    const createdAt = this.now();
    const id = this.store.insertClass({ name, nameKey, slug, token, createdAt });
    return this.remember({ id, name, nameKey, slug, token, revealAnswers: false, createdAt });
  }

  /** A class's reveal switch (stored first). */
  setRevealAnswers(id: number, on: boolean): void {
    const c = this.classes.get(id);
    if (!c) throw new Error(`no class ${id}`);
    this.store.setClassRevealAnswers(id, on);
    c.revealAnswers = on;
  }

  /** Whether a class's answers are revealed (a lab of an unknown class: as the default class's). */
  revealed(id: number): boolean {
    return (this.classes.get(id) ?? this.defaultClass).revealAnswers;
  }

  /** Whether any class has its answers revealed (the answers' chunk is served then). */
  anyRevealed(): boolean {
    for (const c of this.classes.values()) if (c.revealAnswers) return true;
    return false;
  }
}
