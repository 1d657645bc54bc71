/** A numbered schema step. Applied in order inside one transaction; never edited once released. */
export interface Migration {
  version: number;
  name: string;
  /** SQL run once, when the database is older than `version`. */
  up: string;
}
