// A class's name as the administrator types it, and the short name of its join URL
// (/class/SLUG) made from it. Pure: the server checks names with it (server/classes/), the
// teacher's page says the same thing before it asks.

/** Long enough for "Year 10 Networks, Tuesday period 3"; short enough for a card and a projector. */
export const MAX_CLASS_NAME_CHARS = 60;
/** Slugs stay short enough to read off a projector and type. */
export const MAX_CLASS_SLUG_CHARS = 40;
/** What a slug is: lower-case letters, digits and single dashes (the join URL's last part). */
export const CLASS_SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The name as kept: spaces at either end dropped, runs of white space made one space. */
export function tidyClassName(typed: string): string {
  return typed.trim().replace(/\s+/g, ' ');
}

/** Why a tidied name cannot be a class's name, or null when it can (duplicates are the server's to say). */
export function classNameProblem(name: string): string | null {
  if (name === '') return 'Give the class a name, for example "10B Networks".';
  // Counted in code points, as a person counts letters (an emoji is one).
  if ([...name].length > MAX_CLASS_NAME_CHARS) return `A class's name is at most ${MAX_CLASS_NAME_CHARS} characters; this one has ${[...name].length}.`;
  if (/\p{Cc}/u.test(name)) return "A class's name cannot hold control characters.";
  return null;
}

/** The key two names are the same by: "10b networks" and "10B  Networks" are one class. */
export function classNameKey(name: string): string {
  return tidyClassName(name).normalize('NFKC').toLocaleLowerCase('en');
}

/**
 * The join URL's short name for a class: its name in lower-case ASCII letters and digits with
 * dashes ("Année 10 – Réseaux" → "annee-10-reseaux"), "class" when nothing of it is left, and
 * "-2", "-3"... when another class has it already (`taken`).
 */
export function classSlug(name: string, taken: (slug: string) => boolean): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, MAX_CLASS_SLUG_CHARS)
      .replace(/^-+|-+$/g, '') || 'class';
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const slug = `${base.slice(0, MAX_CLASS_SLUG_CHARS - String(n).length - 1).replace(/-+$/, '')}-${n}`;
    if (!taken(slug)) return slug;
  }
}
