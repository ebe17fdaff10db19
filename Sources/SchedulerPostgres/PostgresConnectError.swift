import NIOCore
import NIOPosix
import PostgresNIO
import Scheduler

/// Why a connection to PostgreSQL failed, in the words an operator expects ("connection
/// refused", "password authentication failed for user …") instead of PostgresNIO's
/// generic error line.
enum PostgresConnectError {
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return reason(underlying) }
            return "\(error.code)"
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused (is PostgreSQL running and listening there?)"
            case ETIMEDOUT: return "connection timed out"
            case EHOSTUNREACH, ENETUNREACH: return "host unreachable"
            case ENOENT: return "no such socket"
            default: return "\(error)"
            }
        }
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return reason(first.error) }
            if error.dnsAAAAError != nil || error.dnsAError != nil { return "the host name does not resolve" }
        }
        if error is ChannelError { return "connection timed out" }
        return "\(error)"
    }
}
