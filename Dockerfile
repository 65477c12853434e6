# syntax=docker/dockerfile:1
# entra-auth-cli in a container: the standalone binary on a small Debian base.
#   docker build -t entra-auth-cli .
#   docker run --rm -e AZURE_TENANT_ID -e AZURE_CLIENT_ID -e AZURE_CLIENT_SECRET \
#     entra-auth-cli get-token --silent

# Stage 1: compile with the same Deno version scripts/deno.sh pins. The build runs
# online, so deno compile can fetch its runtime here (it cannot on an offline box).
FROM denoland/deno:2.9.6 AS build
# aarch64-unknown-linux-gnu for arm64 images.
ARG TARGET=x86_64-unknown-linux-gnu
WORKDIR /src
COPY . .
RUN deno task compile --target "$TARGET" --out /out \
  && mv /out/entra-auth-cli-linux-* /out/entra-auth-cli

# Stage 2: glibc and CA certificates only; no Deno, no Node.
FROM debian:12-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && useradd --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin entra \
  && install -d -m 0700 -o entra -g entra /config
COPY --from=build /out/entra-auth-cli /usr/local/bin/entra-auth-cli
# A hard link, not a symlink: the program takes its name from its own path, and a
# symlink resolves to the target's name.
RUN ln /usr/local/bin/entra-auth-cli /usr/local/bin/entratool
# Profiles, secrets and the token cache go to /config (mount a volume to keep them).
ENV ENTRA_AUTH_CLI_HOME=/config
USER 10001:10001
ENTRYPOINT ["entra-auth-cli"]
CMD ["--help"]
