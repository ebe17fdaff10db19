import Foundation
import PostgresNIO

/// Reads a `postgres://user:password@host:port/database?sslmode=…` URL into a
/// PostgresNIO client configuration.
///
/// `sslmode=disable` turns TLS off, `require` insists on it, anything else prefers it.
/// A `host=/path` query item connects through the unix socket in that folder.
enum PostgresURL {
    static func configuration(from url: String) throws(ConfigurationError) -> PostgresClient.Configuration {
        let invalid = ConfigurationError.invalidValue(
            setting: "DATABASE_URL",
            value: redacted(url),
            expected: "postgres://user[:password]@host[:port]/database"
        )
        guard let components = URLComponents(string: url),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw invalid }

        let username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = components.password.flatMap { $0.removingPercentEncoding }
        let database = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        let port = components.port ?? 5432

        var configuration: PostgresClient.Configuration
        if let socketFolder = query["host"], socketFolder.hasPrefix("/") {
            configuration = .init(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)",
                username: username,
                password: password,
                database: database?.isEmpty == false ? database : nil
            )
        } else {
            guard let host = components.host, !host.isEmpty else { throw invalid }
            let tls: PostgresClient.Configuration.TLS
            switch query["sslmode"] {
            case "disable": tls = .disable
            case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
            default: tls = .prefer(.makeClientConfiguration())
            }
            configuration = .init(
                host: host,
                port: port,
                username: username,
                password: password,
                database: database?.isEmpty == false ? database : nil,
                tls: tls
            )
        }
        configuration.options.maximumConnections = 16
        return configuration
    }

    /// The URL with its password replaced, safe to show in an error message.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://…"
    }
}
