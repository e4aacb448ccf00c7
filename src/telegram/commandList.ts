/**
 * The chat commands, their descriptions for `setMyCommands` and /help, and whether a
 * viewer may use them. Names are part of the contract.
 */

export interface CommandSpec {
  readonly command: string;
  readonly description: string;
  /** Usage shown in /help when the command takes arguments. */
  readonly usage?: string;
  /** Viewers may use it: it reads and never changes anything. */
  readonly readOnly: boolean;
}

/** Every chat command with its description, usage and whether a viewer may use it. */
export const COMMANDS = [
  { command: 'start', description: 'What this bot does and what to try', readOnly: true },
  { command: 'help', description: 'Every command', readOnly: true },
  { command: 'status', description: 'Mode, strategies, reserves, warnings', readOnly: true },
  { command: 'balance', description: 'Balances with USDC value and split', readOnly: true },
  { command: 'pnl', description: 'Positions, unrealised and realised PnL', readOnly: true },
  {
    command: 'cost',
    description: 'Set the cost of a holding the history cannot explain',
    usage: '[<ASSET> <price>]',
    readOnly: false,
  },
  { command: 'trades', description: 'Latest fills', usage: '[count]', readOnly: true },
  { command: 'orders', description: 'Open orders (with Cancel buttons)', readOnly: true },
  { command: 'pause', description: 'Pause all or one strategy', usage: '[strategy|all]', readOnly: false },
  { command: 'resume', description: 'Resume all or one strategy', usage: '[strategy|all]', readOnly: false },
  { command: 'settings', description: 'Tune settings with buttons', readOnly: false },
  { command: 'set', description: 'Change a setting', usage: '<key> <value>', readOnly: false },
  { command: 'get', description: 'Show settings', usage: '[key-prefix]', readOnly: true },
  {
    command: 'history',
    description: 'Recent setting changes, each with an undo button',
    usage: '[key]',
    readOnly: true,
  },
  {
    command: 'whatif',
    description: 'Replay a setting change over recent history',
    usage: '<key> <value> [days]',
    readOnly: true,
  },
  { command: 'exclude', description: 'Never trade a symbol', usage: '<SYMBOL>', readOnly: false },
  { command: 'include', description: 'Allow a symbol again', usage: '<SYMBOL>', readOnly: false },
  { command: 'scan', description: 'Latest scan; the owner also starts one', readOnly: true },
  { command: 'why', description: "Scanner's verdict on a symbol", usage: '<SYMBOL>', readOnly: true },
  { command: 'report', description: 'The daily report now', readOnly: true },
  { command: 'chart', description: 'Portfolio chart', usage: '[1d|7d|30d|90d|1y|all]', readOnly: true },
  { command: 'panic', description: 'Kill switch: cancel orders, pause all', readOnly: false },
  { command: 'cancel', description: 'Leave the current dialogue', readOnly: true },
] as const satisfies readonly CommandSpec[];

/** The name of one chat command. */
export type CommandName = (typeof COMMANDS)[number]['command'];

/** Every command name, to tell a known command from a typo. */
export const COMMAND_NAMES: ReadonlySet<string> = new Set(COMMANDS.map((c) => c.command));
/** The commands a viewer may use: they show things and change nothing. */
export const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set(
  COMMANDS.filter((c) => c.readOnly).map((c) => c.command),
);

/** The `setMyCommands` payload. */
export function botCommands(): { command: string; description: string }[] {
  return COMMANDS.map((c) => ({ command: c.command, description: c.description }));
}

/**
 * The command of a message (`/Set@MyBot key v` → `set`), or undefined when the text is not a
 * command.
 */
export function commandOf(text: string | undefined): string | undefined {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s|$)/.exec(text ?? '');
  return m ? m[1]!.toLowerCase() : undefined;
}
