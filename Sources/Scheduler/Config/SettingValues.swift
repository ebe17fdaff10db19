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

    /// The task-types file's declarations, then a remote one for each name of
    /// `REMOTE_TASK_TYPES` the file does not declare (a name in both must be remote there).
    func taskTypes() throws(ConfigurationError) -> [TaskTypeDeclaration] {
        var declarations = try string(.taskTypesFile).map { path throws(ConfigurationError) in
            try TaskTypeFile.load(path: path)
        } ?? []
        guard let list = string(.remoteTaskTypes) else { return declarations }
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for name in names {
            guard TaskTypeDeclaration.isValidName(name) else {
                throw .invalidValue(
                    setting: ConfigurationSetting.remoteTaskTypes.displayName, value: list,
                    expected: "task type names (1-100 letters, digits, _, - or .) separated by commas; '\(name)' is not one")
            }
            if let declared = declarations.first(where: { $0.name == name }) {
                guard declared.remote else {
                    throw .invalidValue(
                        setting: ConfigurationSetting.remoteTaskTypes.displayName, value: list,
                        expected: "names that TASK_TYPES_FILE does not declare in-process; it declares '\(name)' without \"remote\": true")
                }
            } else {
                declarations.append(TaskTypeDeclaration(name: name, remote: true))
            }
        }
        return declarations
    }

    /// A retention age: `.some(nil)` for `off`, `nil` when the setting is absent.
    func retention(_ setting: ConfigurationSetting) throws(ConfigurationError) -> TimeInterval?? {
        guard let text = string(setting) else { return nil }
        guard let age = RetentionPolicy.age(parsing: text) else {
            throw .invalidValue(setting: setting.displayName, value: text, expected: "off, or \(DurationText.expected)")
        }
        return .some(age)
    }

    /// The limits of the task-types file's declarations with `TASK_LIMITS` over them.
    func taskLimits(declarations: [TaskTypeDeclaration]) throws(ConfigurationError) -> TaskLimits {
        let declared = TaskLimits(Dictionary(uniqueKeysWithValues: declarations.compactMap { declaration in
            declaration.limit.map { (declaration.name, $0) }
        }))
        guard let text = string(.taskLimits) else { return declared }
        do {
            return declared.overlaid(by: try TaskLimits(parsing: text))
        } catch {
            throw .invalidValue(
                setting: ConfigurationSetting.taskLimits.displayName, value: text,
                expected: "type:concurrency=N,rate=M/period entries separated by ';' (\(error))")
        }
    }

    /// The `WEBHOOK_*` settings.
    func webhooks() throws(ConfigurationError) -> WebhookConfiguration {
        var webhooks = WebhookConfiguration(
            secret: string(.webhookSecret).flatMap { $0.isEmpty ? nil : $0 },
            allowPrivateAddresses: try boolean(.webhookAllowPrivateAddresses) ?? false)
        if let list = string(.webhookURLs) {
            do {
                webhooks.subscriptions = try WebhookSubscriptions(parsing: list)
            } catch {
                throw .invalidValue(
                    setting: ConfigurationSetting.webhookURLs.displayName, value: list,
                    expected: "http(s) URLs, comma-separated, each optionally after type1|type2= (\(error))")
            }
            for subscription in webhooks.subscriptions.subscriptions {
                do {
                    try webhooks.policy.checkAtEnqueue(subscription.url)
                } catch {
                    throw .invalidValue(setting: ConfigurationSetting.webhookURLs.displayName, value: list, expected: "\(error)")
                }
            }
        }
        webhooks.timeout = try milliseconds(.webhookTimeoutMs, in: 100...600_000) ?? webhooks.timeout
        webhooks.retryWindow = try integer(.webhookRetryWindowSeconds, in: 1...2_592_000).map { .seconds($0) } ?? webhooks.retryWindow
        return webhooks
    }

    func milliseconds(_ setting: ConfigurationSetting, in range: ClosedRange<Int>) throws(ConfigurationError) -> Duration? {
        try integer(setting, in: range).map { .milliseconds($0) }
    }
}
