import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps webhooks from making the service probe its own network: a URL must be http(s),
/// and unless private addresses are allowed (`WEBHOOK_ALLOW_PRIVATE_ADDRESSES`, for
/// tests and private deployments), neither its host nor any address it resolves to may
/// be loopback, private, link-local, shared (CGNAT), reserved, documentation, multicast or
/// unspecified (IPv4 inside IPv6 too: mapped, compatible and NAT64 forms), nor one of this
/// machine's own interface addresses.
///
/// The check runs at enqueue (syntax, and a host written as an address) and again just
/// before each send (the resolved addresses), so a name that later resolves inward is
/// refused then. A name that changes its answer between the check and the connection
/// (DNS rebinding) is not caught; a deployment that fears it should send webhooks
/// through an egress proxy.
public struct WebhookAddressPolicy: Sendable {
    public var allowPrivateAddresses: Bool
    /// Finds a host's addresses (`getaddrinfo`); tests give another to play a DNS failure.
    let resolve: @Sendable (_ host: String, _ port: Int) async throws -> [SocketAddress]

    public init(allowPrivateAddresses: Bool) {
        self.init(allowPrivateAddresses: allowPrivateAddresses, resolve: Self.resolve)
    }

    init(allowPrivateAddresses: Bool, resolve: @escaping @Sendable (_ host: String, _ port: Int) async throws -> [SocketAddress]) {
        self.allowPrivateAddresses = allowPrivateAddresses
        self.resolve = resolve
    }

    /// The longest URL accepted.
    public static let maxLength = 2_000

    /// Checks that `url` is an absolute http(s) URL with a host.
    public static func checkSyntax(_ url: String) throws(WebhookURLError) {
        guard url.count <= maxLength else { throw WebhookURLError(url: String(url.prefix(80)) + "…", problem: "is longer than \(maxLength) characters") }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { throw WebhookURLError(url: url, problem: "must be an http:// or https:// URL") }
        guard let host = components.host, !host.isEmpty else { throw WebhookURLError(url: url, problem: "has no host") }
    }

    /// The syntax check, and a refusal of a host written as an inward address (or
    /// `localhost`) at once, before any task is stored.
    public func checkAtEnqueue(_ url: String) throws(WebhookURLError) {
        try Self.checkSyntax(url)
        guard !allowPrivateAddresses, let host = Self.host(of: url) else { return }
        if host.lowercased() == "localhost" || host.lowercased().hasSuffix(".localhost") {
            throw WebhookURLError(url: url, problem: "points at this machine (set WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true to allow)")
        }
        if let address = try? SocketAddress(ipAddress: host, port: 0), Self.isInward(address) || Self.isOwn(address) {
            throw WebhookURLError(url: url, problem: "points at a private or local address (set WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true to allow)")
        }
    }

    /// Resolves the URL's host and refuses it if any address is inward.
    public func checkBeforeSending(_ url: String) async throws {
        try Self.checkSyntax(url)
        guard !allowPrivateAddresses, let host = Self.host(of: url) else { return }
        let port = URLComponents(string: url)?.port ?? 80
        let addresses = try await resolve(host, port)
        if let inward = addresses.first(where: { Self.isInward($0) || Self.isOwn($0) }) {
            throw WebhookURLError(
                url: url,
                problem: "resolves to \(inward.ipAddress ?? "a local address"), a private or local address (set WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true to allow)")
        }
    }

    static func host(of url: String) -> String? {
        guard var host = URLComponents(string: url)?.host else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host
    }

    private static func resolve(_ host: String, port: Int) async throws -> [SocketAddress] {
        if let literal = try? SocketAddress(ipAddress: host, port: port) { return [literal] }
        return try await NIOThreadPool.singleton.runIfActive { try allAddresses(of: host, port: port) }
    }

    /// Every address `getaddrinfo` gives for `host`: a connection may use any of them.
    private static func allAddresses(of host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else { throw WebhookResolutionError(host: host, reason: String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var next = list
        while let info = next {
            if let raw = info.pointee.ai_addr {
                switch Int32(raw.pointee.sa_family) {
                case AF_INET:
                    addresses.append(raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                case AF_INET6:
                    addresses.append(raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                default: break
                }
            }
            next = info.pointee.ai_next
        }
        return addresses
    }

    /// Whether `address` reaches this machine or a private, reserved or documentation network.
    static func isInward(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4(let v4): return isInward(ipv4: UInt32(bigEndian: v4.address.sin_addr.s_addr))
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            let embedded = bytes[12...].reduce(0) { $0 << 8 | UInt32($1) }
            // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64).
            let mapped = bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff
            let compatible = bytes[0..<12].allSatisfy({ $0 == 0 }) && embedded > 1
            let nat64 = bytes[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]
            if mapped || compatible || nat64 { return isInward(ipv4: embedded) }
            let unspecifiedOrLoopback = bytes[0..<15].allSatisfy { $0 == 0 } && (bytes[15] == 0 || bytes[15] == 1)
            let documentation = bytes[0..<4] == [0x20, 0x01, 0x0d, 0xb8]
            return unspecifiedOrLoopback || bytes[0] & 0xfe == 0xfc || (bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80)
                || bytes[0] == 0xff || documentation
        case .unixDomainSocket: return true
        }
    }

    /// Whether `address` is one of this machine's own interface addresses.
    static func isOwn(_ address: SocketAddress) -> Bool {
        guard let text = address.ipAddress, let devices = try? System.enumerateDevices() else { return false }
        return devices.contains { $0.address?.ipAddress == text }
    }

    private static func isInward(ipv4 address: UInt32) -> Bool {
        let ranges: [(UInt32, UInt32)] = [
            (0x0000_0000, 8), (0x0A00_0000, 8), (0x6440_0000, 10), (0x7F00_0000, 8), (0xA9FE_0000, 16),
            (0xAC10_0000, 12), (0xC000_0000, 24), (0xC000_0200, 24), (0xC0A8_0000, 16), (0xC612_0000, 15),
            (0xC633_6400, 24), (0xCB00_7100, 24), (0xE000_0000, 4), (0xF000_0000, 4),
        ]
        return ranges.contains { network, bits in address >> (32 - bits) == network >> (32 - bits) }
    }
}
