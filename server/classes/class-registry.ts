// The classes of a school's instance: the default class (the only one of a server where the
// administrator made none: its teacher is the administrator, its join URL is /) and the ones
// the administrator makes on the teacher's page, each with its own teacher's token, join URL
// (/class/SLUG) and reveal switch. Held in memory, written through to the LabStore (a school
// has tens of classes, read on every console's hello and every teacher request).
//
// With --workers N every lab worker holds its own copy, and all share the store. A class made
// through one worker reaches the others by reading the store again when a class asked for is
// not known (bySlug, byToken, get) and before listing or making classes: classes are only ever
// added, so a miss is the one sign of a newer one, and the store is the single truth without a
// message that a restarting worker could miss. A reveal switch, which changes a known class,
// comes over IPC instead (heardRevealAnswers), since its consoles must hear it at once.
//
// With several instances on one PostgreSQL database (--database) the store answers promises:
// ClassRegistry.openShared reads the classes at start, and the routes use the async methods
// (lookUp*, listAll, make, switchReveal), which read the database again on a miss in the same
// way. A class's switch reaches the other instances as a `reveal-switched` event (heardRevealAnswers).

import { randomBytes } from 'node:crypto';
import { classNameKey, classNameProblem, classSlug, tidyClassName } from '../../shared/class-name.ts';
import { DEFAULT_CLASS_ID, type LabStore, type StoredClass } from '../store/lab-store.ts';
import type { AsyncLabStore, NewClass } from '../store/async-lab-store.ts';
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
export type SharedClassStore = Pick<AsyncLabStore, 'loadClasses' | 'insertClass' | 'setClassRevealAnswers'>;

export class ClassRegistry {
  private readonly classes = new Map<number, SchoolClass>();
  private readonly nameKeys = new Set<string>();
  /** The database shared by several instances (openShared); null: `store`, synchronous. */
  private shared: SharedClassStore | null = null;

  constructor(
    private readonly store: ClassStore,
    private readonly now: () => number = Date.now,
    /** Other processes write classes to the same store (lab workers): read it again on a miss. */
    private readonly sharedStore = false,
  ) {
    for (const stored of store.loadClasses()) this.remember(stored);
    if (!this.classes.has(DEFAULT_CLASS_ID)) throw new Error('the store has no default class');
  }

  /** The classes of a database shared by several instances (--database), read once here. */
  static async openShared(store: SharedClassStore, now: () => number = Date.now): Promise<ClassRegistry> {
    const loaded = await store.loadClasses();
    const refuse = () => {
      throw new Error('a shared class store is written through the async methods');
    };
    const registry = new ClassRegistry({ loadClasses: () => loaded, insertClass: refuse, setClassRevealAnswers: refuse }, now);
    registry.shared = store;
    return registry;
  }

  /** Learns the classes another process made since (a shared store only); false when there was nothing to read. */
  private reload(): boolean {
    if (!this.sharedStore) return false;
    for (const stored of this.store.loadClasses()) {
      const known = this.classes.get(stored.id);
      if (known) known.revealAnswers = stored.revealAnswers;
      else this.remember(stored);
    }
    return true;
  }

  /** `find` in the classes known, or else once more after reading a shared store again. */
  private findOrReload(find: () => SchoolClass | undefined): SchoolClass | undefined {
    return find() ?? (this.reload() ? find() : undefined);
  }

  /** reload(), also from the shared database. */
  private async reloadShared(): Promise<boolean> {
    if (!this.shared) return this.reload();
    for (const stored of await this.shared.loadClasses()) {
      const known = this.classes.get(stored.id);
      if (known) known.revealAnswers = stored.revealAnswers;
      else this.remember(stored);
    }
    return true;
  }

  private async findOrReloadShared(find: () => SchoolClass | undefined): Promise<SchoolClass | undefined> {
    return find() ?? ((await this.reloadShared()) ? find() : undefined);
  }

  /** get(), also reading the shared database on a miss. */
  lookUp(id: number): Promise<SchoolClass | undefined> {
    return this.findOrReloadShared(() => this.classes.get(id));
  }

  /** bySlug(), also reading the shared database on a miss. */
  lookUpBySlug(slug: string): Promise<SchoolClass | undefined> {
    if (slug === '') return Promise.resolve(undefined);
    return this.findOrReloadShared(() => this.knownBySlug(slug));
  }

  /** byToken(), also reading the shared database on a miss (never for no token at all). */
  async lookUpByToken(given: string | null): Promise<SchoolClass | undefined> {
    const known = this.byToken(given);
    if (known || !given || !this.shared) return known;
    await this.reloadShared();
    return this.byToken(given);
  }

