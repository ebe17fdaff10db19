import AsyncHTTPClient
import NIOCore
import NIOPosix
import Scheduler

/// Why a webhook send got no answer, in the words an operator expects ("connection
/// refused", "no answer within the timeout") rather than the nested descriptions of
/// AsyncHTTPClient and NIO ("connection reset (error set): Connection refused)").
enum WebhookTransportError {
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as WebhookResolutionError:
            return error.description
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ECONNRESET: return "connection reset by the receiver"
            case ETIMEDOUT: return "connection timed out"
            case EHOSTUNREACH, ENETUNREACH: return "host unreachable"
            default: return String(cString: strerror(error.errnoCode)).lowercased()
            }
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return reason(first.error) }
            return "could not resolve \(error.host)"
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout: return "connection timed out"
            case .readTimeout, .deadlineExceeded, .writeTimeout: return "no answer within the timeout"
            case .remoteConnectionClosed: return "the receiver closed the connection without answering"
            default: return "\(error)"
            }
        case is ChannelError:
            return "connection timed out"
        default:
            return "\(error)"
        }
    }
}
