# syntax=docker/dockerfile:1
# Autopilot in a container: the compiled JavaScript (dist/), SQLite and logs on the /app/data volume.
#   docker build -t autopilot .
#   docker run -d --name autopilot --env-file .env -v autopilot-data:/app/data --stop-timeout 40 autopilot
# See deploy/README.md.

# ---- build: compile better-sqlite3's native module, check the sources, compile them to dist/ ----
FROM node:22-bookworm-slim AS build
# better-sqlite3 builds from source when its prebuilt download is unavailable: needs a toolchain.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY migrations ./migrations
# Refuse to build an image from sources that do not type-check, compile, then drop the dev tools.
RUN npx tsc --noEmit -p tsconfig.json \
 && node scripts/build.mjs \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies and the compiled JavaScript only, as an unprivileged user ----
# Same base as the build stage, so the compiled better-sqlite3 binary matches its glibc.
FROM node:22-bookworm-slim AS runtime
# Two malloc arenas instead of one per thread: less native memory kept (see deploy/README.md, "Memory").
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    DATABASE_PATH=/app/data/autopilot.db \
    LOG_DIR=/app/data/logs \
    HTTP_PORT=9464
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json package-lock.json ./
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node migrations ./migrations
RUN mkdir -p /app/data/logs && chown -R node:node /app/data
USER node
VOLUME ["/app/data"]

# /healthz listens on the container's loopback; the check runs inside the container.
# node:22-slim has no curl or wget, so node itself asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# The bot shuts down gracefully on SIGTERM: give it time with `docker stop -t 40` / --stop-timeout.
STOPSIGNAL SIGTERM
# V8 flags as in `npm start` (measured; see deploy/README.md, "Memory" and "Start-up CPU").
CMD ["node", "--max-old-space-size=160", "--max-semi-space-size=1", "--no-parallel-scavenge", "--max-inlined-bytecode-size-cumulative=230", "dist/main.js"]
