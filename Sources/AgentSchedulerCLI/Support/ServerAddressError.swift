import Foundation
import NIOCore
import Scheduler

/// The HTTP server could not listen where it was told to, said with the address and
/// what to change, instead of the socket call's own words.
struct ServerAddressError: Error, CustomStringConvertible {
    let host: String
    let port: Int
    let reason: String

    /// The error for a failure to bind, or `nil` when `error` is something else.
    init?(_ error: any Error, host: String, port: Int) {
        guard let error = error as? IOError, error.description.hasPrefix("bind(") else { return nil }
        self.host = host
        self.port = port
        switch error.errnoCode {
        case EADDRINUSE: reason = "the address is already in use (another agent-scheduler serve, or another program, listens there)"
        case EACCES: reason = "permission denied (ports below 1024 need privileges)"
        case EADDRNOTAVAIL: reason = "this machine has no such address"
        default: reason = "\(error)"
        }
    }

    var description: String {
        "cannot listen on \(host):\(port): \(reason); choose another port with PORT or --port (and HOST or --host for the address)"
    }
}
