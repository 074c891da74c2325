# syntax=docker/dockerfile:1
# afcheck's container image: one static (musl) binary on an empty base, run
# as a non-root user; there is no shell, package manager or libc in it.
#
#   docker run --rm -v "$PWD:/src:ro" -w /src ghcr.io/afcheck/afcheck .
#
# The build stage is pinned by digest (bump it with
# `docker buildx imagetools inspect rust:1.88-alpine`); .github/workflows/
# release.yml builds and publishes this image for linux/amd64 and
# linux/arm64. tests/adoption.rs checks that afcheck finds nothing here.

FROM rust:1.88-alpine@sha256:9dfaae478ecd298b6b5a039e1f2cc4fc040fc818a2de9aa78fa714dea036574d AS build
# make: the jemalloc allocator (tikv-jemalloc-sys) is built with it.
RUN apk add --no-cache musl-dev=1.2.5-r12 make~4.4
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs README.md ./
COPY src ./src
COPY rules ./rules
COPY fixtures ./fixtures
ARG AFCHECK_COMMIT=""
ENV AFCHECK_COMMIT=${AFCHECK_COMMIT}
# jemalloc takes the build host's page size; on arm64, 64 KiB lets the
# binary run on kernels with 4, 16 or 64 KiB pages.
ARG TARGETARCH
RUN if [ "$TARGETARCH" = "arm64" ]; then export JEMALLOC_SYS_WITH_LG_PAGE=16; fi \
    && cargo build --locked --release --bin afcheck \
    && install -D -m 0555 target/release/afcheck /out/afcheck \
    && mkdir -p /out/work

FROM scratch
COPY --from=build /out/afcheck /afcheck
COPY --from=build --chown=65532:65532 /out/work /work
WORKDIR /work
USER 65532:65532
HEALTHCHECK NONE
ENTRYPOINT ["/afcheck"]
CMD ["."]
