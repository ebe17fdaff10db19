import Configuration
import Foundation
import Logging

/// Reads raw setting strings and turns them into typed values with errors that name the
/// setting.
struct SettingValues {
    let reader: ConfigReader

    func string(_ setting: ConfigurationSetting) -> String? {
        reader.string(forKey: setting.key, isSecret: setting.isSecret)
    }

    func integer(_ setting: ConfigurationSetting, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = string(setting) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw .invalidValue(
                setting: setting.displayName, value: text,
                expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func boolean(_ setting: ConfigurationSetting) throws(ConfigurationError) -> Bool? {
        guard let text = string(setting) else { return nil }
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw .invalidValue(setting: setting.displayName, value: text, expected: "true or false")
        }
    }

    /// One of the values of `T`, given in any case; `expected` explains them in the error.
    func choice<T: RawRepresentable>(
        _ setting: ConfigurationSetting, as type: T.Type, expected: String
    ) throws(ConfigurationError) -> T? where T.RawValue == String {
        guard let text = string(setting) else { return nil }
        guard let value = T(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw .invalidValue(setting: setting.displayName, value: text, expected: expected)
        }
        return value
    }

    func milliseconds(_ setting: ConfigurationSetting, in range: ClosedRange<Int>) throws(ConfigurationError) -> Duration? {
        try integer(setting, in: range).map { .milliseconds($0) }
    }
}
