import Foundation
import NIOSSL
import PostgresNIO
import Scheduler

/// A `postgres://user:password@host:port/database?sslmode=…` URL, read once into what
/// the pool and a single probing connection need.
///
/// `sslmode=disable` turns TLS off, `require` insists on it, anything else prefers it.
/// A `host=/path` query item connects through the unix socket in that folder.
struct PostgresURL: Sendable {
    let host: String?
    let socketPath: String?
    let port: Int
    let username: String
    let password: String?
    let database: String?
    let sslmode: String?

    init(_ url: String) throws(ConfigurationError) {
        let invalid = ConfigurationError.invalidValue(
            setting: ConfigurationSetting.databaseURL.displayName,
            value: Self.redacted(url),
            expected: "postgres://user[:password]@host[:port]/database"
        )
        guard let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased(), ["postgres", "postgresql"].contains(scheme)
        else { throw invalid }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        port = components.port ?? 5432
        username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding }
        let name = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding
        database = name?.isEmpty == false ? name : nil
        sslmode = query["sslmode"]
        if let folder = query["host"], folder.hasPrefix("/") {
            socketPath = "\(folder)/.s.PGSQL.\(port)"
            host = nil
        } else {
            guard let host = components.host, !host.isEmpty else { throw invalid }
            self.host = host
            socketPath = nil
        }
    }

    /// Where the database is, without the password: for logs and error messages.
    var location: String {
        let place = host.map { "\($0):\(port)" } ?? socketPath ?? "?"
        return "PostgreSQL at \(place), database \(database ?? username), user \(username)"
    }

    /// The connection pool's configuration.
    var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketPath {
            configuration = .init(unixSocketPath: socketPath, username: username, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS =
                switch sslmode {
                case "disable": .disable
                case "require", "verify-ca", "verify-full": .require(.makeClientConfiguration())
                default: .prefer(.makeClientConfiguration())
                }
            configuration = .init(
                host: host ?? "localhost", port: port, username: username, password: password, database: database,
                tls: tls)
        }
        configuration.options.maximumConnections = 16
        return configuration
    }

    /// The configuration of one connection that checks the database answers.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let socketPath {
            return .init(unixSocketPath: socketPath, username: username, password: password, database: database)
        }
        let tls: PostgresConnection.Configuration.TLS =
            switch sslmode {
            case "disable": .disable
            case "require", "verify-ca", "verify-full": .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            default: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        var configuration = PostgresConnection.Configuration(
            host: host ?? "localhost", port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// The URL with its credentials replaced, safe to show in an error message.
    static func redacted(_ url: String) -> String {
        Redaction.url(url)
    }
}

extension PostgresURL: RedactedDescription {
    var redactedDescription: String { location }
}
