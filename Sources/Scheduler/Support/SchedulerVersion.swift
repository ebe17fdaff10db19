/// The version `/health`, `--version` and webhooks' User-Agent report.
public enum SchedulerVersion {
    public static let current = "0.1.0"
}
