# syntax=docker/dockerfile:1
# The aiorch executable alone, FROM scratch: for pipelines of prompt: and flow steps. It holds
# no shell and no python3, so run: and python: steps fail there: use Dockerfile.python for them.
#   docker build -t aiorch .
#   docker run --rm -v "$PWD:/work" -e OPENAI_API_KEY aiorch run pipeline.yaml
FROM node:20-bookworm-slim AS build
# ca-certificates: the CA bundle the image carries (scripts/scratch-rootfs.ts copies it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The root folder of the image: the executable, the libraries ldd names, the CA bundle,
# /etc/passwd, /aiorch and /tmp. tests/dist/scratch-image.test.ts runs the binary in the
# folder this same command makes.
RUN npx bun run build && ./dist/aiorch --version \
 && npx bun scripts/scratch-rootfs.ts --binary dist/aiorch --out /rootfs

FROM scratch
COPY --from=build /rootfs /
# History, cache and logs live in /aiorch (mount a volume to keep them); any uid may write
# there, so `docker run --user "$(id -u):$(id -g)"` works with a bind-mounted work dir.
# NODE_USE_SYSTEM_CA=1: HTTPS trusts /etc/ssl/certs/ca-certificates.crt (mount your own
# bundle over it for a company CA) besides Bun's built-in roots.
ENV PATH=/usr/local/bin AIORCH_HOME=/aiorch HOME=/aiorch NODE_USE_SYSTEM_CA=1
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/aiorch"]
CMD ["--help"]
