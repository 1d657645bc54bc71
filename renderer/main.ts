/**
 * Renderer entry. The React UI arrives with the desktop-app issue; this file only proves the
 * DOM build and its layer rules.
 */
export function hostName(w: Window & { backscatter?: { host: string } }): string {
  return w.backscatter?.host ?? "browser";
}
