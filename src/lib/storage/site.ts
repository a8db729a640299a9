/**
 * One place for where a spot is (DB v4). A scan in a spot takes its place on the body from the
 * spot's marker on the outline, so it keeps no body site of its own: the one it was given before
 * is kept, unchanged, as `legacyBodySite` (it may disagree with the spot's place, and it is the
 * person's own words, so it is never dropped). A scan in no spot has a plain `bodySite`. These
 * rules are used by the v4 upgrade, by moving a scan in and out of a spot, by deleting a spot and
 * by importing an older history file, so all of them agree. Pure.
 */

/** The two fields a record can say where it is with. */
export interface Sited {
  readonly bodySite?: string;
  readonly legacyBodySite?: string;
}

type Unsited<T> = Omit<T, 'bodySite' | 'legacyBodySite'>;

/**
 * Both texts in one, when a record somehow has two (not written by this app): kept side by side
 * rather than one of them lost.
 */
const joined = (a: string, b: string): string => (a === b ? a : `${a} / ${b}`);

/** The record as it is in a spot: its own body site, if any, becomes `legacyBodySite`. */
export function enteringSpot<T extends Sited>(record: T): Unsited<T> & Sited {
  const { bodySite, legacyBodySite, ...rest } = record;
  if (bodySite === undefined)
    return legacyBodySite === undefined ? rest : { ...rest, legacyBodySite };
  return {
    ...rest,
    legacyBodySite: legacyBodySite === undefined ? bodySite : joined(legacyBodySite, bodySite),
  };
}

/**
 * The record as it is in no spot: the body site it had before it went into the spot comes back
 * (it no longer has the spot's place to say where it is).
 */
export function leavingSpot<T extends Sited>(record: T): Unsited<T> & Sited {
  const { bodySite, legacyBodySite, ...rest } = record;
  if (legacyBodySite === undefined) return bodySite === undefined ? rest : { ...rest, bodySite };
  return {
    ...rest,
    bodySite: bodySite === undefined ? legacyBodySite : joined(bodySite, legacyBodySite),
  };
}

/** A spot's v2 `bodySite` (never shown since v3: its place is `location`) kept under its v4 name. */
export function spotSiteV4<T extends Sited>(spot: T): Unsited<T> & Sited {
  return enteringSpot(spot);
}
