import ArgumentParser
import Configuration
import Scheduler

/// A group of flags that override settings' environment variables.
///
/// Values stay strings here; ``SchedulerConfiguration/init(reader:)`` validates flags and
/// environment alike, so a bad value gets the same message whichever way it came.
protocol SettingFlags: ParsableArguments {
    /// The flag values that were given, keyed like the settings.
    var flags: [ConfigurationSetting: String] { get }
}

extension SettingFlags {
    /// The configuration from these flags (and `extra`) over the process environment.
    func configuration(extra: [ConfigurationSetting: String] = [:]) throws -> SchedulerConfiguration {
        let given = flags.merging(extra) { _, new in new }
        let flagValues = Dictionary(uniqueKeysWithValues: given.map { setting, value in
            (AbsoluteConfigKey(setting.key), ConfigValue(.string(value), isSecret: setting.isSecret))
        })
        let reader = ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: flagValues),
            EnvironmentVariablesProvider(secretsSpecifier: .specific(
                Set(ConfigurationSetting.allCases.filter(\.isSecret).map(\.environmentVariable)))),
        ])
        return try SchedulerConfiguration(reader: reader)
    }
}

/// Keeps the flags that were given.
func givenFlags(_ pairs: [(ConfigurationSetting, String?)]) -> [ConfigurationSetting: String] {
    Dictionary(uniqueKeysWithValues: pairs.compactMap { setting, value in value.map { (setting, $0) } })
}
