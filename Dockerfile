# syntax=docker/dockerfile:1
# windsock: the `dag` command in a container. `docker run` starts `dag standalone` (scheduler and web server in one
# process); compose.yaml runs `dag scheduler` and `dag serve` as two services on one volume instead.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: compile better-sqlite3 from source and the TypeScript, then drop the devDependencies ---
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Native modules are built against this image's Node headers, never fetched as prebuilt binaries.
ENV npm_config_build_from_source=true npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
# Scripts off here: the project's `prepare` (the build) needs the sources, copied below; the dependencies' own install
# scripts run in the rebuild.
RUN npm ci --ignore-scripts && npm rebuild
COPY . .
RUN npm run build && npm prune --omit=dev

# --- runtime: the production node_modules, the compiled code and the DAGs, run as the image's `node` user ---
FROM ${NODE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    WINDSOCK_HOME=/data \
    WINDSOCK_DAGS_FOLDER=/app/dags \
    WINDSOCK_WEB_PORT=8080
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/dags ./dags
COPY --from=build /app/schema ./schema
RUN ln -s /app/dist/cli/main.js /usr/local/bin/dag \
 && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# No curl in a slim image: Node's own fetch asks the health endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WINDSOCK_WEB_PORT || 8080) + '/api/v2/monitor/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini as PID 1 passes SIGTERM on to `dag` (which stops cleanly on it) and reaps the orphans of killed task processes.
ENTRYPOINT ["/usr/bin/tini", "--", "dag"]
CMD ["standalone", "--host", "0.0.0.0"]
