import NIOCore
import NIOPosix
import Scheduler

/// The `Host` names this server answers for, so a web page cannot reach it by pointing
/// a name of its own at this machine (DNS rebinding): loopback names and addresses, the
/// machine's own interface addresses, the address it binds, and the names given in
/// `ALLOWED_HOSTS` (the public name behind a proxy); `*` there allows any.
public struct AllowedHosts: Sendable, Equatable {
    /// Lower-case names and addresses, without ports or IPv6 brackets.
    public var names: Set<String>
    /// Whether any host is allowed (`ALLOWED_HOSTS=*`).
    public var any: Bool

    public init(names: [String] = [], any: Bool = false) {
        self.names = Set(names.map(Self.normalized))
        self.any = any
    }

    /// The defaults for a server bound to `bindHost`, with `given` (`ALLOWED_HOSTS`) added.
    public static func serving(bindHost: String, given: [String]) -> AllowedHosts {
        let own = (try? System.enumerateDevices().compactMap { $0.address?.ipAddress }) ?? []
        let bound = ["0.0.0.0", "::", "[::]", ""].contains(bindHost) ? [] : [bindHost]
        return AllowedHosts(names: given.filter { $0 != "*" } + own + bound, any: given.contains("*"))
    }

    /// Whether a `Host` header (`name`, `name:port`, `[v6]:port`) names this server.
    public func allows(_ header: String) -> Bool {
        if any { return true }
        let host = Self.hostPart(of: header)
        return Self.isLoopback(host) || names.contains(host)
    }

    /// The host of a `Host` header or an origin's authority, lower-case, without port,
    /// brackets or a trailing dot.
    static func hostPart(of authority: String) -> String {
        var text = authority.lowercased()
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") {
            text = String(text[text.index(after: text.startIndex)..<end])
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            text = String(text[..<colon])
        }
        return normalized(text)
    }

    private static func normalized(_ name: String) -> String {
        var name = name.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        while name.hasSuffix(".") { name.removeLast() }
        return name
    }

    private static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
