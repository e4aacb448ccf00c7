/**
 * Starting a child process that fails, as on a small server out of memory or processes: the
 * child-process starters (simulator, charts, replays) must answer with an error, not end the bot.
 */

/**
 * Calls `start` while the node binary cannot be found, so a child process it forks in its
 * synchronous part fails to start (`ENOENT`, as `EAGAIN` or `ENOMEM` would), and returns what it
 * returned.
 */
export function withChildThatCannotStart<T>(start: () => T): T {
  const real = process.execPath;
  process.execPath = '/nonexistent/node';
  try {
    return start();
  } finally {
    process.execPath = real;
  }
}
