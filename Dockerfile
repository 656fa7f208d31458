# syntax=docker/dockerfile:1.7
# One image with every eventwire binary: `eventwire` (the CLI: topics create, run, tag, ...),
# `eventwire-ingest`, `eventwire-cleaner` and `eventwire-tagger`. Deployments pick one as the
# command (deploy/compose, deploy/helm). Build from the repository root:
#
#   docker build -t eventwire:dev .
#
# The build stage compiles librdkafka from source (rdkafka's bundled build: make + a C/C++
# compiler, with OpenSSL and zlib from Debian, zstd and the SASL PLAIN/SCRAM/OAUTHBEARER
# mechanisms built in). The runtime stage is Debian slim with only the shared libraries the
# binaries link (libssl3, zlib; checked by scripts/ops/helm-test.sh against `ldd` of a local
# build) and CA certificates for TLS to the brokers, running as an unprivileged user.

ARG RUST_VERSION=1.95
ARG DEBIAN_RELEASE=trixie

FROM rust:${RUST_VERSION}-slim-${DEBIAN_RELEASE} AS build
# Versions are left to the Debian release: pinning exact versions breaks the build as soon as a
# security update replaces them.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ make pkg-config libssl-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The workspace's `production` profile: fat LTO, one codegen unit, no debug info (symbol names
# stay, so panics still print readable backtraces); the benches measure the same code
# generation. The registry and the target directory live in BuildKit cache mounts, so a
# rebuild after a source change only recompiles the workspace's own crates (and relinks).
ENV CARGO_TERM_COLOR=never
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --profile production --locked \
      -p eventwire-cli -p eventwire-ingest -p eventwire-cleaner -p eventwire-tagger \
 && mkdir -p /out \
 && cp target/production/eventwire target/production/eventwire-ingest \
       target/production/eventwire-cleaner target/production/eventwire-tagger /out/

FROM debian:${DEBIAN_RELEASE}-slim AS runtime
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3t64 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 eventwire \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin eventwire
COPY --from=build /out/ /usr/local/bin/
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="eventwire" \
      org.opencontainers.image.description="News articles in, diplomatic events and casualty reports out: ingest, cleaner and tagger services on Kafka" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}"
# Logs as JSON lines on stderr; the services bind their metrics/health port on all interfaces.
ENV EVENTWIRE_LOG_FORMAT=json \
    EVENTWIRE_LOG=info,rdkafka=warn
# Metrics, /healthz and /readyz: ingest 9101, cleaner 9102, tagger 9103.
EXPOSE 9101 9102 9103
# Numeric so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
CMD ["eventwire", "--help"]
