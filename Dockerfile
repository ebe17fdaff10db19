# agent-scheduler: a static Swift binary on a slim Debian runtime.
#
#   docker build -t agent-scheduler .
#   docker run -p 8080:8080 -e SCHEDULER_API_TOKEN=... -e DATABASE_URL=postgres://... agent-scheduler
#
# The image listens on 0.0.0.0, which the server allows only with SCHEDULER_API_TOKEN set.
# scripts/container-check proves what this image relies on without a Docker engine.

# ---- build ------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build
WORKDIR /build
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product agent-scheduler \
    && install -D "$(swift build -c release --show-bin-path)/agent-scheduler" /staging/agent-scheduler

# ---- run --------------------------------------------------------------------------
FROM debian:bookworm-slim
# libcurl4: FoundationNetworking, which the MCP SDK links, calls libcurl.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata libstdc++6 libcurl4 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --user-group --create-home --system --home-dir /app scheduler
WORKDIR /app
COPY --from=build /staging/agent-scheduler /usr/local/bin/agent-scheduler
USER scheduler:scheduler
ENV HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_URL=/app/agent-scheduler.sqlite
EXPOSE 8080
ENTRYPOINT ["agent-scheduler"]
CMD ["serve"]