  /** all(), after reading the shared database (classes made on other instances too). */
  async listAll(): Promise<SchoolClass[]> {
    await this.reloadShared();
    return this.all();
  }

  /** create(), also in the shared database, where a name, slug or token taken on another instance is refused. */
  async make(typedName: string): Promise<SchoolClass> {
    const shared = this.shared;
    if (!shared) return this.create(typedName);
    await this.reloadShared();
    const c = this.newClass(typedName);
    const id = await shared.insertClass(c);
    if (id === null) {
      // Made on another instance meanwhile (the UNIQUE constraints said so).
      await this.reloadShared();
      throw new ClassRefusal(`There is already a class named "${c.name}": choose another name.`, 409);
    }
    return this.remember({ id, ...c, revealAnswers: false });
  }

  /** setRevealAnswers(), also in the shared database. */
  async switchReveal(id: number, on: boolean): Promise<void> {
    const shared = this.shared;
    if (!shared) return this.setRevealAnswers(id, on);
    const c = this.classes.get(id);
    if (!c) throw new Error(`no class ${id}`);
    await shared.setClassRevealAnswers(id, on);
    c.revealAnswers = on;
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
    this.reload();
    return [...this.classes.values()].sort((a, b) => a.id - b.id);
  }

  get(id: number): SchoolClass | undefined {
    return this.findOrReload(() => this.classes.get(id));
  }

  /** The class of a join URL's /class/SLUG (never the default class: its URL is /). */
  bySlug(slug: string): SchoolClass | undefined {
    if (slug === '') return undefined;
    return this.findOrReload(() => this.knownBySlug(slug));
  }

  private knownBySlug(slug: string): SchoolClass | undefined {
    for (const c of this.classes.values()) if (c.slug === slug) return c;
    return undefined;
  }

  /**
   * The class whose teacher's token this is. Every class's token is compared, each in time
   * that does not depend on where it differs, so the answer's time tells nothing of any token.
   */
  byToken(given: string | null): SchoolClass | undefined {
    const find = () => {
      let found: SchoolClass | undefined;
      for (const c of this.classes.values()) if (c.token !== null && tokenMatches(given, c.token)) found = c;
      return found;
    };
    // No token at all is never a class's: no store read for every request without one.
    return given ? this.findOrReload(find) : find();
  }

  /** Makes a class (stored first); throws ClassRefusal for an empty, over-long or duplicate name. */
  create(typedName: string): SchoolClass {
    // Another worker may have made a class of that name (the store's UNIQUE is the backstop).
    this.reload();
    const c = this.newClass(typedName);
    const id = this.store.insertClass(c);
    return this.remember({ id, ...c, revealAnswers: false });
  }

  /** A class to make, checked against the classes known; throws ClassRefusal. */
  private newClass(typedName: string): NewClass {
    const name = tidyClassName(typedName);
    const problem = classNameProblem(name);
    if (problem) throw new ClassRefusal(problem, 400);
    const nameKey = classNameKey(name);
    if (this.nameKeys.has(nameKey)) throw new ClassRefusal(`There is already a class named "${name}": choose another name.`, 409);
    if (this.classes.size >= MAX_CLASSES) throw new ClassRefusal(`This server has ${MAX_CLASSES} classes, as many as it takes.`, 409);
    const slug = classSlug(name, (s) => this.knownBySlug(s) !== undefined);
    const token = randomBytes(CLASS_TOKEN_BYTES).toString('base64url');
    return { name, nameKey, slug, token, createdAt: this.now() };
  }

  /** A class's reveal switch (stored first). */
  setRevealAnswers(id: number, on: boolean): void {
    const c = this.classes.get(id);
    if (!c) throw new Error(`no class ${id}`);
    this.store.setClassRevealAnswers(id, on);
    c.revealAnswers = on;
  }

  /**
   * Another lab worker changed a class's switch (and stored it): this copy learns it. False:
   * no such class, even in the store.
   */
  heardRevealAnswers(id: number, on: boolean): boolean {
    const c = this.get(id);
    if (!c) return false;
    c.revealAnswers = on;
    return true;
  }

  /** Whether a class's answers are revealed (a lab of an unknown class: as the default class's). */
  revealed(id: number): boolean {
    return (this.get(id) ?? this.defaultClass).revealAnswers;
  }

  /** Whether any class has its answers revealed (the answers' chunk is served then). */
  anyRevealed(): boolean {
    for (const c of this.classes.values()) if (c.revealAnswers) return true;
    return false;
  }
}
