/**
 * The admin pages, registered by name: each page is its own file that calls `registerPage` (imported once
 * from pages/index.ts), so the resident lookup, the review queue or the audit join the menu by adding a
 * file, not by editing the shell. The menu shows a page only to the roles of its capability.
 */
import type { ComponentType } from 'react';
import type { UiCapability } from './capabilities';
import type { Words } from './words';

export interface AdminPage {
  /** The hash route: `#/<id>`. */
  id: string;
  title: Words;
  capability: UiCapability;
  /** Lower first in the menu. */
  order: number;
  component: ComponentType;
}

const pages: AdminPage[] = [];

export function registerPage(page: AdminPage): void {
  if (pages.some((p) => p.id === page.id)) throw new Error(`admin page ${page.id} registered twice`);
  pages.push(page);
  pages.sort((a, b) => a.order - b.order);
}

export function allPages(): readonly AdminPage[] {
  return pages;
}
