# syntax=docker/dockerfile:1
# A minimal image holding only the aiorch executable (shell and sub-pipeline steps; for
# python: steps use Dockerfile.python).
#   docker build -t aiorch .
#   docker run --rm -v "$PWD:/work" -e OPENAI_API_KEY aiorch run pipeline.yaml
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx bun run build && ./dist/aiorch --version

# Debian rather than distroless: run: steps need /bin/sh.
FROM debian:bookworm-slim
# History and cache live in /aiorch (mount a volume to keep them); any uid may write there,
# so `docker run --user "$(id -u):$(id -g)"` works with a bind-mounted work dir.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin aiorch \
 && mkdir -m 1777 /aiorch
ENV AIORCH_HOME=/aiorch
COPY --from=build /src/dist/aiorch /usr/local/bin/aiorch
USER aiorch
WORKDIR /work
ENTRYPOINT ["aiorch"]
CMD ["--help"]
