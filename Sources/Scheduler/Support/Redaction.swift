/// How secrets are kept out of logs, errors and descriptions: a URL's credentials are
/// cut by pattern, so that even a URL no parser accepts (a `#` in a generated password,
/// an unclosed `[`) is shown without them.
public enum Redaction {
    /// `url` with whatever stands between `://` and the last `@` before the path
    /// replaced by `***`; unchanged when it names no credentials.
    public static func url(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return url }
        return url[..<scheme.upperBound] + "***" + rest[at...]
    }

    /// What a description shows of an optional secret: whether it is set, never its value.
    package static func presence(_ secret: String?) -> String {
        secret == nil ? "not set" : "set"
    }
}

/// A type whose description must not show what it holds (secrets, or a whole registry
/// that swift-service-lifecycle would print at debug level): its description and debug
/// description are ``redactedDescription``.
package protocol RedactedDescription: CustomStringConvertible, CustomDebugStringConvertible {
    var redactedDescription: String { get }
}

extension RedactedDescription {
    public var description: String { redactedDescription }
    public var debugDescription: String { redactedDescription }
}
