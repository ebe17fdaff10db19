/// What Foundation's JSON parsers let through and RFC 8259 does not: a comma before a
/// closing `}` or `]` (`{"a": 1,}`). Checked before parsing wherever JSON comes in (the
/// API, the CLI, files), so input that another JSON parser would refuse is refused here too.
public enum StrictJSON {
    /// Whether `text` has a trailing comma outside its strings.
    public static func hasTrailingComma(_ text: String) -> Bool {
        var inString = false
        var escaped = false
        var commaPending = false
        for byte in text.utf8 {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if commaPending { return true }
            case UInt8(ascii: "\""):
                inString = true
            default:
                break
            }
            commaPending = byte == UInt8(ascii: ",")
        }
        return false
    }
}
