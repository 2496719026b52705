import type { Clock } from '../../infra/clock';
import type { CardCounts } from '../card/card.types';
import type { UsageCountRow } from '../usage/usage.types';

/**
 * The counts other modules answer, passed in by app.ts: each a small function of that module's service,
 * so the dashboard never reads another module's collection.
 */
export interface DashboardDeps {
  clock: Clock;
  /** This node's province code: what a verification by this node's own windows counts under. */
  province: string;
  usage: { countEvents(q: { actions: string[]; from: number; to: number }): Promise<UsageCountRow[]> };
  cards: { countCards(from: number): Promise<CardCounts> };
  documentCalls: { countByState(from: number): Promise<Record<string, number>> };
  callbacks: { counts(): Promise<{ backlog: number; deadLetters: number }> };
}

/** The usage actions the dashboard counts. */
export const ACTIONS = {
  verify: 'card.verify',
  realName: 'identity.real_name',
  face: 'identity.real_person',
} as const;
