/**
 * The bot's context types and the services its handlers use. The owner/viewer gate sets `role`
 * and `actor` on every update it lets through.
 */
import type { ConversationFlavor } from '@grammyjs/conversations';
import type { Context } from 'grammy';
import type { AppApi } from '../app/AppApi.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';

/** What a chat user may do: the owner everything, a viewer only read. */
export type Role = 'owner' | 'viewer';

/** Who sent the update: their role, and the actor name recorded with every change they make. */
export interface AuthFlavor {
  role: Role;
  /** `tg:<user id>` (or the console's prefix): recorded as who changed what. */
  actor: string;
}

/** Context of the outside middleware tree. */
export type BotContext = ConversationFlavor<Context & AuthFlavor>;

/** Context inside conversations: rebuilt from stored updates, without outside plugins. */
export type ConvContext = Context;

/** What every feature composer needs. */
export interface BotServices {
  readonly app: AppApi;
  readonly clock: Clock;
  readonly logger: Logger;
  /** TZ_REPORTS: times in messages are shown there. */
  readonly timeZone: string;
}
