export interface Placeholder {
  path: string;
  title: string;
  description: string;
}

/** Areas whose screens are not built yet: each still gets a real page saying what will be there. */
export const PLACEHOLDERS: readonly Placeholder[] = [];
