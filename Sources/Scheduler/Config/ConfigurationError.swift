/// A problem with how the scheduler was configured, found at start-up.
///
/// The message names the setting (environment variable or flag) and says what is
/// expected, so the operator can fix it without reading code.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A setting has a value that cannot be used.
    case invalidValue(setting: String, value: String, expected: String)
    /// Two handlers claim the same task type.
    case duplicateHandler(String)

    public var description: String {
        switch self {
        case .invalidValue(let setting, let value, let expected):
            "\(setting) has the invalid value '\(value)': expected \(expected)"
        case .duplicateHandler(let type):
            "two handlers are registered for task type '\(type)': each task type needs exactly one"
        }
    }
}
