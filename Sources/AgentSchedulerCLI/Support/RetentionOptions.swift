import ArgumentParser
import Scheduler

/// How long finished work is kept: the flags of `prune` and `serve` (which prunes every
/// five minutes), with the database's own.
struct RetentionOptions: SettingFlags {
    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("retention-completed"),
            help: "Keep completed and cancelled tasks this long, e.g. 14d, or off (env RETENTION_COMPLETED; default 14d).")
    var retentionCompleted: String?

    @Option(name: .customLong("retention-failed"),
            help: "Keep tasks failed for good this long, or off (env RETENTION_FAILED; default 30d).")
    var retentionFailed: String?

    @Option(name: .customLong("retention-log"),
            help: "Keep action-log rows and settled webhook deliveries this long, or off (env RETENTION_LOG; default 30d).")
    var retentionLog: String?

    var flags: [ConfigurationSetting: String] {
        database.flags.merging(givenFlags([
            (.retentionCompleted, retentionCompleted), (.retentionFailed, retentionFailed), (.retentionLog, retentionLog),
        ])) { _, retention in retention }
    }
}
