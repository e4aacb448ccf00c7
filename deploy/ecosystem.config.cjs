// PM2 process file for Autopilot: one process, restarted with backoff, stopped gracefully.
//   pm2 start deploy/ecosystem.config.cjs
// Configuration comes from `.env` in the project folder (read by the bot itself) or from the
// environment PM2 passes on; nothing secret belongs in this file.
/* global require, module, __dirname -- a CommonJS file, as PM2 expects */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const logs = path.join(root, 'data', 'logs');

module.exports = {
  apps: [
    {
      name: 'autopilot',
      cwd: root,
      // The compiled JavaScript: run `npm run build` after `npm ci` and after every update.
      script: 'dist/main.js',
      interpreter: 'node',
      // V8 flags as in `npm start` (measured; see deploy/README.md, "Memory" and "Start-up CPU").
      node_args: [
        '--max-old-space-size=160',
        '--max-semi-space-size=1',
        '--no-parallel-scavenge',
        '--max-inlined-bytecode-size-cumulative=230',
      ],
      // One process only: two would trade the same account and share one SQLite file.
      exec_mode: 'fork',
      instances: 1,
      // Two malloc arenas instead of one per thread, as in `npm start` (deploy/README.md, "Memory").
      env: { NODE_ENV: 'production', MALLOC_ARENA_MAX: '2' },

      // Restart after a crash, waiting longer after each quick failure (PM2 grows the delay by
      // half each time, from 2 s up to its 15 s cap); give up after 10 restarts in a row that
      // each lived under a minute.
      autorestart: true,
      exp_backoff_restart_delay: 2000,
      min_uptime: '60s',
      max_restarts: 10,
      // Exit code 2 means invalid configuration: restarting cannot fix it.
      stop_exit_codes: [2],
      max_memory_restart: '800M',

      // PM2 sends SIGINT on stop/restart. The bot then stops scheduling, lets running
      // strategy runs finish, flushes the outbox and closes the database; allow it 30 s
      // before PM2 resorts to SIGKILL.
      kill_timeout: 30000,

      // The bot's own structured logs rotate under data/logs (pino-roll). These files hold
      // what the process prints to stdout/stderr; rotate them with pm2-logrotate.
      out_file: path.join(logs, 'pm2-out.log'),
      error_file: path.join(logs, 'pm2-error.log'),
      merge_logs: true,
      time: true,
    },
  ],
};
